package dev.ponder.model;

/**
 * The shape of a Llama-family decoder, independent of how a checkpoint spells it
 * ({@link HfConfig} maps each architecture's Hugging Face names to this once).
 *
 * @param architecture     the Hugging Face class name, e.g. {@code InternLM3ForCausalLM}
 * @param vocabSize        rows of the embedding and of the output head
 * @param hiddenSize       model width d
 * @param intermediateSize width of the SwiGLU MLP
 * @param numLayers        decoder blocks
 * @param numHeads         query heads
 * @param numKvHeads       key/value heads (grouped-query attention when fewer than numHeads)
 * @param headDim          width of one head
 * @param rmsNormEps       epsilon inside RMSNorm
 * @param ropeTheta        RoPE base
 * @param ropeScaling      none, linear, dynamic NTK or llama3
 * @param maxPositions     max_position_embeddings (dynamic NTK scales past it)
 * @param tieEmbeddings    the output head reuses the token embedding
 * @param qkvBias          q/k/v projections carry a bias (Qwen2; InternLM3 qkv_bias; Llama attention_bias)
 * @param outputBias       o_proj carries a bias (InternLM3 bias; Llama attention_bias)
 * @param mlpBias          gate/up/down projections carry a bias (Llama mlp_bias)
 */
public record ModelConfig(
        String architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositions,
        boolean tieEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias) {

    public ModelConfig {
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Width of the fused q|k|v projection output. */
    public int qkvWidth() {
        return (numHeads + 2 * numKvHeads) * headDim;
    }

    /** Width of one token's keys (or values) in the KV cache. */
    public int kvWidth() {
        return numKvHeads * headDim;
    }

    /** Parameters, counting a tied head once. */
    public long parameterCount() {
        long d = hiddenSize;
        long attn = d * qkvWidth() + (long) numHeads * headDim * d;
        long mlp = 3L * d * intermediateSize;
        long perLayer = attn + mlp + 2 * d + (qkvBias ? qkvWidth() : 0) + (outputBias ? d : 0)
                + (mlpBias ? 2L * intermediateSize + d : 0);
        long embed = (long) vocabSize * d;
        return embed + (tieEmbeddings ? 0 : embed) + numLayers * perLayer + d;
    }
}

package dev.ponder.bench.peer;

import dev.ponder.cli.ExistingPath;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.RopeScaling;
import dev.ponder.model.checkpoint.CheckpointWriter;
import dev.ponder.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Exports a loaded ponder checkpoint (a Llama-family decoder with a character-level vocabulary) to a GGUF
 * file for llama.cpp's {@code llama} architecture, F32 tensors:
 * {@code bin/run dev.ponder.bench.peer.GgufExport <checkpoint-dir> <out.gguf>}.
 *
 * <p>Two conversions matter. RoPE: Hugging Face rotates the two halves of each head ("rotate_half"),
 * llama.cpp's llama architecture rotates adjacent pairs, so q and k rows are permuted per head the way
 * llama.cpp's convert_hf_to_gguf.py does. Tokenizer: the vocabulary is written as a SentencePiece ("llama")
 * vocabulary with a space spelled {@code ▁} and no space prefix, which makes llama.cpp's SPM tokenizer
 * split text into exactly ponder's character tokens (see {@link #tokenizerTypes}).
 */
@Command(name = "GgufExport", mixinStandardHelpOptions = true,
        description = "Exports a ponder checkpoint to a GGUF file (F32) for llama.cpp's llama architecture.")
public final class GgufExport implements Callable<Integer> {

    /** llama.cpp token types. */
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-F]{2}>");

    @Parameters(index = "0", paramLabel = "<checkpoint-dir>", converter = ExistingPath.class,
            description = "the Hugging Face checkpoint to export")
    private Path dir;

    @Parameters(index = "1", paramLabel = "<out.gguf>", description = "the GGUF file to write")
    private Path out;

    private GgufExport() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GgufExport()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        try (LanguageModel lm = LanguageModel.load(dir)) {
            export(lm, out);
        }
        System.err.println("wrote " + out);
        return 0;
    }

    public static void export(LanguageModel lm, Path out) throws IOException {
        writer(lm).write(out);
    }

    /** The GGUF content for {@code lm}: llama metadata, tokenizer and tensors. */
    public static GgufWriter writer(LanguageModel lm) {
        ModelConfig c = lm.config();
        if (c.ropeScaling().type() != RopeScaling.Type.NONE) {
            throw new IllegalArgumentException("only unscaled RoPE is exported, not " + c.ropeScaling().type());
        }
        GgufWriter g = new GgufWriter();
        g.putString("general.architecture", "llama");
        g.putString("general.name", lm.name());
        g.putUint32("general.alignment", GgufWriter.ALIGNMENT);
        g.putUint32("llama.context_length", c.maxPositions());
        g.putUint32("llama.embedding_length", c.hiddenSize());
        g.putUint32("llama.block_count", c.numLayers());
        g.putUint32("llama.feed_forward_length", c.intermediateSize());
        g.putUint32("llama.attention.head_count", c.numHeads());
        g.putUint32("llama.attention.head_count_kv", c.numKvHeads());
        g.putUint32("llama.attention.key_length", c.headDim());
        g.putUint32("llama.attention.value_length", c.headDim());
        g.putUint32("llama.rope.dimension_count", c.headDim());
        g.putFloat32("llama.rope.freq_base", c.ropeTheta());
        g.putFloat32("llama.attention.layer_norm_rms_epsilon", c.rmsNormEps());
        g.putUint32("llama.vocab_size", c.vocabSize());
        putTokenizer(g, lm.tokenizer(), c.vocabSize());
        putTensors(g, c, CheckpointWriter.tensors(c, lm.transformer().weights()));
        return g;
    }

    /** Tensors under llama.cpp's names, q and k (weights and biases) permuted to adjacent-pair RoPE. */
    static void putTensors(GgufWriter g, ModelConfig c, Map<String, CheckpointWriter.Tensor> hf) {
        add(g, "token_embd.weight", hf.get("model.embed_tokens.weight"));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            String b = "blk." + i + ".";
            add(g, b + "attn_norm.weight", hf.get(p + "input_layernorm.weight"));
            for (String kind : new String[] {"weight", "bias"}) {
                var q = hf.get(p + "self_attn.q_proj." + kind);
                if (q != null) {
                    add(g, b + "attn_q." + kind, permuted(q, c.numHeads()));
                    add(g, b + "attn_k." + kind, permuted(hf.get(p + "self_attn.k_proj." + kind), c.numKvHeads()));
                    add(g, b + "attn_v." + kind, hf.get(p + "self_attn.v_proj." + kind));
                }
                addIfPresent(g, b + "attn_output." + kind, hf.get(p + "self_attn.o_proj." + kind));
                addIfPresent(g, b + "ffn_gate." + kind, hf.get(p + "mlp.gate_proj." + kind));
                addIfPresent(g, b + "ffn_up." + kind, hf.get(p + "mlp.up_proj." + kind));
                addIfPresent(g, b + "ffn_down." + kind, hf.get(p + "mlp.down_proj." + kind));
            }
            add(g, b + "ffn_norm.weight", hf.get(p + "post_attention_layernorm.weight"));
        }
        add(g, "output_norm.weight", hf.get("model.norm.weight"));
        // a tied head: llama.cpp reuses token_embd when output.weight is absent
        addIfPresent(g, "output.weight", hf.get("lm_head.weight"));
    }

    private static CheckpointWriter.Tensor permuted(CheckpointWriter.Tensor t, int heads) {
        long[] s = t.shape();
        int rows = (int) s[0];
        int cols = s.length > 1 ? (int) s[1] : 1;
        return new CheckpointWriter.Tensor(s, permuteRope(t.data(), rows, cols, heads));
    }

    /**
     * Row permutation from rotate-half to adjacent-pair RoPE: within each head of {@code hd = rows / heads}
     * rows, output row {@code 2i + j} is input row {@code j * hd/2 + i} (numpy:
     * {@code w.reshape(heads, 2, hd/2, cols).swapaxes(1, 2).reshape(rows, cols)}).
     */
    public static float[] permuteRope(float[] w, int rows, int cols, int heads) {
        if (rows % heads != 0 || (rows / heads) % 2 != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + heads + " heads of even width");
        }
        int hd = rows / heads;
        int half = hd / 2;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < 2; j++) {
                    int from = h * hd + j * half + i;
                    int to = h * hd + 2 * i + j;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }

    private static void add(GgufWriter g, String name, CheckpointWriter.Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("checkpoint lacks the tensor for " + name);
        }
        g.addTensor(name, t.shape(), t.data());
    }

    private static void addIfPresent(GgufWriter g, String name, CheckpointWriter.Tensor t) {
        if (t != null) {
            add(g, name, t);
        }
    }

    /**
     * The vocabulary as SentencePiece pieces: special tokens CONTROL ({@code <unk>} UNKNOWN), byte pieces
     * BYTE, characters NORMAL with a space spelled {@code ▁}; ids past the tokenizer's vocabulary (a padded
     * embedding) become unused {@code [PADn]} pieces. Only character-level vocabularies are accepted: with
     * single-character pieces SentencePiece's merge step can form no piece, so scores are irrelevant and
     * llama.cpp's split equals the character split.
     */
    static void putTokenizer(GgufWriter g, Tokenizer tok, int vocabSize) {
        List<String> pieces = new ArrayList<>();
        int[] types = new int[vocabSize];
        float[] scores = new float[vocabSize];
        int unk = tok.tokenId("<unk>").orElse(-1);
        for (int id = 0; id < vocabSize; id++) {
            if (id >= tok.vocabSize()) {
                pieces.add("[PAD" + id + "]");
                types[id] = UNUSED;
                continue;
            }
            String text = tok.tokenText(id);
            types[id] = tokenizerTypes(text, tok.isSpecial(id), id == unk);
            if (types[id] == NORMAL) {
                if (text.codePointCount(0, text.length()) != 1) {
                    throw new IllegalArgumentException("not a character-level vocabulary: piece " + id + " is '" + text + "'");
                }
                text = text.replace(' ', '\u2581');
            }
            pieces.add(text);
            scores[id] = types[id] == NORMAL ? -id : 0f;
        }
        g.putString("tokenizer.ggml.model", "llama");
        g.putStrings("tokenizer.ggml.tokens", pieces);
        g.putFloats("tokenizer.ggml.scores", scores);
        g.putInts("tokenizer.ggml.token_type", types);
        if (tok.bosId() >= 0) {
            g.putUint32("tokenizer.ggml.bos_token_id", tok.bosId());
        }
        g.putUint32("tokenizer.ggml.eos_token_id", tok.eosId());
        if (unk >= 0) {
            g.putUint32("tokenizer.ggml.unknown_token_id", unk);
        }
        g.putBool("tokenizer.ggml.add_bos_token", false);
        g.putBool("tokenizer.ggml.add_eos_token", false);
        g.putBool("tokenizer.ggml.add_space_prefix", false);
    }

    /** The llama.cpp token type of one vocabulary entry. */
    static int tokenizerTypes(String text, boolean special, boolean unk) {
        if (unk) {
            return UNKNOWN;
        }
        if (special) {
            return CONTROL;
        }
        return BYTE_PIECE.matcher(text).matches() ? BYTE : NORMAL;
    }
}

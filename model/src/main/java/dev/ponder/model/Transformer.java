package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * A Llama-family decoder (Touvron et al. 2023): token embedding, N blocks of pre-norm grouped-query
 * attention with rotary positions and a SwiGLU MLP, a final RMSNorm and the output head. Immutable:
 * per-sequence state lives in the {@link KvPool} and the {@link ForwardBatch} that names its slots. Cached passes
 * run on the {@link Kernel} it was made with: these tensor operations, or {@link HostForward}'s loops.
 *
 * <p>Shapes: T packed new tokens, B sequences, N the longest new span, C the longest context, D width,
 * H query heads, K key/value heads, G = H / K, hd head width, V vocabulary.
 */
public final class Transformer {

    private final ModelConfig config;
    private final Weights weights;
    private final Rope rope;
    private final DataType dtype;
    /** The Java kernel's copy of the weights, or null when cached passes run on torch. */
    private final HostForward host;

    /** A transformer whose passes all run on torch. */
    public Transformer(ModelConfig config, Weights weights) {
        this(config, weights, new Rope(config), null);
    }

    private Transformer(ModelConfig config, Weights weights, Rope rope, HostForward host) {
        this.config = config;
        this.weights = weights;
        this.rope = rope;
        this.dtype = weights.embed().getDataType();
        this.host = host;
    }

    /** The same model with its cached passes on {@code kernel} (the Java kernel copies the weights to the heap). */
    public Transformer withKernel(Kernel kernel) {
        if (kernel == kernel()) {
            return this;
        }
        if (kernel == Kernel.JAVA && dtype != DataType.FLOAT32) {
            throw new IllegalArgumentException("the Java kernel computes in float32; this model is " + dtype);
        }
        return new Transformer(config, weights, rope, kernel == Kernel.JAVA ? new HostForward(config, weights, rope) : null);
    }

    public Kernel kernel() {
        return host == null ? Kernel.TORCH : Kernel.JAVA;
    }

    /**
     * A KV cache of {@code slots} slots (a multiple of {@code blockSize}) laid out for this transformer's kernel:
     * tensors in {@code parent}'s device memory for torch, Java arrays for the Java kernel.
     */
    public KvPool newKvPool(NDManager parent, int slots, int blockSize) {
        return host == null ? new TensorKvPool(parent, config, slots, blockSize, dtype)
                : new HostKvPool(config, slots, blockSize);
    }

    public ModelConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    public DataType dtype() {
        return dtype;
    }

    /**
     * Runs one batched pass. New keys and values are written into {@code kv} (null when the batch is
     * uncached). Returns logits [R, V] in {@code scope}: one row per sequence (its last token) or one per
     * new token, as the batch asks.
     */
    public NDArray forward(NDManager scope, ForwardBatch batch, KvPool kv) {
        if (batch.cached && kv == null) {
            throw new IllegalArgumentException("a cached batch needs a KV pool");
        }
        if (kv instanceof HostKvPool h) {
            if (host == null) {
                throw new IllegalArgumentException("a Java-kernel KV pool passed to a torch transformer");
            }
            return scope.create(host.forward(batch, h), new Shape(batch.logitRows(), config.vocabSize()));  // [R, V]
        }
        return torchForward(scope, batch, (TensorKvPool) kv);
    }

    /** One pass as DJL tensor operations (training, uncached passes, and the torch kernel). */
    private NDArray torchForward(NDManager scope, ForwardBatch batch, TensorKvPool kv) {
        ForwardBatch.Inputs in = batch.toArrays(scope, rope, config.headDim(), dtype, kv == null ? 0 : kv.blockSize());
        NDArray x = weights.embed().get(scope, new NDIndex("{}", in.ids()));                 // [T, D]
        for (int l = 0; l < config.numLayers(); l++) {
            Weights.Layer w = weights.layers().get(l);
            x = x.add(attention(scope, batch, in, kv, l, w, rmsNorm(x, w.attnNorm())));    // [T, D]
            x = x.add(mlp(rmsNorm(x, w.mlpNorm()), w));                                    // [T, D]
        }
        if (in.logitRows() != null) {
            x = x.get(new NDIndex("{}", in.logitRows()));                                    // [R, D]
        }
        return linear(rmsNorm(x, weights.finalNorm()), weights.lmHead(), null);          // [R, V]
    }

    /** Grouped-query causal self-attention over cached context plus the new tokens. */
    private NDArray attention(NDManager scope, ForwardBatch b, ForwardBatch.Inputs in, TensorKvPool kv, int layer,
                              Weights.Layer w, NDArray h) {
        int t = b.totalTokens;
        int hd = config.headDim();
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int g = config.groupSize();
        NDArray qkv = linear(h, w.wqkv(), w.bqkv());                                      // [T, (H + 2K) hd]
        // rotate queries and keys together: they are the first H + K heads of the fused projection
        NDArray qk = rotate(qkv.get(":, :{}", (heads + kvHeads) * hd).reshape(t, heads + kvHeads, hd),
                in.cos(), in.sin());                                                            // [T, H + K, hd]
        NDArray q = qk.get(":, :{}", heads).reshape(t, heads * hd);                        // [T, H hd]
        NDArray k = qk.get(":, {}:", heads).reshape(t, kvHeads * hd);                      // [T, K hd]
        NDArray v = qkv.get(":, {}:", (heads + kvHeads) * hd);                             // [T, K hd]

        NDArray keys;
        NDArray values;
        if (kv != null) {
            // write the new rows into their slots, then gather every sequence's context
            kv.keys(layer).set(new NDIndex("{}", in.writeSlots()), k);
            kv.values(layer).set(new NDIndex("{}", in.writeSlots()), v);
            if (in.readBlocks() != null) {
                keys = kv.keyBlocks(layer).get(scope, new NDIndex("{}", in.readBlocks()));   // [B C/bs, bs K hd]
                values = kv.valueBlocks(layer).get(scope, new NDIndex("{}", in.readBlocks()));
            } else {
                keys = kv.keys(layer).get(scope, new NDIndex("{}", in.readSlots()));        // [B C, K hd]
                values = kv.values(layer).get(scope, new NDIndex("{}", in.readSlots()));
            }
        } else {
            keys = pad(k, in);                                                             // [B N, K hd]
            values = pad(v, in);
        }
        int bs = b.batch;
        int n = b.maxNew;
        int c = in.context();
        NDArray qh = pad(q, in).reshape(bs, n, kvHeads, g, hd).transpose(0, 2, 3, 1, 4);  // [B, K, G, N, hd]
        NDArray kh = keys.reshape(bs, c, kvHeads, 1, hd).transpose(0, 2, 3, 4, 1);         // [B, K, 1, hd, C]
        NDArray vh = values.reshape(bs, c, kvHeads, 1, hd).transpose(0, 2, 3, 1, 4);       // [B, K, 1, C, hd]
        NDArray scores = qh.matMul(kh).mul(1.0 / Math.sqrt(hd)).add(in.mask());             // [B, K, G, N, C]
        NDArray out = scores.softmax(-1).matMul(vh);                                       // [B, K, G, N, hd]
        out = out.transpose(0, 3, 1, 2, 4).reshape(bs * n, heads * hd);                    // [B N, H hd]
        if (in.unpadIndex() != null) {
            out = out.get(new NDIndex("{}", in.unpadIndex()));                               // [T, H hd]
        }
        return linear(out, w.wo(), w.bo());                                                // [T, D]
    }

    /** SwiGLU: down(silu(gate(h)) * up(h)). */
    private NDArray mlp(NDArray h, Weights.Layer w) {
        NDArray gu = linear(h, w.wGateUp(), w.bGateUp());                                  // [T, 2I]
        int inter = config.intermediateSize();
        NDArray gate = gu.get(":, :{}", inter);                                            // [T, I]
        NDArray up = gu.get(":, {}:", inter);                                              // [T, I]
        return linear(Activation.swish(gate, 1f).mul(up), w.wDown(), w.bDown());         // [T, D], silu = swish(1)
    }

    /** RMSNorm (Zhang and Sennrich 2019): x / sqrt(mean(x^2) + eps) * weight, computed in float32. */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray x32 = dtype == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray inv = x32.square().mean(new int[] {-1}, true).add(config.rmsNormEps()).pow(-0.5);
        NDArray normed = x32.mul(inv);
        return (dtype == DataType.FLOAT32 ? normed : normed.toType(dtype, false)).mul(weight);
    }

    /** RoPE in the rotate-half layout: x * cos + rotate_half(x) * sin, with rotate_half(x) = [-x2, x1]. */
    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(2) / 2;
        NDArray x1 = x.get(":, :, :{}", half);
        NDArray x2 = x.get(":, :, {}:", half);
        NDArray rotated = x2.neg().concat(x1, 2);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** Packed rows [T, W] to padded rows [B N, W] (identity when no sequence is shorter than N). */
    private static NDArray pad(NDArray packed, ForwardBatch.Inputs in) {
        return in.padIndex() == null ? packed : packed.get(new NDIndex("{}", in.padIndex()));
    }

    /** y = x W^T + b, with W in Hugging Face's [out, in] layout. */
    private static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        NDArray wt = w.transpose();    // a view owned by the weights' manager: release the handle after use
        NDArray y = x.matMul(wt);
        wt.close();
        return bias == null ? y : y.add(bias);
    }
}

package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Kernel#JAVA Java kernel}: the same decoder as {@link Transformer}, as plain loops over float32 copies
 * of the weights, with the KV cache in a {@link HostKvPool}. A pass is a few dozen loops instead of a few hundred
 * native calls, and attention reads each sequence's context in place by slot, so branches sharing a prefix never
 * copy it.
 *
 * <p>Every matrix is an array of row arrays, and every inner loop runs {@code y[j] += a * x[j]} over whole rows:
 * HotSpot's C2 (Java 17) vectorises that form and not a loop over offsets into one array (measured: about 20 against
 * 3.5 GFLOP/s). Linear maps keep their weights as {@code [in][out]} rows, and four activation rows share each
 * weight row while it is in cache. A batch splits into one sub-batch per core once a pass is big enough to pay
 * for the hand-off.
 *
 * <p>Shapes as in {@link Transformer}: T packed new tokens, D width, H query heads, K key/value heads,
 * G = H / K, hd head width, I MLP width, V vocabulary.
 */
final class HostForward {

    /** Multiply-adds below which a loop stays on the calling thread (a hand-off costs tens of microseconds). */
    private static final long PARALLEL_MIN_WORK = 1_000_000;

    private final ModelConfig c;
    private final Rope rope;
    private final float[][] embed;      // [V][D]
    private final Layer[] layers;
    private final float[] finalNorm;    // [D]
    private final float[][] head;       // [D][V]

    /** One decoder block's weights, linear maps as [in][out] rows. */
    private record Layer(float[] attnNorm, float[][] wqkv, float[] bqkv, float[][] wo, float[] bo,
                         float[] mlpNorm, float[][] wGateUp, float[] bGateUp, float[][] wDown, float[] bDown) {
    }

    HostForward(ModelConfig config, Weights w, Rope rope) {
        this.c = config;
        this.rope = rope;
        this.embed = rows(w.embed());
        List<Weights.Layer> ls = w.layers();
        this.layers = new Layer[ls.size()];
        for (int l = 0; l < ls.size(); l++) {
            Weights.Layer x = ls.get(l);
            layers[l] = new Layer(floats(x.attnNorm()), rows(x.wqkv().transpose()), floats(x.bqkv()),
                    rows(x.wo().transpose()), floats(x.bo()), floats(x.mlpNorm()), rows(x.wGateUp().transpose()),
                    floats(x.bGateUp()), rows(x.wDown().transpose()), floats(x.bDown()));
        }
        this.finalNorm = floats(w.finalNorm());
        this.head = rows(w.lmHead().transpose());
    }

    /**
     * Runs one cached pass; returns logits [R, V] as the batch asks (last token of each sequence, or every token).
     * Sequences of one pass are independent (each writes only its own new slots), so a batch big enough to pay for
     * the hand-off runs as one sub-batch per core, split where the work (tokens times weights plus context) halves;
     * a single sequence splits its loops' rows instead.
     */
    float[] forward(ForwardBatch b, HostKvPool kv) {
        long[] cost = new long[b.batch];
        long total = 0;
        for (int s = 0; s < b.batch; s++) {
            SequenceInput in = b.seqs.get(s);
            cost[s] = (long) in.tokens().length * (c.parameterCount() / 2 + (long) in.length() * c.numHeads() * c.headDim() * 2);
            total += cost[s];
        }
        int parts = Parallel.parts(b.batch, total, PARALLEL_MIN_WORK);
        if (parts <= 1) {
            return forwardSerial(b, kv, b.batch == 1);
        }
        // contiguous groups of sequences with about total / parts work each
        int[] bounds = new int[parts + 1];
        long acc = 0;
        int part = 1;
        for (int s = 0; s < b.batch && part < parts; s++) {
            acc += cost[s];
            if (acc * parts >= total * part && b.batch - (s + 1) >= parts - part) {
                bounds[part++] = s + 1;
            }
        }
        for (; part < parts; part++) {
            bounds[part] = b.batch - (parts - part);
        }
        bounds[parts] = b.batch;
        if (readsAcrossParts(b, bounds, kv.blockSize())) {
            return forwardSerial(b, kv, true);
        }
        int vocab = c.vocabSize();
        float[][] outs = new float[parts][];
        Parallel.forRange(parts, Long.MAX_VALUE, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                outs[p] = forwardSerial(new ForwardBatch(b.seqs.subList(bounds[p], bounds[p + 1]), b.logits), kv, false);
            }
        });
        float[] logits = new float[b.logitRows() * vocab];
        int offset = 0;
        for (float[] o : outs) {
            System.arraycopy(o, 0, logits, offset, o.length);
            offset += o.length;
        }
        return logits;
    }

    /**
     * Whether a sequence of one part reads context that a sequence of another part writes in this pass (a branch
     * fed in the same pass as the tokens it attends to). Within one thread every layer stores all new keys before
     * any attention reads, as the torch kernel does; across parts that order does not hold, so such a pass runs on
     * one thread. Checked a block at a time.
     */
    private static boolean readsAcrossParts(ForwardBatch b, int[] bounds, int blockSize) {
        Map<Integer, Integer> writtenBy = new HashMap<>();
        for (int p = 0; p + 1 < bounds.length; p++) {
            for (int s = bounds[p]; s < bounds[p + 1]; s++) {
                SequenceInput in = b.seqs.get(s);
                for (int i = in.start(); i < in.length(); i++) {
                    writtenBy.put(in.slots()[i] / blockSize, p);
                }
            }
        }
        for (int p = 0; p + 1 < bounds.length; p++) {
            for (int s = bounds[p]; s < bounds[p + 1]; s++) {
                SequenceInput in = b.seqs.get(s);
                for (int i = 0; i < in.start(); i += i % blockSize == 0 ? blockSize : 1) {
                    Integer writer = writtenBy.get(in.slots()[i] / blockSize);
                    if (writer != null && writer != p) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** One pass on this thread; {@code split} lets its products and attention split rows across cores. */
    private float[] forwardSerial(ForwardBatch b, HostKvPool kv, boolean split) {
        int t = b.totalTokens;
        int d = c.hiddenSize();
        int hd = c.headDim();
        int inter = c.intermediateSize();
        // host-side plan: rotary tables and each row's sequence and position; the embeddings of the new tokens
        float[] cos = new float[t * hd];
        float[] sin = new float[t * hd];
        int[] seqOf = new int[t];
        int[] posOf = new int[t];
        float[][] x = new float[t][];                                                   // [T][D]
        int row = 0;
        for (int s = 0; s < b.batch; s++) {
            SequenceInput in = b.seqs.get(s);
            if (in.slots() == null) {
                throw new IllegalArgumentException("the Java kernel runs cached passes only");
            }
            if (kv.pagedKeys() && !ForwardBatch.blockAligned(in.slots(), kv.blockSize())) {
                throw new IllegalArgumentException("a paged KV pool needs slots laid out in whole blocks of "
                        + kv.blockSize());
            }
            rope.fill(cos, sin, row, in.start(), in.tokens().length, in.length());
            for (int i = 0; i < in.tokens().length; i++, row++) {
                seqOf[row] = s;
                posOf[row] = in.start() + i;
                x[row] = embed[in.tokens()[i]].clone();
            }
        }
        float[][] h = new float[t][d];                                                  // [T][D]
        float[][] qkv = new float[t][c.qkvWidth()];                                     // [T][(H + 2K) hd]
        float[][] att = new float[t][c.numHeads() * hd];                                // [T][H hd]
        float[][] gu = new float[t][2 * inter];                                         // [T][2I]
        float[][] act = new float[t][inter];                                            // [T][I]
        for (int l = 0; l < layers.length; l++) {
            Layer w = layers[l];
            // attention block: x += wo(attention(rope(qkv(norm(x)))))
            rmsNorm(x, w.attnNorm, h);
            matmul(h, w.wqkv, w.bqkv, qkv, split);
            rotate(qkv, cos, sin);
            store(b, qkv, kv, l);
            attention(b, seqOf, posOf, qkv, kv, l, att, split);
            matmul(att, w.wo, w.bo, h, split);
            addInto(x, h);
            // MLP block: x += down(silu(gate(norm(x))) * up(norm(x)))
            rmsNorm(x, w.mlpNorm, h);
            matmul(h, w.wGateUp, w.bGateUp, gu, split);
            for (int i = 0; i < t; i++) {
                float[] g = gu[i];
                float[] a = act[i];
                for (int j = 0; j < inter; j++) {
                    a[j] = g[j] / (1f + (float) Math.exp(-g[j])) * g[inter + j];
                }
            }
            matmul(act, w.wDown, w.bDown, h, split);
            addInto(x, h);
        }
        // the rows to project: each sequence's last token, or all of them
        float[][] sel = x;
        if (b.logits == ForwardBatch.Logits.LAST && b.batch != t) {
            sel = new float[b.batch][];
            int end = 0;
            for (int i = 0; i < b.batch; i++) {
                end += b.seqs.get(i).tokens().length;
                sel[i] = x[end - 1];
            }
        }
        float[][] normed = new float[sel.length][d];
        rmsNorm(sel, finalNorm, normed);
        float[][] logits = new float[sel.length][c.vocabSize()];                       // [R][V]
        matmul(normed, head, null, logits, split);
        float[] flat = new float[sel.length * c.vocabSize()];
        for (int i = 0; i < sel.length; i++) {
            System.arraycopy(logits[i], 0, flat, i * c.vocabSize(), c.vocabSize());
        }
        return flat;
    }

    /** RMSNorm of every row: x / sqrt(mean(x^2) + eps) * weight. */
    private void rmsNorm(float[][] x, float[] weight, float[][] out) {
        for (int r = 0; r < x.length; r++) {
            float[] xr = x[r];
            float[] o = out[r];
            float ss = 0f;
            for (float v : xr) {
                ss += v * v;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / xr.length + c.rmsNormEps()));
            for (int j = 0; j < xr.length; j++) {
                o[j] = xr[j] * inv * weight[j];
            }
        }
    }

    /** RoPE on the H query and K key heads of every row, rotate-half layout. */
    private void rotate(float[][] qkv, float[] cos, float[] sin) {
        int hd = c.headDim();
        int half = hd / 2;
        int heads = c.numHeads() + c.numKvHeads();
        for (int i = 0; i < qkv.length; i++) {
            float[] r = qkv[i];
            int tab = i * hd;
            for (int hh = 0; hh < heads; hh++) {
                int o = hh * hd;
                for (int j = 0; j < half; j++) {
                    float x1 = r[o + j];
                    float x2 = r[o + half + j];
                    r[o + j] = x1 * cos[tab + j] - x2 * sin[tab + j];
                    r[o + half + j] = x2 * cos[tab + half + j] + x1 * sin[tab + half + j];
                }
            }
        }
    }

    /** Writes every new token's key and value heads into its slot. */
    private void store(ForwardBatch b, float[][] qkv, HostKvPool kv, int layer) {
        int hd = c.headDim();
        int kvHeads = c.numKvHeads();
        int kOff = c.numHeads() * hd;
        int vOff = kOff + kvHeads * hd;
        float[][] values = kv.values(layer);
        int row = 0;
        for (SequenceInput s : b.seqs) {
            for (int i = 0; i < s.tokens().length; i++, row++) {
                int slot = s.slots()[s.start() + i];
                for (int h = 0; h < kvHeads; h++) {
                    kv.putKey(layer, slot, h, qkv[row], kOff + h * hd);
                    System.arraycopy(qkv[row], vOff + h * hd, values[slot * kvHeads + h], 0, hd);
                }
            }
        }
    }

    /** Causal grouped-query attention of every new token over its sequence's cached context, read by slot. */
    private void attention(ForwardBatch b, int[] seqOf, int[] posOf, float[][] qkv, HostKvPool kv, int layer,
                           float[][] att, boolean split) {
        long work = 0;
        for (int p : posOf) {
            work += (long) (p + 1) * 2 * c.numHeads() * c.headDim();
        }
        float[][] keys = kv.keys(layer);
        float[][] values = kv.values(layer);
        int bs = kv.blockSize();
        Parallel.forRange(qkv.length, split ? work : 0, PARALLEL_MIN_WORK, (lo, hi) -> {
            float[] scores = new float[b.maxContext + bs];
            float[][] blockScores = kv.pagedKeys() ? new float[(b.maxContext + bs - 1) / bs][bs] : null;
            float[] q = new float[c.headDim()];
            float[] out = new float[c.headDim()];
            for (int r = lo; r < hi; r++) {
                attendRow(b.seqs.get(seqOf[r]).slots(), posOf[r], qkv[r], keys, values, bs, att[r], scores,
                        blockScores, q, out);
            }
        });
    }

    private void attendRow(int[] slots, int pos, float[] qkv, float[][] keys, float[][] values, int bs, float[] att,
                           float[] scores, float[][] blockScores, float[] q, float[] out) {
        int hd = c.headDim();
        int kvHeads = c.numKvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int head = 0; head < c.numHeads(); head++) {
            int kvh = head / c.groupSize();
            System.arraycopy(qkv, head * hd, q, 0, hd);
            // scores over positions 0..pos: a block at a time (hd axpys over transposed keys), or a slot at a time
            if (blockScores != null) {
                for (int blk = 0; blk * bs <= pos; blk++) {
                    float[] sc = blockScores[blk];
                    Arrays.fill(sc, 0f);
                    int base = (slots[blk * bs] / bs * kvHeads + kvh) * hd;
                    int d = 0;
                    for (; d + 4 <= hd; d += 4) {   // four key dimensions per sweep, sums in the same order
                        axpy4x(q[d], q[d + 1], q[d + 2], q[d + 3], keys[base + d], keys[base + d + 1],
                                keys[base + d + 2], keys[base + d + 3], sc);
                    }
                    for (; d < hd; d++) {
                        axpy(q[d], keys[base + d], sc);
                    }
                    System.arraycopy(sc, 0, scores, blk * bs, bs);
                }
            } else {
                for (int j = 0; j <= pos; j++) {
                    scores[j] = dot(q, keys[slots[j] * kvHeads + kvh]);
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= pos; j++) {
                scores[j] *= scale;
                max = Math.max(max, scores[j]);
            }
            float sum = 0f;
            for (int j = 0; j <= pos; j++) {
                float e = (float) Math.exp(scores[j] - max);
                scores[j] = e;
                sum += e;
            }
            // out = sum_j p_j v_j
            Arrays.fill(out, 0f);
            float inv = 1f / sum;
            int j = 0;
            for (; j + 3 <= pos; j += 4) {      // four positions per sweep, sums in the same order
                axpy4x(scores[j] * inv, scores[j + 1] * inv, scores[j + 2] * inv, scores[j + 3] * inv,
                        values[slots[j] * kvHeads + kvh], values[slots[j + 1] * kvHeads + kvh],
                        values[slots[j + 2] * kvHeads + kvh], values[slots[j + 3] * kvHeads + kvh], out);
            }
            for (; j <= pos; j++) {
                axpy(scores[j] * inv, values[slots[j] * kvHeads + kvh], out);
            }
            System.arraycopy(out, 0, att, head * hd, hd);
        }
    }

    /** y = x W + bias for every row, W as [in][out] rows; rows split across cores when the product is big. */
    private static void matmul(float[][] x, float[][] w, float[] bias, float[][] y, boolean split) {
        int t = x.length;
        long work = (long) t * w.length * w[0].length;
        // parts of whole groups of four rows
        int groups = (t + 3) / 4;
        Parallel.forRange(groups, split ? work : 0, PARALLEL_MIN_WORK, (g0, g1) -> {
            for (int r = g0 * 4; r < Math.min(t, g1 * 4); r += 4) {
                int n = Math.min(4, t - r);
                for (int k = 0; k < n; k++) {
                    if (bias == null) {
                        Arrays.fill(y[r + k], 0f);
                    } else {
                        System.arraycopy(bias, 0, y[r + k], 0, bias.length);
                    }
                }
                // four weight rows at a time for the group's rows: each y element is loaded and stored once per
                // four weight rows instead of once per row (the sums keep their order, so results are unchanged);
                // a short last group is not padded (a padded row costs as much as a real one, and a core's share
                // of a small batch is often four rows and one)
                int i = 0;
                for (; i + 4 <= w.length; i += 4) {
                    // pairs of rows: a loop body small enough for HotSpot to unroll and vectorise (four rows at once
                    // is not: it stays scalar)
                    int k = 0;
                    for (; k + 2 <= n; k += 2) {
                        rows2(x[r + k], x[r + k + 1], i, w, y[r + k], y[r + k + 1]);
                    }
                    if (k < n) {
                        rows1(x[r + k], i, w, y[r + k]);
                    }
                }
                for (; i < w.length; i++) {
                    float[] wi = w[i];
                    switch (n) {
                        case 4 -> axpy4(x[r][i], x[r + 1][i], x[r + 2][i], x[r + 3][i], wi, y[r], y[r + 1], y[r + 2], y[r + 3]);
                        case 3 -> axpy3(x[r][i], x[r + 1][i], x[r + 2][i], wi, y[r], y[r + 1], y[r + 2]);
                        case 2 -> axpy2(x[r][i], x[r + 1][i], wi, y[r], y[r + 1]);
                        default -> axpy(x[r][i], wi, y[r]);
                    }
                }
            }
        });
    }

    /** Two activation rows times weight rows i..i+3: y_r += x_r[i] w[i] + ... + x_r[i+3] w[i+3], left to right. */
    private static void rows2(float[] x0, float[] x1, int i, float[][] w, float[] y0, float[] y1) {
        float[] w0 = w[i];
        float[] w1 = w[i + 1];
        float[] w2 = w[i + 2];
        float[] w3 = w[i + 3];
        float a00 = x0[i], a01 = x0[i + 1], a02 = x0[i + 2], a03 = x0[i + 3];
        float a10 = x1[i], a11 = x1[i + 1], a12 = x1[i + 2], a13 = x1[i + 3];
        for (int j = 0; j < w0.length; j++) {
            float v0 = w0[j];
            float v1 = w1[j];
            float v2 = w2[j];
            float v3 = w3[j];
            y0[j] = y0[j] + a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3;
            y1[j] = y1[j] + a10 * v0 + a11 * v1 + a12 * v2 + a13 * v3;
        }
    }

    /** {@link #rows2} for one activation row (a decode step of a lone sequence). */
    private static void rows1(float[] x0, int i, float[][] w, float[] y0) {
        float[] w0 = w[i];
        float[] w1 = w[i + 1];
        float[] w2 = w[i + 2];
        float[] w3 = w[i + 3];
        float a00 = x0[i], a01 = x0[i + 1], a02 = x0[i + 2], a03 = x0[i + 3];
        for (int j = 0; j < w0.length; j++) {
            y0[j] = y0[j] + a00 * w0[j] + a01 * w1[j] + a02 * w2[j] + a03 * w3[j];
        }
    }

    /** y += a0 x0 + a1 x1 + a2 x2 + a3 x3, added left to right (four axpys in one sweep over y). */
    private static void axpy4x(float a0, float a1, float a2, float a3, float[] x0, float[] x1, float[] x2, float[] x3,
                               float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] = y[j] + a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** y += a x over whole rows. */
    private static void axpy(float a, float[] x, float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * x[j];
        }
    }

    /** Four axpys sharing one row of x (a weight row read once for four activation rows). */
    private static void axpy4(float a0, float a1, float a2, float a3, float[] x, float[] y0, float[] y1, float[] y2,
                              float[] y3) {
        for (int j = 0; j < x.length; j++) {
            float v = x[j];
            y0[j] += a0 * v;
            y1[j] += a1 * v;
            y2[j] += a2 * v;
            y3[j] += a3 * v;
        }
    }

    /** Three axpys sharing one row of x. */
    private static void axpy3(float a0, float a1, float a2, float[] x, float[] y0, float[] y1, float[] y2) {
        for (int j = 0; j < x.length; j++) {
            float v = x[j];
            y0[j] += a0 * v;
            y1[j] += a1 * v;
            y2[j] += a2 * v;
        }
    }

    /** Two axpys sharing one row of x. */
    private static void axpy2(float a0, float a1, float[] x, float[] y0, float[] y1) {
        for (int j = 0; j < x.length; j++) {
            float v = x[j];
            y0[j] += a0 * v;
            y1[j] += a1 * v;
        }
    }

    private static void addInto(float[][] x, float[][] y) {
        for (int r = 0; r < x.length; r++) {
            float[] xr = x[r];
            float[] yr = y[r];
            for (int j = 0; j < xr.length; j++) {
                xr[j] += yr[j];
            }
        }
    }

    private static float dot(float[] a, float[] b) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int j = 0;
        for (; j + 4 <= a.length; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < a.length; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[] floats(NDArray a) {
        return a == null ? null : a.toType(DataType.FLOAT32, true).toFloatArray();
    }

    /** A 2-D array as row arrays (float32). */
    private static float[][] rows(NDArray m) {
        int n = (int) m.getShape().get(0);
        int width = (int) m.getShape().get(1);
        float[] flat = floats(m);
        float[][] out = new float[n][];
        for (int r = 0; r < n; r++) {
            out[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return out;
    }
}

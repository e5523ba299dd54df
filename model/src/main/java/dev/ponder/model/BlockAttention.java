package dev.ponder.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Attention of one pass of the {@link HostForward Java kernel} over a paged {@link HostKvPool}, block by block
 * (shared-prefix or cascade attention, as in Hydragen and FlashInfer): every KV block that a pass reads is visited
 * once per layer and key/value head, and all the queries that read it, of every branch and of every query head of
 * the group, take their scores and their share of the weighted sum from it while it is in cache. Branches forked
 * from one prompt read its blocks once per pass instead of once per branch and head.
 *
 * <p>The arithmetic is the per-row loop's, in the same order (four key dimensions per sweep for a score, four
 * positions per sweep for the weighted sum, positions in increasing order), so the results are bit for bit those of
 * attending row by row. Queries are taken two at a time so that each key and value row loaded serves both.
 *
 * <p>The plan (which rows read which blocks) depends only on the pass's slots, so it is made once per pass and serves
 * every layer. Rows are taken in chunks whose scores fit {@link #CHUNK_SCORES} floats, so a long prefill does not
 * hold every row's scores at once.
 */
final class BlockAttention {

    /** Floats of scores held at once (4 MiB): a decode pass of 32 branches at a 4096-token context is one chunk. */
    private static final int CHUNK_SCORES = 1 << 20;

    /** Multiply-adds below which a layer's attention stays on the calling thread. */
    private static final long PARALLEL_MIN_WORK = 1_000_000;

    /** One KV block as read by some rows of a chunk: its physical number, its place in their context, the rows. */
    private record Entry(int block, int logical, int[] rows) {
    }

    /** Consecutive rows of the pass, the blocks they read in context order, where each query's scores start. */
    private record Chunk(int firstRow, int rows, Entry[] entries, int[] scoreBase) {
    }

    private final int heads;
    private final int kvHeads;
    private final int group;
    private final int hd;
    private final int bs;
    private final int[] posOf;
    private final long work;
    private final List<Chunk> chunks = new ArrayList<>();
    private final float[][] scores;   // [blocks read by a chunk's queries][bs]: each query's scores, block by block
    private final float[][] outs;     // [a chunk's queries][hd]

    /** The plan for a pass: rows as in {@link HostForward} (sequence and position of each new token). */
    BlockAttention(ModelConfig c, ForwardBatch b, int[] seqOf, int[] posOf, int blockSize) {
        this.heads = c.numHeads();
        this.kvHeads = c.numKvHeads();
        this.group = c.groupSize();
        this.hd = c.headDim();
        this.bs = blockSize;
        this.posOf = posOf;
        long w = 0;
        int maxScoreRows = 0;
        int maxQueries = 0;
        int row = 0;
        while (row < posOf.length) {
            int first = row;
            int scoreRows = 0;
            // rows of this chunk: at least one, then while their scores fit
            do {
                scoreRows += heads * (posOf[row] / bs + 1);
                w += (long) (posOf[row] + 1) * 2 * heads * hd;
                row++;
            } while (row < posOf.length && scoreRows + heads * (posOf[row] / bs + 1) <= CHUNK_SCORES / bs);
            Chunk chunk = plan(b, seqOf, first, row - first);
            chunks.add(chunk);
            maxScoreRows = Math.max(maxScoreRows, scoreRows);
            maxQueries = Math.max(maxQueries, (row - first) * heads);
        }
        this.work = w;
        this.scores = new float[maxScoreRows][bs];
        this.outs = new float[maxQueries][hd];
    }

    /** Which rows of a chunk read which physical block at which place in their context, in context order. */
    private Chunk plan(ForwardBatch b, int[] seqOf, int first, int rows) {
        Map<Long, List<Integer>> readers = new HashMap<>();
        int[] scoreBase = new int[rows * heads];
        int next = 0;
        for (int i = 0; i < rows; i++) {
            int[] slots = b.seqs.get(seqOf[first + i]).slots();
            int blocks = posOf[first + i] / bs + 1;
            for (int h = 0; h < heads; h++) {
                scoreBase[i * heads + h] = next;
                next += blocks;
            }
            for (int li = 0; li < blocks; li++) {
                long key = ((long) li << 32) | (slots[li * bs] / bs);
                readers.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        // context order (logical block first), so each query sums its positions in increasing order
        long[] keys = readers.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        Entry[] entries = new Entry[keys.length];
        for (int e = 0; e < keys.length; e++) {
            int[] rs = readers.get(keys[e]).stream().mapToInt(Integer::intValue).toArray();
            entries[e] = new Entry((int) keys[e], (int) (keys[e] >>> 32), rs);
        }
        return new Chunk(first, rows, entries, scoreBase);
    }

    /** One layer: att[r] (the H heads' outputs) from the queries in qkv[r], over the layer's keys and values. */
    void run(float[][] qkv, float[][] keys, float[][] values, float[][] att, boolean split) {
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (Chunk chunk : chunks) {
            // key/value heads are independent: one part per core takes whole heads
            Parallel.forRange(kvHeads, split ? work : 0, PARALLEL_MIN_WORK, (k0, k1) -> {
                int[] queries = new int[chunk.rows * group];
                for (int kvh = k0; kvh < k1; kvh++) {
                    for (Entry e : chunk.entries) {
                        int n = queriesOf(e, kvh, queries);
                        scoreBlock(chunk, e, kvh, n, queries, qkv, keys);
                    }
                    softmax(chunk, kvh, scale);
                    for (int i = 0; i < chunk.rows; i++) {
                        for (int g = 0; g < group; g++) {
                            Arrays.fill(outs[i * heads + kvh * group + g], 0f);
                        }
                    }
                    for (Entry e : chunk.entries) {
                        int n = queriesOf(e, kvh, queries);
                        weighBlock(chunk, e, kvh, n, queries, values);
                    }
                    for (int i = 0; i < chunk.rows; i++) {
                        for (int g = 0; g < group; g++) {
                            int h = kvh * group + g;
                            System.arraycopy(outs[i * heads + h], 0, att[chunk.firstRow + i], h * hd, hd);
                        }
                    }
                }
            });
        }
    }

    /** The queries (chunk row * H + head) of key/value head kvh that read entry e; returns how many. */
    private int queriesOf(Entry e, int kvh, int[] into) {
        int n = 0;
        for (int i : e.rows) {
            for (int g = 0; g < group; g++) {
                into[n++] = i * heads + kvh * group + g;
            }
        }
        return n;
    }

    /** The raw scores q.k of every query reading block e, over all bs positions (those past a row's end unused). */
    private void scoreBlock(Chunk chunk, Entry e, int kvh, int n, int[] queries, float[][] qkv, float[][] keys) {
        int base = (e.block * kvHeads + kvh) * hd;
        int q = 0;
        for (; q + 2 <= n; q += 2) {
            float[] q0 = qkv[chunk.firstRow + queries[q] / heads];
            float[] q1 = qkv[chunk.firstRow + queries[q + 1] / heads];
            int o0 = queries[q] % heads * hd;
            int o1 = queries[q + 1] % heads * hd;
            float[] s0 = scores[chunk.scoreBase[queries[q]] + e.logical];
            float[] s1 = scores[chunk.scoreBase[queries[q + 1]] + e.logical];
            Arrays.fill(s0, 0f);
            Arrays.fill(s1, 0f);
            int d = 0;
            for (; d + 4 <= hd; d += 4) {   // four key dimensions per sweep, two queries per key row loaded
                sweep2(q0[o0 + d], q0[o0 + d + 1], q0[o0 + d + 2], q0[o0 + d + 3],
                        q1[o1 + d], q1[o1 + d + 1], q1[o1 + d + 2], q1[o1 + d + 3],
                        keys[base + d], keys[base + d + 1], keys[base + d + 2], keys[base + d + 3], s0, s1);
            }
            for (; d < hd; d++) {
                axpy(q0[o0 + d], keys[base + d], s0);
                axpy(q1[o1 + d], keys[base + d], s1);
            }
        }
        if (q < n) {
            float[] q0 = qkv[chunk.firstRow + queries[q] / heads];
            int o0 = queries[q] % heads * hd;
            float[] s0 = scores[chunk.scoreBase[queries[q]] + e.logical];
            Arrays.fill(s0, 0f);
            int d = 0;
            for (; d + 4 <= hd; d += 4) {
                sweep1(q0[o0 + d], q0[o0 + d + 1], q0[o0 + d + 2], q0[o0 + d + 3],
                        keys[base + d], keys[base + d + 1], keys[base + d + 2], keys[base + d + 3], s0);
            }
            for (; d < hd; d++) {
                axpy(q0[o0 + d], keys[base + d], s0);
            }
        }
    }

    /** Scaled softmax of each query of kvh over its positions 0..pos, left in place as the weights p_j. */
    private void softmax(Chunk chunk, int kvh, float scale) {
        for (int i = 0; i < chunk.rows; i++) {
            int pos = posOf[chunk.firstRow + i];
            int blocks = pos / bs + 1;
            for (int g = 0; g < group; g++) {
                int base = chunk.scoreBase[i * heads + kvh * group + g];
                float max = Float.NEGATIVE_INFINITY;
                for (int li = 0; li < blocks; li++) {
                    float[] s = scores[base + li];
                    for (int j = 0, n = Math.min(bs, pos - li * bs + 1); j < n; j++) {
                        s[j] *= scale;
                        max = Math.max(max, s[j]);
                    }
                }
                float sum = 0f;
                for (int li = 0; li < blocks; li++) {
                    float[] s = scores[base + li];
                    for (int j = 0, n = Math.min(bs, pos - li * bs + 1); j < n; j++) {
                        s[j] = (float) Math.exp(s[j] - max);
                        sum += s[j];
                    }
                }
                float inv = 1f / sum;
                for (int li = 0; li < blocks; li++) {
                    float[] s = scores[base + li];
                    for (int j = 0, n = Math.min(bs, pos - li * bs + 1); j < n; j++) {
                        s[j] *= inv;
                    }
                }
            }
        }
    }

    /** out_q += sum_j p_j v_j over the positions of block e that each query reads, in increasing order. */
    private void weighBlock(Chunk chunk, Entry e, int kvh, int n, int[] queries, float[][] values) {
        int slot0 = e.block * bs;
        int q = 0;
        for (; q + 2 <= n; q += 2) {
            int n0 = positions(chunk, e, queries[q]);
            int n1 = positions(chunk, e, queries[q + 1]);
            float[] p0 = scores[chunk.scoreBase[queries[q]] + e.logical];
            float[] p1 = scores[chunk.scoreBase[queries[q + 1]] + e.logical];
            float[] y0 = outs[queries[q]];
            float[] y1 = outs[queries[q + 1]];
            int both = Math.min(n0, n1) / 4 * 4;
            int j = 0;
            for (; j < both; j += 4) {      // four positions per sweep, two queries per value row loaded
                sweep2(p0[j], p0[j + 1], p0[j + 2], p0[j + 3], p1[j], p1[j + 1], p1[j + 2], p1[j + 3],
                        values[(slot0 + j) * kvHeads + kvh], values[(slot0 + j + 1) * kvHeads + kvh],
                        values[(slot0 + j + 2) * kvHeads + kvh], values[(slot0 + j + 3) * kvHeads + kvh], y0, y1);
            }
            weighRest(p0, y0, j, n0, slot0, kvh, values);
            weighRest(p1, y1, j, n1, slot0, kvh, values);
        }
        if (q < n) {
            weighRest(scores[chunk.scoreBase[queries[q]] + e.logical], outs[queries[q]], 0,
                    positions(chunk, e, queries[q]), slot0, kvh, values);
        }
    }

    /** One query's positions from..n-1 of a block: whole groups of four, then one at a time. */
    private void weighRest(float[] p, float[] y, int from, int n, int slot0, int kvh, float[][] values) {
        int j = from;
        for (; j + 4 <= n; j += 4) {
            sweep1(p[j], p[j + 1], p[j + 2], p[j + 3], values[(slot0 + j) * kvHeads + kvh],
                    values[(slot0 + j + 1) * kvHeads + kvh], values[(slot0 + j + 2) * kvHeads + kvh],
                    values[(slot0 + j + 3) * kvHeads + kvh], y);
        }
        for (; j < n; j++) {
            axpy(p[j], values[(slot0 + j) * kvHeads + kvh], y);
        }
    }

    /** How many positions of block e the query reads (all bs, or up to its own position in its last block). */
    private int positions(Chunk chunk, Entry e, int query) {
        return Math.min(bs, posOf[chunk.firstRow + query / heads] - e.logical * bs + 1);
    }

    /** y0 += a0 x0 + ... + a3 x3 and y1 += b0 x0 + ... + b3 x3, each added left to right, in one sweep. */
    private static void sweep2(float a0, float a1, float a2, float a3, float b0, float b1, float b2, float b3,
                               float[] x0, float[] x1, float[] x2, float[] x3, float[] y0, float[] y1) {
        for (int j = 0; j < y0.length; j++) {
            float v0 = x0[j];
            float v1 = x1[j];
            float v2 = x2[j];
            float v3 = x3[j];
            y0[j] = y0[j] + a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
            y1[j] = y1[j] + b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
        }
    }

    /** y += a0 x0 + a1 x1 + a2 x2 + a3 x3, added left to right. */
    private static void sweep1(float a0, float a1, float a2, float a3, float[] x0, float[] x1, float[] x2, float[] x3,
                               float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] = y[j] + a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    private static void axpy(float a, float[] x, float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * x[j];
        }
    }
}

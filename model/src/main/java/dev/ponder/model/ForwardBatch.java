package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * The host-side plan of one forward pass over several sequences of different lengths. New tokens of all
 * sequences are packed into T rows (no padding) for every per-token operation; attention alone works on a
 * padded [B, maxNew, maxContext] view, reached through gather indices.
 */
public final class ForwardBatch {

    /** Which rows of the output to project to logits. */
    public enum Logits { LAST, ALL }

    final List<SequenceInput> seqs;
    final Logits logits;
    final int batch;
    final int totalTokens;
    final int maxNew;
    final int maxContext;
    final boolean cached;
    final boolean ragged;

    public ForwardBatch(List<SequenceInput> seqs, Logits logits) {
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        this.seqs = List.copyOf(seqs);
        this.logits = logits;
        this.batch = seqs.size();
        this.cached = seqs.get(0).slots() != null;
        int t = 0;
        int mn = 0;
        int mc = 0;
        for (SequenceInput s : seqs) {
            if ((s.slots() != null) != cached) {
                throw new IllegalArgumentException("a batch must be all cached or all uncached");
            }
            t += s.tokens().length;
            mn = Math.max(mn, s.tokens().length);
            mc = Math.max(mc, s.length());
        }
        this.totalTokens = t;
        this.maxNew = mn;
        this.maxContext = cached ? mc : mn;
        this.ragged = t != batch * mn;
    }

    public List<SequenceInput> sequences() {
        return seqs;
    }

    public int totalTokens() {
        return totalTokens;
    }

    /** Rows of the logits output: one per sequence, or one per new token. */
    public int logitRows() {
        return logits == Logits.LAST ? batch : totalTokens;
    }

    /**
     * The plan as arrays in {@code scope}. With {@code blockSize > 1} and every sequence's slots laid out in
     * whole blocks (slot = block * blockSize + offset, as a paged cache lays them), context is gathered a block
     * at a time instead of a row at a time.
     */
    Inputs toArrays(NDManager scope, Rope rope, int headDim, DataType dtype, int blockSize) {
        boolean paged = cached && blockSize > 1 && seqs.stream().allMatch(s -> blockAligned(s.slots(), blockSize));
        int maxContext = paged ? (this.maxContext + blockSize - 1) / blockSize * blockSize : this.maxContext;
        long[] ids = new long[totalTokens];
        float[] cos = new float[totalTokens * headDim];
        float[] sin = new float[totalTokens * headDim];
        long[] padIndex = new long[batch * maxNew];     // padded query slot -> packed row (pads read row 0)
        long[] unpadIndex = new long[totalTokens];       // packed row -> padded query slot
        long[] writeSlots = cached ? new long[totalTokens] : null;
        long[] readSlots = cached && !paged ? new long[batch * maxContext] : null;
        long[] readBlocks = paged ? new long[batch * (maxContext / blockSize)] : null;
        float[] mask = new float[batch * maxNew * maxContext];
        long[] lastRows = new long[batch];
        Arrays.fill(mask, -1e9f);
        int row = 0;
        for (int b = 0; b < batch; b++) {
            SequenceInput s = seqs.get(b);
            int n = s.tokens().length;
            rope.fill(cos, sin, row, s.start(), n, s.length());
            for (int i = 0; i < n; i++) {
                ids[row + i] = s.tokens()[i];
                padIndex[b * maxNew + i] = row + i;
                unpadIndex[row + i] = (long) b * maxNew + i;
                if (cached) {
                    writeSlots[row + i] = s.slots()[s.start() + i];
                }
                // causal: query at position start+i sees context positions 0..start+i
                int visible = s.start() + i + 1;
                int base = (b * maxNew + i) * maxContext;
                for (int j = 0; j < visible; j++) {
                    mask[base + j] = 0f;
                }
            }
            if (paged) {
                int perSeq = maxContext / blockSize;
                for (int j = 0; j * blockSize < s.length(); j++) {
                    readBlocks[b * perSeq + j] = s.slots()[j * blockSize] / blockSize;
                }
            } else if (cached) {
                for (int j = 0; j < s.length(); j++) {
                    readSlots[b * maxContext + j] = s.slots()[j];
                }
            }
            row += n;
            lastRows[b] = row - 1;
        }
        return new Inputs(
                scope.create(ids),
                cast(scope.create(cos, new Shape(totalTokens, 1, headDim)), dtype),
                cast(scope.create(sin, new Shape(totalTokens, 1, headDim)), dtype),
                ragged ? scope.create(padIndex) : null,
                ragged ? scope.create(unpadIndex) : null,
                cached ? scope.create(writeSlots) : null,
                readSlots != null ? scope.create(readSlots) : null,
                readBlocks != null ? scope.create(readBlocks) : null,
                maxContext,
                cast(scope.create(mask, new Shape(batch, 1, 1, maxNew, maxContext)), dtype),
                logits == Logits.LAST && !(batch == totalTokens) ? scope.create(lastRows) : null);
    }

    /** Whether every position's slot is block * blockSize + offset, as a paged cache lays them out. */
    static boolean blockAligned(int[] slots, int blockSize) {
        for (int p = 0; p < slots.length; p++) {
            int first = slots[p - p % blockSize];
            if (first % blockSize != 0 || slots[p] != first + p % blockSize) {
                return false;
            }
        }
        return true;
    }

    private static NDArray cast(NDArray a, DataType dtype) {
        return a.getDataType() == dtype ? a : a.toType(dtype, false);
    }

    /**
     * Device-side inputs of one pass.
     *
     * @param ids        [T] token ids, packed
     * @param cos        [T, 1, hd] rotary cosines of each token's position
     * @param sin        [T, 1, hd] rotary sines
     * @param padIndex   [B * N] padded query slot -> packed row; null when every sequence has the same new span
     * @param unpadIndex [T] packed row -> padded query slot; null with padIndex
     * @param writeSlots [T] KV slots the new tokens are written to; null for an uncached pass
     * @param readSlots  [B * C] KV slots to gather context from row by row; null when paged or uncached
     * @param readBlocks [B * C / blockSize] block ids to gather context by (paged layout); null otherwise
     * @param context    width C of the gathered context
     * @param mask       [B, 1, 1, N, C] additive causal mask
     * @param logitRows  [B] the packed row of each sequence's last token; null when every row is wanted
     */
    record Inputs(NDArray ids, NDArray cos, NDArray sin, NDArray padIndex, NDArray unpadIndex, NDArray writeSlots,
                  NDArray readSlots, NDArray readBlocks, int context, NDArray mask, NDArray logitRows) {
    }
}

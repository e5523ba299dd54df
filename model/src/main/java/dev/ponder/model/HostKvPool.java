package dev.ponder.model;

/**
 * Keys and values in Java arrays, for the {@link Kernel#JAVA Java kernel}, read in place by slot number, laid out so
 * that every inner loop of attention runs over a whole array (the form the JIT vectorises):
 * <ul>
 *   <li>values: per layer, slot and key/value head one {@code float[headDim]} (index {@code slot * K + head});</li>
 *   <li>keys of a paged pool ({@code blockSize > 1}): transposed per block, per layer one {@code float[blockSize]}
 *       per block, head and dimension (index {@code (block * K + head) * headDim + d}), so the scores of a whole
 *       block are {@code headDim} axpys; keys of an unpaged pool: like values.</li>
 * </ul>
 */
public final class HostKvPool implements KvPool {

    private final float[][][] keys;     // [layer][slot * K + head][hd]
    private final float[][][] values;
    private final int slots;
    private final int blockSize;
    private final int kvHeads;
    private final int headDim;

    public HostKvPool(ModelConfig config, int slots, int blockSize) {
        if (slots % blockSize != 0) {
            throw new IllegalArgumentException("slots " + slots + " not a multiple of block size " + blockSize);
        }
        long rows = (long) slots * config.numKvHeads();
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(slots + " KV slots exceed a Java array; lower "
                    + "ponder.engine.kv-budget-mb or use ponder.model.kernel=torch");
        }
        this.slots = slots;
        this.blockSize = blockSize;
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.keys = blockSize > 1
                ? new float[config.numLayers()][(int) rows / blockSize * headDim][blockSize]
                : new float[config.numLayers()][(int) rows][headDim];
        this.values = new float[config.numLayers()][(int) rows][headDim];
    }

    /** Keys transposed per block ({@code blockSize > 1}), else per slot and head like {@link #values}. */
    boolean pagedKeys() {
        return blockSize > 1;
    }

    float[][] keys(int layer) {
        return keys[layer];
    }

    /** Writes the key of {@code slot}, head {@code head}, from {@code src[offset ..]}. */
    void putKey(int layer, int slot, int head, float[] src, int offset) {
        if (blockSize == 1) {
            System.arraycopy(src, offset, keys[layer][slot * kvHeads + head], 0, headDim);
            return;
        }
        int base = (slot / blockSize * kvHeads + head) * headDim;
        int at = slot % blockSize;
        float[][] k = keys[layer];
        for (int d = 0; d < headDim; d++) {
            k[base + d][at] = src[offset + d];
        }
    }

    float[][] values(int layer) {
        return values[layer];
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public long bytes() {
        return 2L * keys.length * slots * kvHeads * headDim * Float.BYTES;
    }

    @Override
    public void copySlots(int[] from, int[] to) {
        for (int l = 0; l < keys.length; l++) {
            for (int i = 0; i < from.length; i++) {
                for (int h = 0; h < kvHeads; h++) {
                    System.arraycopy(values[l][from[i] * kvHeads + h], 0, values[l][to[i] * kvHeads + h], 0, headDim);
                    if (blockSize == 1) {
                        System.arraycopy(keys[l][from[i] * kvHeads + h], 0, keys[l][to[i] * kvHeads + h], 0, headDim);
                        continue;
                    }
                    int src = (from[i] / blockSize * kvHeads + h) * headDim;
                    int dst = (to[i] / blockSize * kvHeads + h) * headDim;
                    for (int d = 0; d < headDim; d++) {
                        keys[l][dst + d][to[i] % blockSize] = keys[l][src + d][from[i] % blockSize];
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        // heap memory: the garbage collector frees it
    }
}

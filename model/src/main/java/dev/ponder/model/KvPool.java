package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Device memory for keys and values: per layer, one row of {@code numKvHeads * headDim} values per slot.
 * Who owns which slot (block tables, sharing, eviction) is the engine's business; the forward pass only
 * writes new tokens' rows and gathers each sequence's rows by slot number.
 */
public final class KvPool implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int slots;
    private final int blockSize;
    private final NDArray[] keyBlocks;
    private final NDArray[] valueBlocks;

    public KvPool(NDManager parent, ModelConfig config, int slots, DataType dtype) {
        this(parent, config, slots, 1, dtype);
    }

    /**
     * @param blockSize slots per block of a paged cache (1: no block structure); slots must be a multiple.
     *                  Context laid out in whole blocks is then gathered a block at a time.
     */
    public KvPool(NDManager parent, ModelConfig config, int slots, int blockSize, DataType dtype) {
        if (slots % blockSize != 0) {
            throw new IllegalArgumentException("slots " + slots + " not a multiple of block size " + blockSize);
        }
        this.manager = parent.newSubManager();
        this.slots = slots;
        this.blockSize = blockSize;
        this.keyBlocks = new NDArray[config.numLayers()];
        this.valueBlocks = new NDArray[config.numLayers()];
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape shape = new Shape(slots, config.kvWidth());
        for (int l = 0; l < config.numLayers(); l++) {
            keys[l] = manager.zeros(shape, dtype);
            values[l] = manager.zeros(shape, dtype);
            // views of the same memory, one row per block
            keyBlocks[l] = keys[l].reshape(slots / blockSize, (long) blockSize * config.kvWidth());
            valueBlocks[l] = values[l].reshape(slots / blockSize, (long) blockSize * config.kvWidth());
        }
    }

    public int blockSize() {
        return blockSize;
    }

    NDArray keyBlocks(int layer) {
        return keyBlocks[layer];
    }

    NDArray valueBlocks(int layer) {
        return valueBlocks[layer];
    }

    public int slots() {
        return slots;
    }

    NDArray keys(int layer) {
        return keys[layer];
    }

    NDArray values(int layer) {
        return values[layer];
    }

    /** Bytes held on the device. */
    public long bytes() {
        long per = keys[0].getShape().size() * keys[0].getDataType().getNumOfBytes();
        return 2 * per * keys.length;
    }

    /** Copies slot rows {@code from[i]} to {@code to[i]} in every layer (copy-on-write of a shared block). */
    public void copySlots(int[] from, int[] to) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray src = scope.create(java.util.Arrays.stream(from).asLongStream().toArray());
            NDArray dst = scope.create(java.util.Arrays.stream(to).asLongStream().toArray());
            for (int l = 0; l < keys.length; l++) {
                keys[l].set(new ai.djl.ndarray.index.NDIndex("{}", dst), keys[l].get(scope, new ai.djl.ndarray.index.NDIndex("{}", src)));
                values[l].set(new ai.djl.ndarray.index.NDIndex("{}", dst), values[l].get(scope, new ai.djl.ndarray.index.NDIndex("{}", src)));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

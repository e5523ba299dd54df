package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Keys and values as tensors on the engine's device (the {@link Kernel#TORCH torch kernel}'s cache): per layer,
 * one row of {@code numKvHeads * headDim} values per slot.
 */
public final class TensorKvPool implements KvPool {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int slots;
    private final int blockSize;
    private final NDArray[] keyBlocks;
    private final NDArray[] valueBlocks;

    public TensorKvPool(NDManager parent, ModelConfig config, int slots, DataType dtype) {
        this(parent, config, slots, 1, dtype);
    }

    /**
     * @param blockSize slots per block of a paged cache (1: no block structure); slots must be a multiple.
     *                  Context laid out in whole blocks is then gathered a block at a time.
     */
    public TensorKvPool(NDManager parent, ModelConfig config, int slots, int blockSize, DataType dtype) {
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

    @Override
    public int blockSize() {
        return blockSize;
    }

    NDArray keyBlocks(int layer) {
        return keyBlocks[layer];
    }

    NDArray valueBlocks(int layer) {
        return valueBlocks[layer];
    }

    @Override
    public int slots() {
        return slots;
    }

    NDArray keys(int layer) {
        return keys[layer];
    }

    NDArray values(int layer) {
        return values[layer];
    }

    @Override
    public long bytes() {
        long per = keys[0].getShape().size() * keys[0].getDataType().getNumOfBytes();
        return 2 * per * keys.length;
    }

    @Override
    public void copySlots(int[] from, int[] to) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray src = scope.create(Arrays.stream(from).asLongStream().toArray());
            NDArray dst = scope.create(Arrays.stream(to).asLongStream().toArray());
            for (int l = 0; l < keys.length; l++) {
                keys[l].set(new NDIndex("{}", dst), keys[l].get(scope, new NDIndex("{}", src)));
                values[l].set(new NDIndex("{}", dst), values[l].get(scope, new NDIndex("{}", src)));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.ponder.model;

/**
 * Memory for keys and values: per layer, one row of {@code numKvHeads * headDim} values per slot. Who owns which
 * slot (block tables, sharing, eviction) is the engine's business; the forward pass only writes new tokens' rows
 * and reads each sequence's rows by slot number. Each {@link Kernel} has its own layout, so a pool comes from the
 * transformer that will read it ({@link Transformer#newKvPool}).
 */
public interface KvPool extends AutoCloseable {

    /** Slots per block of a paged cache (1: no block structure). */
    int blockSize();

    int slots();

    /** Bytes held. */
    long bytes();

    /** Copies slot rows {@code from[i]} to {@code to[i]} in every layer (copy-on-write of a shared block). */
    void copySlots(int[] from, int[] to);

    @Override
    void close();
}

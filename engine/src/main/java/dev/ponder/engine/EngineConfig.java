package dev.ponder.engine;

/**
 * Settings of one engine.
 *
 * @param blockSize         KV slots per block (the page size of the paged cache)
 * @param kvBudgetBytes     device memory for keys and values; sets the number of blocks
 * @param maxBatchTokens    most tokens one forward pass computes (prefill chunks are cut to fit)
 * @param maxBatchSequences most sequences in one forward pass
 * @param sharing           false runs the naive engine used as a baseline: no prefix cache, every branch
 *                          recomputes its whole prefix, one sequence per forward pass
 */
public record EngineConfig(int blockSize, long kvBudgetBytes, int maxBatchTokens, int maxBatchSequences,
                           boolean sharing) {

    public EngineConfig {
        if (blockSize < 1 || maxBatchTokens < 1 || maxBatchSequences < 1 || kvBudgetBytes < 1) {
            throw new IllegalArgumentException("engine limits must be positive");
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig(16, 256L << 20, 2048, 256, true);
    }

    /** The same limits with sharing and batching switched off. */
    public EngineConfig naive() {
        return new EngineConfig(blockSize, kvBudgetBytes, maxBatchTokens, 1, false);
    }
}

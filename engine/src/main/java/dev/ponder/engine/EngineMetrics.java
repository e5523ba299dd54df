package dev.ponder.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the engine, read from any thread (Micrometer binds them in the service): passes, batch
 * sizes, tokens computed, time in the model against time in the scheduler, copy-on-write rows.
 */
public final class EngineMetrics {

    public final LongAdder passes = new LongAdder();
    public final LongAdder sequencesInPasses = new LongAdder();
    public final LongAdder tokensComputed = new LongAdder();
    public final LongAdder modelNanos = new LongAdder();
    public final LongAdder schedulerNanos = new LongAdder();
    public final LongAdder copiedRows = new LongAdder();
    public final LongAdder deferredLanes = new LongAdder();
    public final LongAdder cancelledTasks = new LongAdder();
    public final LongAdder treeTokens = new LongAdder();
    private volatile int lastBatchSize;
    private volatile int peakUsedBlocks;

    void recordPass(int sequences, int tokens, long modelNs, long schedulerNs) {
        passes.increment();
        sequencesInPasses.add(sequences);
        tokensComputed.add(tokens);
        modelNanos.add(modelNs);
        schedulerNanos.add(schedulerNs);
        lastBatchSize = sequences;
    }

    void observeUsedBlocks(int used) {
        if (used > peakUsedBlocks) {
            peakUsedBlocks = used;
        }
    }

    /** The most KV blocks in use at once since the last {@link #resetPeak()}. */
    public int peakUsedBlocks() {
        return peakUsedBlocks;
    }

    public void resetPeak() {
        peakUsedBlocks = 0;
    }

    public int lastBatchSize() {
        return lastBatchSize;
    }

    public double meanBatchSize() {
        long p = passes.sum();
        return p == 0 ? 0 : (double) sequencesInPasses.sum() / p;
    }

    /** A consistent-enough copy of the counters, e.g. to diff around a benchmark run. */
    public Snapshot snapshot() {
        return new Snapshot(passes.sum(), sequencesInPasses.sum(), tokensComputed.sum(), modelNanos.sum(),
                schedulerNanos.sum(), copiedRows.sum(), treeTokens.sum());
    }

    public record Snapshot(long passes, long sequences, long tokensComputed, long modelNanos, long schedulerNanos,
                           long copiedRows, long treeTokens) {

        public Snapshot minus(Snapshot o) {
            return new Snapshot(passes - o.passes, sequences - o.sequences, tokensComputed - o.tokensComputed,
                    modelNanos - o.modelNanos, schedulerNanos - o.schedulerNanos, copiedRows - o.copiedRows,
                    treeTokens - o.treeTokens);
        }
    }
}

package dev.ponder.engine;

import dev.ponder.engine.kv.KvStats;
import dev.ponder.model.LanguageModel;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ModelRunner} and the one scheduler thread that batches every branch of every search into shared
 * forward passes. Searches talk to it through {@link SearchSession}s.
 */
public final class Engine implements AutoCloseable {

    private final ModelRunner runner;
    private final EngineConfig config;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Scheduler scheduler;
    private final EngineCore core;
    private final Thread thread;
    private final ExecutorService completions;
    private final AtomicLong requests = new AtomicLong();
    private volatile BitSet lineEnds;

    /** ponder's own model over its paged KV memory ({@link TransformerRunner}). */
    public Engine(LanguageModel model, EngineConfig config) {
        this(new TransformerRunner(model, config), config);
    }

    /** The engine over {@code runner}, which it owns and closes. */
    public Engine(ModelRunner runner, EngineConfig config) {
        this.runner = runner;
        this.config = config;
        this.completions = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ponder-engine-completions");
            t.setDaemon(true);
            return t;
        });
        this.core = new EngineCore(runner, config, metrics);
        this.scheduler = new Scheduler(core, completions);
        this.thread = new Thread(scheduler, "ponder-scheduler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public ModelRunner runner() {
        return runner;
    }

    public EngineConfig config() {
        return config;
    }

    /** The tokens whose text ends a line (ends in a newline), found once per engine; where a generative check looks for its verdict. */
    BitSet lineEnds() {
        BitSet ends = lineEnds;
        if (ends == null) {
            ends = new BitSet(runner.vocabSize());
            for (int t = 0; t < runner.vocabSize(); t++) {
                String piece = runner.piece(t);
                if (piece != null && piece.endsWith("\n")) {
                    ends.set(t);
                }
            }
            lineEnds = ends;
        }
        return ends;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /** KV memory counters (blocks used, shared, cached, evicted). */
    public KvStats kvStats() {
        return runner.kvStats();
    }

    public int queueDepth() {
        return scheduler.queueDepth();
    }

    /** A search over {@code promptTokens}; close it when the search ends to give its KV blocks back. */
    public SearchSession openSession(int[] promptTokens) {
        return new SearchSession(this, requests.incrementAndGet(), promptTokens);
    }

    Scheduler scheduler() {
        return scheduler;
    }

    EngineCore core() {
        return core;
    }

    /** Drops every cached prefix (tests use it to check the pool returns to its starting state). */
    public void clearPrefixCache() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            runner.clearKept();
            done.complete(null);
        });
        done.join();
    }

    @Override
    public void close() {
        scheduler.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.shutdown();
        runner.close();
    }
}

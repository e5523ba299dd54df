package dev.ponder.engine;

import ai.djl.ndarray.NDManager;
import dev.ponder.engine.kv.KvMemory;
import dev.ponder.model.KvPool;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.ModelConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model, its paged KV memory and the one scheduler thread that batches every branch of every search
 * into shared forward passes. Searches talk to it through {@link SearchSession}s.
 */
public final class Engine implements AutoCloseable {

    private final LanguageModel model;
    private final EngineConfig config;
    private final NDManager manager;
    private final KvPool pool;
    private final KvMemory memory;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Scheduler scheduler;
    private final EngineCore core;
    private final Thread thread;
    private final ExecutorService completions;
    private final AtomicLong requests = new AtomicLong();

    public Engine(LanguageModel model, EngineConfig config) {
        this.model = model;
        this.config = config;
        ModelConfig c = model.config();
        long bytesPerSlot = 2L * c.numLayers() * c.kvWidth() * model.transformer().dtype().getNumOfBytes();
        int blocks = (int) Math.max(1, config.kvBudgetBytes() / (bytesPerSlot * config.blockSize()));
        this.manager = model.manager().newSubManager();
        this.pool = model.transformer().newKvPool(manager, blocks * config.blockSize(), config.blockSize());
        this.memory = new KvMemory(blocks, config.blockSize());
        this.completions = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ponder-engine-completions");
            t.setDaemon(true);
            return t;
        });
        this.core = new EngineCore(model, memory, config, metrics);
        this.scheduler = new Scheduler(core, pool, manager, completions);
        this.thread = new Thread(scheduler, "ponder-scheduler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public LanguageModel model() {
        return model;
    }

    public EngineConfig config() {
        return config;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /** KV memory counters (blocks used, shared, cached, evicted). */
    public dev.ponder.engine.kv.KvStats kvStats() {
        return memory.stats();
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

    KvMemory memory() {
        return memory;
    }

    /** Drops every cached prefix (tests use it to check the pool returns to its starting state). */
    public void clearPrefixCache() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            memory.clearCache();
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
        pool.close();
        manager.close();
    }
}

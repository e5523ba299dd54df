package dev.ponder.engine;

import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.List;

/**
 * A unit of model work submitted to the {@link Scheduler}: it owns lanes while it runs and completes one
 * {@code Uni} when done. All methods but {@link #cancel()} run on the scheduler thread.
 */
abstract class Task<T> {

    final long request;
    final UniEmitter<? super T> emitter;
    private volatile boolean cancelled;

    Task(long request, UniEmitter<? super T> emitter) {
        this.request = request;
        this.emitter = emitter;
    }

    /** Forks what it needs and sets its lanes' first feeds; may finish at once. */
    abstract void start(EngineCore core);

    /** Lanes that still take part in passes. */
    abstract List<? extends Lane> lanes();

    abstract boolean done();

    /** The value to complete the Uni with, once {@link #done()}. */
    abstract T result();

    /** Gives back every KV reference the task still holds (on failure or cancellation). */
    abstract void releaseAll(EngineCore core);

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }
}

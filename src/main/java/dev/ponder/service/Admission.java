package dev.ponder.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission control: at most {@code maxRunning} searches run at once, at most {@code maxQueued} wait (first
 * come, first served), and the rest are refused with 503. The engine batches the running searches together;
 * this bound keeps KV memory and latency in check.
 */
public final class Admission {

    private final int maxRunning;
    private final int maxQueued;
    private final Deque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
    private int running;

    public Admission(int maxRunning, int maxQueued) {
        if (maxRunning < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("maxRunning must be >= 1 and maxQueued >= 0");
        }
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
    }

    /** A slot for one search; release it exactly once when the search ends (later calls do nothing). */
    public final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        public void release() {
            if (released.compareAndSet(false, true)) {
                handOver();
            }
        }
    }

    /** True when a new search would be refused right now (both slots and queue full). */
    public synchronized boolean full() {
        return running >= maxRunning && waiting.size() >= maxQueued;
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int queued() {
        return waiting.size();
    }

    /**
     * A permit now, or once a running search ends; fails with a 429 problem when the queue is full.
     * Cancelling the returned Uni while it waits leaves the queue.
     */
    public Uni<Permit> acquire() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Permit> ticket = new CompletableFuture<>();
            synchronized (this) {
                if (running < maxRunning) {
                    running++;
                    return Uni.createFrom().item(new Permit());
                }
                if (waiting.size() >= maxQueued) {
                    return Uni.createFrom().failure(new ProblemException(ProblemDetail.overloaded(
                            "too many searches: " + running + " running and " + waiting.size() + " queued; retry later")));
                }
                waiting.addLast(ticket);
            }
            // a queued search starts on a worker thread, not on the thread of the search that ended
            return Uni.createFrom().completionStage(ticket)
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .onCancellation().invoke(() -> leave(ticket));
        });
    }

    /** A cancelled waiter leaves the queue; if a permit reached it first, the permit goes back. */
    private void leave(CompletableFuture<Permit> ticket) {
        if (ticket.cancel(false)) {
            synchronized (this) {
                waiting.remove(ticket);
            }
        } else {
            ticket.join().release();
        }
    }

    /** The slot of an ended search goes to the first waiter still waiting, or becomes free. */
    private void handOver() {
        while (true) {
            CompletableFuture<Permit> next;
            synchronized (this) {
                next = waiting.pollFirst();
                if (next == null) {
                    running--;
                    return;
                }
            }
            // completed outside the lock
            if (next.complete(new Permit())) {
                return;
            }
        }
    }
}

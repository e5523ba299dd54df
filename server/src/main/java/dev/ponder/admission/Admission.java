package dev.ponder.admission;

import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control: at most {@code maxRunning} searches run at once, at most {@code maxQueued} wait (first
 * come, first served), each for at most {@code maxWait}; the rest are refused with 429 ({@code overloaded}). The
 * engine batches the running searches together; these bounds keep KV memory and latency in check, and the wait
 * bound keeps an accepted ask from waiting silently for minutes.
 */
public final class Admission {

    private final int maxRunning;
    private final int maxQueued;
    private final Duration maxWait;
    private final Deque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
    private final AtomicLong timedOut = new AtomicLong();
    private int running;

    public Admission(int maxRunning, int maxQueued) {
        this(maxRunning, maxQueued, null);
    }

    /** @param maxWait the longest a search may wait for a slot (null or zero: no limit) */
    public Admission(int maxRunning, int maxQueued, Duration maxWait) {
        if (maxRunning < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("maxRunning must be >= 1 and maxQueued >= 0");
        }
        if (maxWait != null && maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative");
        }
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait == null || maxWait.isZero() ? null : maxWait;
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

    /**
     * One search's place: a slot at once ({@link #position()} 0) or a place in the queue. Call {@link #abandon()}
     * when the search ends, whatever happened: it leaves the queue, or gives back a permit nobody took.
     */
    public final class Entry {
        private final int position;
        private final CompletableFuture<Permit> ticket;

        private Entry(int position, CompletableFuture<Permit> ticket) {
            this.position = position;
            this.ticket = ticket;
        }

        /** 0: a slot was free; n: the n-th in the queue when it entered. */
        public int position() {
            return position;
        }

        /**
         * The permit, now or once a running search ends; fails with a 429 problem after {@code maxWait} in the queue.
         * Cancelling it while it waits leaves the queue.
         */
        public Uni<Permit> permit() {
            if (position == 0) {
                return Uni.createFrom().item(ticket.join());
            }
            Uni<Permit> wait = Uni.createFrom().completionStage(ticket).onCancellation().invoke(this::abandon);
            if (maxWait != null) {
                wait = wait.ifNoItem().after(maxWait).failWith(() -> {
                    timedOut.incrementAndGet();
                    return new ProblemException(ProblemDetail.overloaded("waited " + maxWait.toMillis() + " ms for a slot"
                            + " (ponder.limits.max-queue-wait); retry later"));
                });
            }
            // a queued search starts on a worker thread, not on the thread of the search that ended
            return wait.emitOn(Infrastructure.getDefaultWorkerPool());
        }

        /** Leaves the queue, or gives back the permit if this entry got one (releasing twice does nothing). */
        public void abandon() {
            if (ticket.cancel(false) || ticket.isCancelled()) {
                synchronized (Admission.this) {
                    waiting.remove(ticket);
                }
            } else if (!ticket.isCompletedExceptionally()) {
                ticket.join().release();
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

    /** The longest a search may wait for a slot; null: no limit. */
    public Duration maxWait() {
        return maxWait;
    }

    /** Searches refused because they waited {@link #maxWait()} for a slot. */
    public long timedOut() {
        return timedOut.get();
    }

    /** A slot now or a place in the queue; throws a 429 problem when the queue is full. */
    public Entry enter() {
        CompletableFuture<Permit> ticket = new CompletableFuture<>();
        synchronized (this) {
            if (running < maxRunning) {
                running++;
                ticket.complete(new Permit());
                return new Entry(0, ticket);
            }
            if (waiting.size() >= maxQueued) {
                throw new ProblemException(ProblemDetail.overloaded(
                        "too many searches: " + running + " running and " + waiting.size() + " queued; retry later"));
            }
            waiting.addLast(ticket);
            return new Entry(waiting.size(), ticket);
        }
    }

    /**
     * A permit now, or once a running search ends; fails with a 429 problem when the queue is full or the wait
     * passes {@code maxWait}. Cancelling the returned Uni while it waits leaves the queue.
     */
    public Uni<Permit> acquire() {
        return Uni.createFrom().deferred(() -> enter().permit());
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

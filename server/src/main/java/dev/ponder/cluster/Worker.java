package dev.ponder.cluster;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model worker as a control plane sees it: where it is, what it said of its load when last polled,
 * whether it is up, and how many of this control plane's searches it holds now.
 */
public final class Worker {

    private final URI base;
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile Poll last;
    private volatile boolean up;
    private volatile String problem = "not polled yet";

    Worker(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /** Ready to take new searches: its last poll answered, with a loaded model, and nothing failed since. */
    public boolean up() {
        return up;
    }

    /** Why it is not up (or null). */
    public String problem() {
        return up ? null : problem;
    }

    public WorkerLoad load() {
        Poll p = last;
        return p == null ? null : p.load();
    }

    /** Searches of this control plane open on it now. */
    public int sessions() {
        return sessions.get();
    }

    /**
     * Lower is less loaded: the searches it holds (ours counted at once, other control planes' as of the last
     * poll), then the share of its KV cache in use and its scheduler's queue.
     */
    double score() {
        Poll p = last;
        if (p == null) {
            return sessions.get();
        }
        // the poll counted every control plane's searches, ours as they were then: only the others' come from it,
        // so searches of ours that ended since do not hold the worker busy until the next poll
        int others = Math.max(0, p.load().sessions() - p.ours());
        return sessions.get() + others + p.load().kvUsed() + p.load().queueDepth() / 1000.0;
    }

    /** A poll's answer and how many of this control plane's searches the worker held when it came. */
    private record Poll(WorkerLoad load, int ours) {
    }

    void polled(WorkerLoad l) {
        last = new Poll(l, sessions.get());
        up = l.ready();
        problem = l.ready() ? null : "model " + l.state();
    }

    void down(String why) {
        up = false;
        problem = why;
    }

    void opened() {
        sessions.incrementAndGet();
    }

    void closed() {
        sessions.decrementAndGet();
    }

    @Override
    public String toString() {
        return base + (up ? " (up, " + sessions.get() + " searches)" : " (down: " + problem + ")");
    }
}

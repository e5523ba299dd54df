package dev.ponder.model;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Splits a loop of the {@link HostForward Java kernel} across the machine's cores when it is big enough to pay. */
final class Parallel {

    /** The body of a loop over {@code [lo, hi)}. */
    interface Range {
        void run(int lo, int hi);
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService HELPERS = Executors.newFixedThreadPool(Math.max(1, CORES - 1), r -> {
        Thread t = new Thread(r, "ponder-kernel");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    /** Parts to split {@code n} items of {@code work} in all into: at most one per core, at least minWork each. */
    static int parts(int n, long work, long minWork) {
        return (int) Math.min(Math.min(CORES, n), Math.max(1, work / minWork));
    }

    /** Runs {@code body} over {@code [0, n)}: on this thread when {@code work < minWork}, else in one part per core. */
    static void forRange(int n, long work, long minWork, Range body) {
        int parts = parts(n, work, minWork);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        Future<?>[] helpers = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int lo = (int) ((long) n * p / parts);
            int hi = (int) ((long) n * (p + 1) / parts);
            helpers[p - 1] = HELPERS.submit(() -> body.run(lo, hi));
        }
        body.run(0, (int) ((long) n / parts));
        try {
            for (Future<?> f : helpers) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in a forward pass", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}

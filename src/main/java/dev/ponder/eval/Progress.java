package dev.ponder.eval;

import java.util.Locale;

/** A one-line progress bar on stderr: done/total, elapsed, time left. */
final class Progress {

    private Progress() {
    }

    static synchronized void bar(String label, int done, int total, long startNanos) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double left = done == 0 ? 0 : elapsed / done * (total - done);
        int width = 24;
        int filled = (int) Math.round(width * (double) done / total);
        System.err.printf(Locale.ROOT, "\r%-22s [%s%s] %d/%d  %.0fs elapsed, %.0fs left%s", label,
                "#".repeat(filled), ".".repeat(width - filled), done, total, elapsed, left, done == total ? "\n" : "");
    }
}

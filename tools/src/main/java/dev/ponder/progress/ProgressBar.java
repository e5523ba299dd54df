package dev.ponder.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The tools' one-line progress bar (training, evaluations, self-check mining):
 * {@code [label] [########................] done/total | details | 1m05s elapsed, 2m10s left}.
 *
 * <p>On a terminal the line is redrawn in place and kept (ended with a newline) when asked to or when the work is
 * done; elsewhere (a log file, a pipe) a full line is printed every {@code every} units of work, when asked to
 * keep one, and at the end. Updates may come from several threads.
 */
public final class ProgressBar {

    /** Characters in the bar between the brackets. */
    static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean tty;
    private final int every;

    /**
     * A bar on {@code out}, redrawn in place when the process runs on a terminal.
     *
     * @param every when not on a terminal, print a full line every this many units of work (and kept lines and the
     *              last one)
     */
    public ProgressBar(PrintStream out, int every) {
        this(out, System.console() != null, every);
    }

    /** A bar on {@code out}; {@code tty} says whether to redraw it in place. */
    public ProgressBar(PrintStream out, boolean tty, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1: " + every);
        }
        this.out = out;
        this.tty = tty;
        this.every = every;
    }

    /**
     * Shows {@code done} of {@code total}, with the time left at the average rate so far.
     *
     * @param label      text before the bar (padded to 22 characters), or null for none
     * @param details    figures between the count and the times ({@code "loss 1.2 | lr 3e-4"}), or null for none
     * @param startNanos {@link System#nanoTime()} when the work started
     */
    public void update(String label, int done, int total, String details, long startNanos) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        update(label, done, total, details, elapsed, leftAtAverageRate(elapsed, done, total), false);
    }

    /**
     * Shows {@code done} of {@code total} with times the caller measured.
     *
     * @param keep end the line on a terminal too (and print it elsewhere whatever {@code every} says), e.g. at
     *             an evaluation worth keeping in the scroll-back
     */
    public synchronized void update(String label, int done, int total, String details, double elapsedSeconds,
                                    double leftSeconds, boolean keep) {
        String line = line(label, done, total, details, elapsedSeconds, leftSeconds);
        boolean last = done >= total;
        if (tty) {
            out.print("\r" + line + (keep || last ? "\n" : ""));
        } else if (done % every == 0 || keep || last) {
            out.println(line);
        }
        out.flush();
    }

    /** The text of one update (without the carriage return or newline). */
    public static String line(String label, int done, int total, String details, double elapsedSeconds,
                              double leftSeconds) {
        StringBuilder s = new StringBuilder();
        if (label != null) {
            s.append(String.format(Locale.ROOT, "%-22s ", label));
        }
        s.append('[').append(bar(done, total)).append("] ").append(done).append('/').append(total);
        if (details != null && !details.isEmpty()) {
            s.append(" | ").append(details);
        }
        s.append(" | ").append(hms(Math.round(elapsedSeconds))).append(" elapsed, ")
                .append(hms(Math.round(leftSeconds))).append(" left");
        return s.toString();
    }

    /** {@value #WIDTH} characters, {@code #} for the part done and {@code .} for the rest. */
    static String bar(int done, int total) {
        int filled = total <= 0 ? WIDTH : (int) Math.max(0, Math.min(WIDTH, (long) WIDTH * done / total));
        return "#".repeat(filled) + ".".repeat(WIDTH - filled);
    }

    /** Seconds left if the rest goes at the average rate so far (0 before anything is done). */
    public static double leftAtAverageRate(double elapsedSeconds, int done, int total) {
        return done <= 0 ? 0 : elapsedSeconds / done * Math.max(0, total - done);
    }

    /** {@code 0m05s}, {@code 12m30s}, {@code 1h05m}. */
    public static String hms(long s) {
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}

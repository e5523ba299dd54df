package dev.ponder.progress;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr: step/total, loss, last validation loss, lr, tok/s, time left. */
public final class ProgressBar {

    private final PrintStream out;
    private final boolean tty;
    private final int every;
    private double lastVal = Double.NaN;
    private double tokPerSec = Double.NaN;
    private double secPerStep = Double.NaN;

    /** @param every when not on a terminal, print a full line every this many steps (and at evaluations) */
    public ProgressBar(PrintStream out, int every) {
        this.out = out;
        this.tty = System.console() != null;
        this.every = every;
    }

    public void update(int step, int total, double loss, double val, double lr, int tokens, double seconds, double elapsed) {
        // exponential moving averages smooth the speed estimate
        tokPerSec = Double.isNaN(tokPerSec) ? tokens / seconds : 0.9 * tokPerSec + 0.1 * tokens / seconds;
        secPerStep = Double.isNaN(secPerStep) ? seconds : 0.9 * secPerStep + 0.1 * seconds;
        boolean evaluated = !Double.isNaN(val);
        if (evaluated) {
            lastVal = val;
        }
        int width = 24;
        int filled = (int) ((long) width * step / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        long left = Math.round(secPerStep * (total - step));
        String line = String.format(Locale.ROOT, "[%s] %d/%d | loss %.4f | val %.4f | lr %.2e | %.0f tok/s | %.2f s/step | %s elapsed, %s left",
                bar, step, total, loss, lastVal, lr, tokPerSec, secPerStep, hms(Math.round(elapsed)), hms(left));
        if (tty) {
            out.print("\r" + line + (evaluated ? "\n" : ""));
        } else if (step % every == 0 || evaluated || step == total) {
            out.println(line);
        }
        out.flush();
    }

    static String hms(long s) {
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}

package dev.ponder.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the service reaches asynchronously (slots and KV blocks given back). */
public final class Eventually {

    private Eventually() {
    }

    public static void holds(BooleanSupplier condition, Duration within, String what) {
        long giveUp = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("never happened within " + within.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

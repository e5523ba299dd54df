package dev.ponder.search;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded property loops on plain JUnit: {@code Props.forAll("name", 300, gen, sample -> ...)} draws 300 samples
 * and runs the property on each, stopping at the first failure with an {@link AssertionError} that names the
 * property, the seed, the try and the sample. No shrinking.
 *
 * <p>Each try draws from its own {@link Random}, derived from the base seed, the property's name and the try
 * number, so a property's samples do not depend on which other properties ran or how much an earlier try drew.
 * The base seed is {@link #DEFAULT_SEED} unless {@code -Dprops.seed=N} sets another; a failure message prints
 * the seed, and running the same test with that {@code -Dprops.seed} draws the same samples again.
 */
public final class Props {

    /** System property that overrides the base seed. */
    public static final String SEED_PROPERTY = "props.seed";
    public static final long DEFAULT_SEED = 20_260_101L;
    /** Samples longer than this (as text) are abbreviated in failure messages. */
    static final int MAX_SAMPLE_CHARS = 8_000;

    private Props() {
    }

    /** The base seed: {@code -Dprops.seed} if set, else {@link #DEFAULT_SEED}. */
    public static long seed() {
        return seedFrom(System.getProperty(SEED_PROPERTY));
    }

    static long seedFrom(String property) {
        if (property == null || property.isBlank()) {
            return DEFAULT_SEED;
        }
        try {
            return Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long, not '" + property + "'", e);
        }
    }

    /** Runs {@code property} on {@code tries} samples drawn from {@code gen}, from the base seed {@link #seed()}. */
    public static <T> void forAll(String name, int tries, Gen<T> gen, Consumer<? super T> property) {
        forAll(name, seed(), tries, gen, property);
    }

    /** Runs {@code property} on {@code tries} samples drawn from {@code gen}, from the given base seed. */
    public static <T> void forAll(String name, long seed, int tries, Gen<T> gen, Consumer<? super T> property) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1: " + tries);
        }
        for (int i = 0; i < tries; i++) {
            T sample;
            try {
                sample = gen.next(random(seed, name, i));
            } catch (Throwable e) {
                throw failure(name, seed, i, tries, "(drawing the sample failed)", e);
            }
            try {
                property.accept(sample);
            } catch (Throwable e) {
                throw failure(name, seed, i, tries, describe(sample), e);
            }
        }
    }

    /**
     * The random source of one try: depends only on the base seed, the property's name and the try number
     * ({@code tryNumber} counts from 0; a failure message's "try N" is {@code tryNumber} N - 1).
     */
    public static Random random(long seed, String name, int tryNumber) {
        long s = Seeds.mix(seed ^ Seeds.mix(name.hashCode() * Seeds.GOLDEN));
        return new Random(Seeds.mix(s + (tryNumber + 1L) * Seeds.GOLDEN));
    }

    private static AssertionError failure(String name, long seed, int tryNumber, int tries, String sample, Throwable cause) {
        String message = "property '" + name + "' failed on try " + (tryNumber + 1) + " of " + tries + " (seed " + seed
                + "; replay with -D" + SEED_PROPERTY + "=" + seed + ")\n  sample: " + sample
                + "\n  failure: " + cause;
        return new AssertionError(message, cause);
    }

    /** The sample as text for a failure message: arrays spelled out, byte arrays as UTF-8, long text abbreviated. */
    public static String describe(Object sample) {
        String s;
        if (sample instanceof byte[] b) {
            String text = new String(b, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
            s = "byte[" + b.length + "] \"" + text + "\"";
        } else if (sample != null && sample.getClass().isArray()) {
            StringBuilder out = new StringBuilder("[");
            int n = Array.getLength(sample);
            int i = 0;
            for (; i < n && out.length() <= MAX_SAMPLE_CHARS; i++) {
                out.append(i == 0 ? "" : ", ").append(describe(Array.get(sample, i)));
            }
            s = out.append(i < n ? ", ... (" + n + " elements in all)]" : "]").toString();
        } else {
            s = String.valueOf(sample);
        }
        return s.length() <= MAX_SAMPLE_CHARS ? s
                : s.substring(0, MAX_SAMPLE_CHARS) + "... (" + s.length() + " chars in all)";
    }
}

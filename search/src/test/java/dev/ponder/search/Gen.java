package dev.ponder.search;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A generator of random test values for the property tests ({@link Props#forAll}): a function of a
 * {@link Random}, so the same seed gives the same values. Plain Java, no test library; sizes and numbers are
 * drawn uniformly over their ranges (no edge-case bias, no shrinking). Used by the search library's tests and,
 * through the root build (which compiles these test sources too), by the service's tests.
 *
 * <p>Only {@link Random#nextInt(int)}, {@link Random#nextLong()}, {@link Random#nextDouble()} and
 * {@link Random#nextBoolean()} are used: their results are specified by the JDK, so a seed draws the same values
 * on every Java version.
 */
@FunctionalInterface
public interface Gen<T> {

    /** Draws one value. */
    T next(Random r);

    // ---- combinators ----

    default <U> Gen<U> map(Function<? super T, ? extends U> f) {
        return r -> f.apply(next(r));
    }

    /** Draws a value, then draws from the generator it chooses. */
    default <U> Gen<U> flatMap(Function<? super T, ? extends Gen<? extends U>> f) {
        return r -> f.apply(next(r)).next(r);
    }

    /** Draws until a value passes; fails after 10 000 rejections in a row (the filter is too strict). */
    default Gen<T> filter(Predicate<? super T> keep) {
        return r -> {
            for (int i = 0; i < 10_000; i++) {
                T v = next(r);
                if (keep.test(v)) {
                    return v;
                }
            }
            throw new IllegalStateException("Gen.filter: 10000 values in a row rejected");
        };
    }

    /** Lists of {@code min..max} elements (size uniform over the range). */
    default Gen<List<T>> list(int min, int max) {
        checkRange(min, max);
        return r -> {
            int n = (int) uniform(r, min, max);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(next(r));
            }
            return Collections.unmodifiableList(out);
        };
    }

    /**
     * Lists of {@code min..max} distinct elements (by {@code equals}), in the order drawn; fails when the
     * generator cannot supply enough distinct values.
     */
    default Gen<List<T>> uniqueList(int min, int max) {
        checkRange(min, max);
        return r -> {
            int n = (int) uniform(r, min, max);
            Set<T> out = new LinkedHashSet<>();
            int misses = 0;
            while (out.size() < n) {
                if (!out.add(next(r)) && ++misses > 1_000 + 100 * n) {
                    throw new IllegalStateException("Gen.uniqueList: cannot draw " + n + " distinct values, got " + out);
                }
            }
            return List.copyOf(out);
        };
    }

    // ---- basic generators ----

    static <T> Gen<T> constant(T value) {
        return r -> value;
    }

    /** One of the values, each equally likely. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    /** One of the values, each equally likely. */
    static <T> Gen<T> of(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Gen.of: no values");
        }
        List<? extends T> copy = new ArrayList<>(values);
        return r -> copy.get(r.nextInt(copy.size()));
    }

    /** Integers in {@code lo..hi}, both included, uniformly. */
    static Gen<Integer> integers(int lo, int hi) {
        checkRange(lo, hi);
        return r -> (int) uniform(r, lo, hi);
    }

    /** Longs in {@code lo..hi}, both included, uniformly. */
    static Gen<Long> longs(long lo, long hi) {
        checkRange(lo, hi);
        return r -> uniform(r, lo, hi);
    }

    /** Any long. */
    static Gen<Long> longs() {
        return Random::nextLong;
    }

    static Gen<Boolean> booleans() {
        return Random::nextBoolean;
    }

    /** Doubles in {@code lo..hi} rounded to {@code scale} decimals (so {@code 1.37} for scale 2). */
    static Gen<Double> doubles(double lo, double hi, int scale) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        }
        return r -> {
            double x = lo + r.nextDouble() * (hi - lo);
            double v = BigDecimal.valueOf(x).setScale(scale, RoundingMode.HALF_UP).doubleValue();
            return Math.max(lo, Math.min(hi, v));
        };
    }

    /**
     * Any finite double: half of them with two decimals in -10^6..10^6, half from random bits (every exponent,
     * so {@code 1.0E-300}, {@code -3.1E307} and {@code -0.0} all occur). Never NaN or infinite.
     */
    static Gen<Double> doubles() {
        Gen<Double> plain = doubles(-1e6, 1e6, 2);
        Gen<Double> bits = r -> {
            double d;
            do {
                d = Double.longBitsToDouble(r.nextLong());
            } while (!Double.isFinite(d));
            return d;
        };
        return oneOf(plain, bits);
    }

    /** Strings of {@code minLength..maxLength} chars, each uniform in {@code from..to} (surrogates included if in range). */
    static Gen<String> strings(char from, char to, int minLength, int maxLength) {
        checkRange(from, to);
        checkRange(minLength, maxLength);
        return r -> {
            int n = (int) uniform(r, minLength, maxLength);
            char[] cs = new char[n];
            for (int i = 0; i < n; i++) {
                cs[i] = (char) uniform(r, from, to);
            }
            return new String(cs);
        };
    }

    /** Strings of {@code minLength..maxLength} chars, any char {@code \u0000..\uffff}. */
    static Gen<String> strings(int minLength, int maxLength) {
        return strings(Character.MIN_VALUE, Character.MAX_VALUE, minLength, maxLength);
    }

    /** Draws from one of the generators, each equally likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        if (gens.length == 0) {
            throw new IllegalArgumentException("Gen.oneOf: no generators");
        }
        Gen<? extends T>[] copy = gens.clone();
        return r -> copy[r.nextInt(copy.length)].next(r);
    }

    /** A generator with a weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
        public Weighted {
            if (weight <= 0) {
                throw new IllegalArgumentException("weight must be positive: " + weight);
            }
        }
    }

    static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** A value with a weight, for {@link #frequency}. */
    static <T> Weighted<T> weightedValue(int weight, T value) {
        return new Weighted<>(weight, constant(value));
    }

    /** Draws from one of the generators, chosen with probability weight / sum of weights. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException("Gen.frequency: no choices");
        }
        Weighted<? extends T>[] copy = choices.clone();
        int total = 0;
        for (Weighted<? extends T> w : copy) {
            total = Math.addExact(total, w.weight());
        }
        int sum = total;
        return r -> {
            int x = r.nextInt(sum);
            for (Weighted<? extends T> w : copy) {
                x -= w.weight();
                if (x < 0) {
                    return w.gen().next(r);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    /** One value from each generator, in order (e.g. one field per key). */
    static <T> Gen<List<T>> sequence(List<? extends Gen<? extends T>> gens) {
        List<? extends Gen<? extends T>> copy = List.copyOf(gens);
        return r -> {
            List<T> out = new ArrayList<>(copy.size());
            for (Gen<? extends T> g : copy) {
                out.add(g.next(r));
            }
            return Collections.unmodifiableList(out);
        };
    }

    /** A generator built when first drawn from: for recursive definitions. */
    static <T> Gen<T> lazy(Supplier<? extends Gen<? extends T>> make) {
        return new Gen<>() {
            private Gen<? extends T> gen;

            @Override
            public T next(Random r) {
                if (gen == null) {
                    gen = make.get();
                }
                return gen.next(r);
            }
        };
    }

    // ---- helpers ----

    /** A long uniform in {@code lo..hi}, both included, from the specified parts of {@link Random} only. */
    static long uniform(Random r, long lo, long hi) {
        long span = hi - lo + 1;   // 0 or negative when the range is wider than 2^63 - 1
        if (span > 0 && span <= Integer.MAX_VALUE) {
            return lo + r.nextInt((int) span);
        }
        if (span > 0) {
            long bits;
            long value;
            do {
                bits = r.nextLong() >>> 1;
                value = bits % span;
            } while (bits - value + (span - 1) < 0);
            return lo + value;
        }
        while (true) {
            long v = r.nextLong();
            if (v >= lo && v <= hi) {
                return v;
            }
        }
    }

    private static void checkRange(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        }
    }
}

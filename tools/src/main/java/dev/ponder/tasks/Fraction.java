package dev.ponder.tasks;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact rational number {@code num/den} with {@code long} parts, always normalized:
 * {@code den > 0} and {@code gcd(|num|, den) == 1} (zero is {@code 0/1}).
 *
 * <p>Arithmetic uses {@link Math#multiplyExact} and friends, so an overflow throws
 * {@link ArithmeticException} instead of silently wrapping; so does division by zero.
 */
public record Fraction(long num, long den) implements Comparable<Fraction> {

    public static final Fraction ZERO = new Fraction(0, 1);
    public static final Fraction ONE = new Fraction(1, 1);

    private static final Pattern TEXT = Pattern.compile("\\s*([-\u2212]?)(\\d{1,18})(?:\\s*/\\s*(\\d{1,18}))?\\s*");

    public Fraction {
        if (den == 0) {
            throw new ArithmeticException("zero denominator");
        }
        if (num == Long.MIN_VALUE || den == Long.MIN_VALUE) {
            throw new ArithmeticException("long overflow");
        }
        if (den < 0) {
            num = Math.negateExact(num);
            den = Math.negateExact(den);
        }
        long g = gcd(Math.abs(num), den);
        if (g > 1) {
            num /= g;
            den /= g;
        }
    }

    public static Fraction of(long n) {
        return new Fraction(n, 1);
    }

    public static Fraction of(long n, long d) {
        return new Fraction(n, d);
    }

    /** Parses {@code "7"}, {@code "-3"} or {@code "24/5"}; empty when the text is not such a number. */
    public static Optional<Fraction> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long n = Long.parseLong(m.group(2));
            long d = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
            if (d == 0) {
                return Optional.empty();
            }
            return Optional.of(new Fraction(m.group(1).isEmpty() ? n : -n, d));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Fraction add(Fraction o) {
        return new Fraction(
                Math.addExact(Math.multiplyExact(num, o.den), Math.multiplyExact(o.num, den)),
                Math.multiplyExact(den, o.den));
    }

    public Fraction subtract(Fraction o) {
        return add(o.negate());
    }

    public Fraction multiply(Fraction o) {
        return new Fraction(Math.multiplyExact(num, o.num), Math.multiplyExact(den, o.den));
    }

    /** @throws ArithmeticException when {@code o} is zero */
    public Fraction divide(Fraction o) {
        if (o.num == 0) {
            throw new ArithmeticException("division by zero");
        }
        return new Fraction(Math.multiplyExact(num, o.den), Math.multiplyExact(den, o.num));
    }

    public Fraction negate() {
        return new Fraction(Math.negateExact(num), den);
    }

    public boolean isZero() {
        return num == 0;
    }

    public boolean isInteger() {
        return den == 1;
    }

    public int signum() {
        return Long.signum(num);
    }

    @Override
    public int compareTo(Fraction o) {
        // Cross-multiplication in 128 bits would be exact; these values are small, so use exact longs
        // and fall back to doubles only if that overflows.
        try {
            return Long.compare(Math.multiplyExact(num, o.den), Math.multiplyExact(o.num, den));
        } catch (ArithmeticException e) {
            return Double.compare((double) num / den, (double) o.num / o.den);
        }
    }

    /** {@code "24"}, {@code "-3"} or {@code "24/5"}: the format of the step lines. */
    @Override
    public String toString() {
        return den == 1 ? Long.toString(num) : num + "/" + den;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }
}

package dev.ponder.tasks;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Evaluates integer arithmetic as written in arithmetic chains: non-negative literals, {@code + - * ^}
 * (also {@code ×}), parentheses; {@code ^} binds tightest and to the right. Values are exact
 * ({@link BigInteger}) and bounded, so hostile input cannot blow up time or memory.
 */
public final class IntegerExpression {

    private static final int MAX_LENGTH = 500;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_BITS = 4_096;

    private final String text;
    private int pos;
    private int depth;

    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    private IntegerExpression(String text) {
        this.text = text;
    }

    /** The value of the text, or empty when it is not a well-formed bounded expression. */
    public static Optional<BigInteger> evaluate(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            IntegerExpression p = new IntegerExpression(text);
            BigInteger v = p.sum();
            p.skipSpace();
            return p.pos == text.length() ? Optional.of(v) : Optional.empty();
        } catch (Invalid | ArithmeticException e) {
            return Optional.empty();
        }
    }

    // sum := product (('+' | '-') product)*
    private BigInteger sum() {
        BigInteger v = product();
        while (true) {
            char c = peek();
            if (c == '+') {
                pos++;
                v = bounded(v.add(product()));
            } else if (c == '-' || c == '\u2212') {
                pos++;
                v = bounded(v.subtract(product()));
            } else {
                return v;
            }
        }
    }

    // product := power (('*' | '×') power)*
    private BigInteger product() {
        BigInteger v = power();
        while (peek() == '*' || peek() == '\u00d7') {
            pos++;
            v = bounded(v.multiply(power()));
        }
        return v;
    }

    // power := atom ('^' power)?
    private BigInteger power() {
        BigInteger base = atom();
        if (peek() != '^') {
            return base;
        }
        pos++;
        enter();
        BigInteger exp = power();
        depth--;
        if (exp.signum() < 0 || exp.bitLength() > 16
                || (long) base.bitLength() * exp.intValue() > MAX_BITS) {
            throw new Invalid();
        }
        return base.pow(exp.intValue());
    }

    // atom := integer | '(' sum ')'
    private BigInteger atom() {
        char c = peek();
        if (c == '(') {
            pos++;
            enter();
            BigInteger v = sum();
            depth--;
            if (peek() != ')') {
                throw new Invalid();
            }
            pos++;
            return v;
        }
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start || pos - start > 400) {
            throw new Invalid();
        }
        return new BigInteger(text.substring(start, pos));
    }

    private char peek() {
        skipSpace();
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new Invalid();
        }
    }

    private static BigInteger bounded(BigInteger v) {
        if (v.bitLength() > MAX_BITS) {
            throw new Invalid();
        }
        return v;
    }
}

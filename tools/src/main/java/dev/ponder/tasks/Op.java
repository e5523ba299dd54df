package dev.ponder.tasks;

import java.util.Optional;

/** The four arithmetic operations of Game of 24, with their precedence for printing expressions. */
public enum Op {
    ADD('+', 1, true),
    SUB('-', 1, false),
    MUL('*', 2, true),
    DIV('/', 2, false);

    public final char symbol;
    public final int precedence;
    public final boolean commutative;

    Op(char symbol, int precedence, boolean commutative) {
        this.symbol = symbol;
        this.precedence = precedence;
        this.commutative = commutative;
    }

    /** Exact result; throws {@link ArithmeticException} on division by zero or overflow. */
    public Fraction apply(Fraction a, Fraction b) {
        return switch (this) {
            case ADD -> a.add(b);
            case SUB -> a.subtract(b);
            case MUL -> a.multiply(b);
            case DIV -> a.divide(b);
        };
    }

    /**
     * Whether an operand that is itself the operation {@code child} needs parentheses under this one, printed with
     * the fewest that keep its meaning: when it binds more loosely, or, as the right operand, when it binds equally
     * and this operation is not associative with it (a - (b + c), a / (b * c)).
     */
    boolean needsParens(Op child, boolean isRight) {
        if (child.precedence != precedence) {
            return child.precedence < precedence;
        }
        return isRight && !commutative;
    }

    /** Accepts the ASCII symbols and the typographic ones a model may emit: × · ÷ − (U+2212) – (U+2013). */
    public static Optional<Op> ofSymbol(char c) {
        return switch (c) {
            case '+' -> Optional.of(ADD);
            case '-', '\u2212', '\u2013' -> Optional.of(SUB);
            case '*', '\u00d7', '\u00b7', 'x' -> Optional.of(MUL);
            case '/', '\u00f7' -> Optional.of(DIV);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return String.valueOf(symbol);
    }
}

package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;

/**
 * An arithmetic expression tree over exact fractions: number leaves, binary operations and
 * unary minus. {@link #toString()} prints it with the minimal parentheses that keep its meaning
 * under the usual precedence and left associativity.
 */
public sealed interface Expr {

    /** Exact value; throws {@link ArithmeticException} on division by zero or overflow. */
    Fraction value();

    /** The number leaves, left to right. */
    default List<Fraction> leaves() {
        List<Fraction> out = new ArrayList<>();
        collectLeaves(this, out);
        return out;
    }

    private static void collectLeaves(Expr e, List<Fraction> out) {
        if (e instanceof Num n) {
            out.add(n.value());
        } else if (e instanceof Neg n) {
            collectLeaves(n.operand(), out);
        } else if (e instanceof Bin b) {
            collectLeaves(b.left(), out);
            collectLeaves(b.right(), out);
        }
    }

    static Expr num(long n) {
        return new Num(Fraction.of(n));
    }

    static Expr of(Expr left, Op op, Expr right) {
        return new Bin(op, left, right);
    }

    /** A number literal. */
    record Num(Fraction value) implements Expr {
        @Override
        public String toString() {
            return value.toString();
        }
    }

    /** Unary minus (accepted by the checker; never generated). */
    record Neg(Expr operand) implements Expr {
        @Override
        public Fraction value() {
            return operand.value().negate();
        }

        @Override
        public String toString() {
            return operand instanceof Num ? "-" + operand : "-(" + operand + ")";
        }
    }

    /** A binary operation {@code left op right}. */
    record Bin(Op op, Expr left, Expr right) implements Expr {
        @Override
        public Fraction value() {
            return op.apply(left.value(), right.value());
        }

        @Override
        public String toString() {
            return wrap(left, needsParens(left, false)) + " " + op.symbol + " " + wrap(right, needsParens(right, true));
        }

        // An operation child by Op.needsParens; a negation only on the right (a - -b reads badly)
        private boolean needsParens(Expr child, boolean isRight) {
            return child instanceof Bin b ? op.needsParens(b.op, isRight) : child instanceof Neg && isRight;
        }

        private static String wrap(Expr e, boolean parens) {
            return parens ? "(" + e + ")" : e.toString();
        }
    }
}

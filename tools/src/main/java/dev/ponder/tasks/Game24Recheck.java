package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A generative check of a Game-of-24 answer line: before its verdict the model recomputes the boxed expression and
 * compares the numbers it uses with the puzzle's (verification by recomputation, as in generative verifiers, Zhang
 * et al. 2024). It copies the expression, then rewrites it one operation at a time, innermost and leftmost first,
 * until one value is left; then it writes the expression's numbers and the puzzle's, each sorted, and says {@code yes}
 * exactly when the value is 24 and the two lists are the same. For {@code \boxed{7 * (11 - 8) + 10}} after
 * {@code Use 7 8 10 11 to make 24.}:
 *
 * <pre>
 * 7 * (11 - 8) + 10
 * = 7 * 3 + 10
 * = 21 + 10
 * = 31
 * 7 8 10 11
 * 7 8 10 11
 * no
 * </pre>
 *
 * Each line is the one before it with one operation replaced by its value, so the recomputation is local copying
 * plus one small fact, and it looks nothing like a chain's steps (which always end at 24): a first version in the
 * step format let the model write its chain again instead of recomputing. A value that is not an integer is written
 * in parentheses, {@code (13/12)}; a division by zero ends with {@code = undefined}. No line starts with a letter
 * other than that one's {@code u}, so the verdict is the first line that starts with yes or no.
 *
 * @param lines   the recomputation, each line without its newline
 * @param correct whether the boxed expression uses each number of the puzzle once and equals 24
 */
public record Game24Recheck(List<String> lines, boolean correct) {

    public Game24Recheck {
        lines = List.copyOf(lines);
    }

    /** What the model writes after the check question before its verdict: the lines, each with its newline. */
    public String reasoning() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /**
     * The recheck of {@code boxed} (the content of a boxed line) for a puzzle; empty when it is not an expression
     * of at least one operation over numbers (nothing to recompute).
     */
    public static Optional<Game24Recheck> of(List<Integer> puzzle, String boxed) {
        return recheck(puzzle, boxed, false);
    }

    /**
     * The recheck of {@code boxed} written as steps in the chains' own arithmetic form, one operation a line in the
     * order {@link #of} rewrites them ({@code 3 * 3 = 9}, {@code 9 - 1 = 8}, {@code 8 * 3 = 24}; a division by zero
     * ends with {@code 5 / 0 = undefined}), then the two sorted number lists: the form of a fresh-context answer check
     * ({@code AnswerChecks}), whose working then uses the one skill the model practises on every chain line. Empty as
     * {@link #of} is.
     */
    public static Optional<Game24Recheck> inSteps(List<Integer> puzzle, String boxed) {
        return recheck(puzzle, boxed, true);
    }

    /** The recheck in either form: the expression rewritten whole each line, or one operation a line. */
    private static Optional<Game24Recheck> recheck(List<Integer> puzzle, String boxed, boolean inSteps) {
        Expr e;
        try {
            e = ExpressionParser.parse(boxed);
        } catch (RuntimeException ex) {
            return Optional.empty();
        }
        if (!(e instanceof Expr.Bin)) {
            return Optional.empty();
        }
        Term t;
        try {
            t = Term.of(e);
        } catch (IllegalArgumentException ex) {
            return Optional.empty();   // a unary minus: never written by the model's format
        }
        List<String> lines = new ArrayList<>();
        if (!inSteps) {
            lines.add(t.toString());
        }
        boolean defined = true;
        while (t instanceof Op o) {
            Op inner = o.innermost();
            Fraction a = ((Value) inner.left()).value();
            Fraction b = ((Value) inner.right()).value();
            String step = a + " " + inner.op().symbol + " " + b + " = ";
            Fraction result;
            try {
                result = inner.op().apply(a, b);
            } catch (ArithmeticException ex) {
                lines.add(inSteps ? step + "undefined" : "= undefined");
                defined = false;
                break;
            }
            t = o.reduce(new Value(result));
            lines.add(inSteps ? step + result : "= " + t);
        }
        List<Fraction> used = Game24.sorted(e.leaves());
        List<Fraction> given = Game24.sorted(puzzle.stream().map(Fraction::of).toList());
        lines.add(used.stream().map(Fraction::toString).collect(Collectors.joining(" ")));
        lines.add(given.stream().map(Fraction::toString).collect(Collectors.joining(" ")));
        boolean ok = defined && ((Value) t).value().equals(Game24.TARGET) && used.equals(given);
        return Optional.of(new Game24Recheck(lines, ok));
    }

    /** An expression being rewritten: values (numbers, or results so far) and operations over them. */
    private sealed interface Term permits Value, Op {

        static Term of(Expr e) {
            if (e instanceof Expr.Num n) {
                return new Value(n.value());
            }
            if (e instanceof Expr.Bin b) {
                return new Op(b.op(), of(b.left()), of(b.right()));
            }
            throw new IllegalArgumentException("unary minus");
        }
    }

    /** A value; one that is not a whole number is written in parentheses so it does not read as a division. */
    private record Value(Fraction value) implements Term {
        @Override
        public String toString() {
            return value.isInteger() && value.signum() >= 0 ? value.toString() : "(" + value + ")";
        }
    }

    private record Op(dev.ponder.tasks.Op op, Term left, Term right) implements Term {

        /** Its leftmost innermost operation: the one whose operands are both values. */
        Op innermost() {
            if (left instanceof Value && right instanceof Value) {
                return this;
            }
            return left instanceof Op l ? l.innermost() : ((Op) right).innermost();
        }

        /** This term with its leftmost innermost operation ({@link #innermost}) replaced by {@code value}. */
        Term reduce(Value value) {
            if (left instanceof Value && right instanceof Value) {
                return value;
            }
            return left instanceof Op l ? new Op(op, l.reduce(value), right) : new Op(op, left, ((Op) right).reduce(value));
        }

        // the fewest parentheses, as Expr prints them
        @Override
        public String toString() {
            return wrap(left, false) + " " + op.symbol + " " + wrap(right, true);
        }

        private String wrap(Term child, boolean isRight) {
            return child instanceof Op c && op.needsParens(c.op, isRight) ? "(" + child + ")" : child.toString();
        }
    }
}

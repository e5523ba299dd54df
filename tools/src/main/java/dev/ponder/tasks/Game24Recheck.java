package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A generative check of a Game-of-24 answer line: before its verdict the model recomputes the boxed expression
 * from the puzzle's numbers, one operation per line in the chain's own step format, innermost first, and says
 * {@code yes} exactly when that leaves 24 and nothing else (verification by recomputation, as in generative
 * verifiers, Zhang et al. 2024). For {@code \boxed{(10 - 4) * (13 - 9)}} after {@code Use 4 9 10 13 to make 24.}:
 *
 * <pre>
 * 10 - 4 = 6 (left: 6 9 13)
 * 13 - 9 = 4 (left: 4 6)
 * 6 * 4 = 24 (left: 24)
 * yes
 * </pre>
 *
 * An operand that is not left (a number used twice, or not in the puzzle) ends the recomputation with a line
 * {@code 7 - 4 = 3 (missing: 7)} and {@code no}; so does a division by zero ({@code 5 / 0 (undefined)}). No line
 * of the recomputation starts with a letter, so the verdict is the first line that does.
 *
 * @param lines   the recomputation, each line without its newline
 * @param correct whether the boxed expression uses each number of the puzzle once and equals 24
 */
public record Game24Recheck(List<String> lines, boolean correct) {

    public Game24Recheck {
        lines = List.copyOf(lines);
    }

    /** What the model writes after the check question: the recomputation, then its verdict word's line. */
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
        Expr e;
        try {
            e = ExpressionParser.parse(boxed);
        } catch (RuntimeException ex) {
            return Optional.empty();
        }
        if (!(e instanceof Expr.Bin) || hasNegation(e)) {
            return Optional.empty();
        }
        List<Fraction> left = new ArrayList<>(puzzle.stream().map(Fraction::of).toList());
        List<String> lines = new ArrayList<>();
        boolean ok = evaluate(e, left, lines) != null
                && left.size() == 1 && left.get(0).equals(Game24.TARGET);
        return Optional.of(new Game24Recheck(lines, ok));
    }

    /** Appends the lines of {@code e}'s operations (post-order) and returns its value; null once a line fails. */
    private static Fraction evaluate(Expr e, List<Fraction> left, List<String> lines) {
        if (e instanceof Expr.Num n) {
            return n.value();
        }
        Expr.Bin b = (Expr.Bin) e;
        Fraction a = evaluate(b.left(), left, lines);
        if (a == null) {
            return null;
        }
        Fraction c = evaluate(b.right(), left, lines);
        if (c == null) {
            return null;
        }
        String head = a + " " + b.op().symbol + " " + c;
        Fraction r;
        try {
            r = b.op().apply(a, c);
        } catch (ArithmeticException ex) {
            lines.add(head + " (undefined)");
            return null;
        }
        List<Fraction> missing = new ArrayList<>();
        for (Fraction operand : List.of(a, c)) {
            if (!left.remove(operand)) {
                missing.add(operand);
            }
        }
        if (!missing.isEmpty()) {
            lines.add(head + " = " + r + " (missing: " + missing.get(0) + ")");
            return null;
        }
        left.add(r);
        lines.add(new Game24Step(a, b.op(), c, r, left).toString());
        return r;
    }

    private static boolean hasNegation(Expr e) {
        if (e instanceof Expr.Neg) {
            return true;
        }
        return e instanceof Expr.Bin b && (hasNegation(b.left()) || hasNegation(b.right()));
    }
}

package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exact checker for a final Game-of-24 answer: the expression must parse, use each puzzle number
 * exactly once (as a multiset) and evaluate, in exact fractions, to 24. Never throws on bad input.
 */
public final class Game24Checker {

    public static final Fraction TARGET = Fraction.of(24);

    /** The verdict; {@code reason} is "ok" when valid, otherwise says what is wrong. */
    public record Result(boolean valid, Optional<Fraction> value, String reason) {
        static Result ok(Fraction value) {
            return new Result(true, Optional.of(value), "ok");
        }

        static Result invalid(String reason) {
            return new Result(false, Optional.empty(), reason);
        }

        static Result invalid(Fraction value, String reason) {
            return new Result(false, Optional.of(value), reason);
        }
    }

    private Game24Checker() {
    }

    /**
     * @param puzzleNumbers the puzzle, numbers separated by spaces or commas (e.g. {@code "4 9 10 13"})
     * @param expression    an infix expression; a {@code \boxed{...}} wrapper and a trailing {@code = 24} are ignored
     */
    public static Result check(String puzzleNumbers, String expression) {
        Optional<List<Fraction>> puzzle = parsePuzzle(puzzleNumbers);
        if (puzzle.isEmpty()) {
            return Result.invalid("puzzle is not a list of whole numbers: " + abbreviate(puzzleNumbers));
        }
        return check(puzzle.get(), expression);
    }

    /** As {@link #check(String, String)}, with the puzzle numbers already parsed. */
    public static Result check(List<Fraction> puzzle, String expression) {
        try {
            return checkUnsafe(puzzle, expression);
        } catch (RuntimeException e) {
            // Last line of defence: the contract is to never throw on bad input.
            return Result.invalid("could not check: " + e.getMessage());
        }
    }

    private static Result checkUnsafe(List<Fraction> puzzle, String expression) {
        if (expression == null || expression.isBlank()) {
            return Result.invalid("empty expression");
        }
        String text = unwrap(expression);
        Expr expr;
        try {
            expr = ExpressionParser.parse(text);
        } catch (ExpressionParser.ParseError e) {
            return Result.invalid(e.getMessage());
        }
        String usage = compareNumbers(puzzle, expr.leaves());
        if (usage != null) {
            return Result.invalid(usage);
        }
        Fraction value;
        try {
            value = expr.value();
        } catch (ArithmeticException e) {
            return Result.invalid("division by zero".equals(e.getMessage()) ? "divides by zero" : "overflows");
        }
        if (!value.equals(TARGET)) {
            return Result.invalid(value, "evaluates to " + value);
        }
        return Result.ok(value);
    }

    /** Numbers of a puzzle line like {@code "4 9 10 13"} or {@code "4,9,10,13"}. */
    public static Optional<List<Fraction>> parsePuzzle(String text) {
        if (text == null || text.isBlank() || text.length() > 200) {
            return Optional.empty();
        }
        List<Fraction> out = new ArrayList<>();
        for (String tok : text.trim().split("[\\s,]+")) {
            if (!tok.matches("\\d{1,9}")) {
                return Optional.empty();
            }
            out.add(Fraction.of(Long.parseLong(tok)));
        }
        return Optional.of(out);
    }

    // Strips \boxed{...} and everything from the first '=' on ("(10-4)*(13-9) = 24").
    private static String unwrap(String expression) {
        String t = expression.strip();
        if (t.startsWith("\\boxed{") && t.endsWith("}")) {
            t = t.substring("\\boxed{".length(), t.length() - 1);
        }
        int eq = t.indexOf('=');
        return eq >= 0 ? t.substring(0, eq) : t;
    }

    // First difference between the puzzle's multiset and the numbers used, or null when equal.
    private static String compareNumbers(List<Fraction> puzzle, List<Fraction> used) {
        Map<Fraction, Integer> need = counts(puzzle);
        Map<Fraction, Integer> have = counts(used);
        for (var e : have.entrySet()) {
            int n = need.getOrDefault(e.getKey(), 0);
            if (n == 0) {
                return "uses " + e.getKey() + ", which is not in the puzzle";
            }
            if (e.getValue() > n) {
                return "uses " + e.getKey() + " " + times(e.getValue()) + " (the puzzle has it " + times(n) + ")";
            }
        }
        for (var e : need.entrySet()) {
            int n = have.getOrDefault(e.getKey(), 0);
            if (n < e.getValue()) {
                return n == 0 ? "does not use " + e.getKey()
                        : "uses " + e.getKey() + " " + times(n) + " (the puzzle has it " + times(e.getValue()) + ")";
            }
        }
        return null;
    }

    private static Map<Fraction, Integer> counts(List<Fraction> xs) {
        Map<Fraction, Integer> m = new TreeMap<>();
        for (Fraction x : xs) {
            m.merge(x, 1, Integer::sum);
        }
        return m;
    }

    private static String times(int n) {
        return switch (n) {
            case 1 -> "once";
            case 2 -> "twice";
            default -> n + " times";
        };
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "...'";
    }
}

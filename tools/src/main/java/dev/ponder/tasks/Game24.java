package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Game-of-24 search: exact solvability of any multiset of numbers, and the valid next steps from a state.
 *
 * <p>Solvability is the plain pairwise combination search (pick two numbers, replace them by their sum,
 * difference either way, product or quotient either way; division by zero skipped) until one number
 * is left, memoized on the sorted multiset because the self-check labeller asks about the same states
 * over and over.
 */
public final class Game24 {

    public static final Fraction TARGET = Game24Checker.TARGET;

    private static final int MEMO_LIMIT = 2_000_000;
    private static final Map<String, Boolean> MEMO = new ConcurrentHashMap<>();

    private Game24() {
    }

    /** True when the numbers can make exactly 24 with + - * / and each number used once. */
    public static boolean solvable(List<Fraction> numbers) {
        if (numbers.isEmpty()) {
            return false;
        }
        if (numbers.size() == 1) {
            return numbers.get(0).equals(TARGET);
        }
        List<Fraction> sorted = sorted(numbers);
        String key = key(sorted);
        Boolean known = MEMO.get(key);
        if (known != null) {
            return known;
        }
        boolean result = search(sorted);
        if (MEMO.size() >= MEMO_LIMIT) {
            MEMO.clear();
        }
        MEMO.put(key, result);
        return result;
    }

    /** Convenience for whole numbers. */
    public static boolean solvableInts(List<Integer> numbers) {
        return solvable(numbers.stream().map(n -> Fraction.of(n)).toList());
    }

    private static boolean search(List<Fraction> xs) {
        for (int i = 0; i < xs.size(); i++) {
            for (int j = i + 1; j < xs.size(); j++) {
                List<Fraction> rest = without(xs, i, j);
                for (Fraction r : combinations(xs.get(i), xs.get(j))) {
                    List<Fraction> next = new ArrayList<>(rest);
                    next.add(r);
                    if (solvable(next)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // Every value two numbers can combine to; overflowing or undefined ones are left out.
    private static List<Fraction> combinations(Fraction a, Fraction b) {
        List<Fraction> out = new ArrayList<>(6);
        for (Op op : Op.values()) {
            tryAdd(out, op, a, b);
            if (!op.commutative) {
                tryAdd(out, op, b, a);
            }
        }
        return out;
    }

    private static void tryAdd(List<Fraction> out, Op op, Fraction a, Fraction b) {
        try {
            out.add(op.apply(a, b));
        } catch (ArithmeticException e) {
            // division by zero or overflow: not a move
        }
    }

    /**
     * All distinct valid next steps from a state, in the generated step format: for + and * the larger
     * operand first, for - only larger minus smaller (no negative numbers ever appear), for / both orders
     * (1 / 5 = 1/5 is needed for 1 5 5 5) with a non-zero divisor. Left lists are sorted ascending.
     */
    public static List<Game24Step> nextSteps(List<Fraction> state) {
        List<Game24Chain.Node> board = state.stream().map(v -> new Game24Chain.Node(v, new Expr.Num(v))).toList();
        Map<String, Game24Step> steps = new LinkedHashMap<>();
        for (Game24Chain.Successor s : Game24Chain.successors(board)) {
            steps.putIfAbsent(s.step().toString(), s.step());
        }
        return List.copyOf(steps.values());
    }

    /** The list without positions i and j (i &lt; j). */
    static <T> List<T> without(List<T> xs, int i, int j) {
        List<T> out = new ArrayList<>(xs.size() - 2);
        for (int k = 0; k < xs.size(); k++) {
            if (k != i && k != j) {
                out.add(xs.get(k));
            }
        }
        return out;
    }

    public static List<Fraction> sorted(List<Fraction> xs) {
        return xs.stream().sorted(Comparator.naturalOrder()).toList();
    }

    /** The multiset key of a state: its numbers sorted ascending, space separated ("1/5 5 5"). */
    public static String key(List<Fraction> xs) {
        return sorted(xs).stream().map(Fraction::toString).collect(Collectors.joining(" "));
    }

    /** Number of memoized states (for statistics). */
    public static int memoSize() {
        return MEMO.size();
    }
}

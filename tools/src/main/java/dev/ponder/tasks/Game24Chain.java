package dev.ponder.tasks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Tree-of-Thoughts step format for Game of 24 and the enumeration of every distinct valid chain.
 *
 * <pre>
 * user:      Use 4 9 10 13 to make 24.
 * assistant: 13 - 9 = 4 (left: 4 4 10)
 *            10 - 4 = 6 (left: 4 6)
 *            6 * 4 = 24 (left: 24)
 *            \boxed{(10 - 4) * (13 - 9)}
 * </pre>
 *
 * Generated steps follow {@link Game24#nextSteps}: larger operand first except for fractional quotients, so
 * no intermediate is ever negative. The boxed expression substitutes each step's expression for its result.
 */
public final class Game24Chain {

    private static final Pattern PROMPT = Pattern.compile("\\s*Use\\s+([\\d\\s,]+?)\\s+to make 24\\.?\\s*");
    private static final Map<String, List<Chain>> CACHE = new ConcurrentHashMap<>();

    private Game24Chain() {
    }

    /** A complete chain: its step lines and the boxed answer built from them. */
    public record Chain(List<Game24Step> steps, Expr answer) {
        public Chain {
            steps = List.copyOf(steps);
        }

        /** The step lines followed by the answer line. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            steps.forEach(s -> out.add(s.toString()));
            out.add(answerLine(answer));
            return out;
        }

        /** The assistant text: lines joined by newlines, no trailing newline. */
        public String text() {
            return String.join("\n", lines());
        }
    }

    /** The user prompt, numbers in the order given: {@code Use 4 9 10 13 to make 24.} */
    public static String prompt(List<Integer> numbers) {
        return "Use " + numbers.stream().map(String::valueOf).collect(Collectors.joining(" ")) + " to make 24.";
    }

    /** The numbers of a prompt written by {@link #prompt}; empty for any other text. */
    public static Optional<List<Integer>> parsePrompt(String user) {
        if (user == null || user.length() > 200) {
            return Optional.empty();
        }
        Matcher m = PROMPT.matcher(user);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Integer> out = new ArrayList<>();
        for (String tok : m.group(1).trim().split("[\\s,]+")) {
            if (tok.length() > 6) {
                return Optional.empty();
            }
            out.add(Integer.valueOf(tok));
        }
        return Optional.of(out);
    }

    /** {@code \boxed{expr}}. */
    public static String answerLine(Expr answer) {
        return "\\boxed{" + answer + "}";
    }

    /** The content of a {@code \boxed{...}} line, or empty when the line is not one. */
    public static Optional<String> boxedContent(String line) {
        String t = line.strip();
        if (t.startsWith("\\boxed{") && t.endsWith("}")) {
            return Optional.of(t.substring("\\boxed{".length(), t.length() - 1));
        }
        return Optional.empty();
    }

    /**
     * Every distinct valid chain for the puzzle (distinct step sequences; order of the numbers in the
     * prompt does not matter). Empty when the puzzle is unsolvable. Cached per multiset.
     */
    public static List<Chain> allChains(List<Integer> numbers) {
        return CACHE.computeIfAbsent(Game24Puzzle.key(numbers), k -> enumerate(numbers));
    }

    /** One chain drawn uniformly among {@link #allChains}; empty when the puzzle is unsolvable. */
    public static Optional<Chain> sample(List<Integer> numbers, Random random) {
        List<Chain> all = allChains(numbers);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(random.nextInt(all.size())));
    }

    /** A number on the board together with the expression over the puzzle numbers that produced it. */
    record Node(Fraction value, Expr expr) {
    }

    static List<Node> leaves(List<Integer> numbers) {
        return numbers.stream().sorted().map(n -> new Node(Fraction.of(n), Expr.num(n))).toList();
    }

    private static List<Chain> enumerate(List<Integer> numbers) {
        List<Chain> out = new ArrayList<>();
        dfs(leaves(numbers), new ArrayDeque<>(), out);
        return List.copyOf(out);
    }

    // Depth-first over valid steps that keep the board solvable; each sibling step text is taken once.
    private static void dfs(List<Node> board, Deque<Game24Step> path, List<Chain> out) {
        if (board.size() == 1) {
            if (board.get(0).value().equals(Game24.TARGET)) {
                out.add(new Chain(new ArrayList<>(path), board.get(0).expr()));
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Successor s : successors(board)) {
            if (!seen.add(s.step().toString()) || !Game24.solvable(s.step().left())) {
                continue;
            }
            path.addLast(s.step());
            dfs(s.board(), path, out);
            path.removeLast();
        }
    }

    /** A valid step from a board and the board it leads to. */
    record Successor(Game24Step step, List<Node> board) {
    }

    /** Every valid step from the board, in the generated format (see {@link Game24#nextSteps}), with expressions. */
    static List<Successor> successors(List<Node> board) {
        List<Successor> out = new ArrayList<>();
        for (int i = 0; i < board.size(); i++) {
            for (int j = i + 1; j < board.size(); j++) {
                Node x = board.get(i);
                Node y = board.get(j);
                Node big = x.value().compareTo(y.value()) >= 0 ? x : y;
                Node small = big == x ? y : x;
                List<Node> rest = Game24.without(board, i, j);
                for (Op op : Op.values()) {
                    addSuccessor(out, big, op, small, rest);
                    if (op == Op.DIV && !big.value().equals(small.value())) {
                        addSuccessor(out, small, op, big, rest);
                    }
                }
            }
        }
        return out;
    }

    private static void addSuccessor(List<Successor> out, Node a, Op op, Node b, List<Node> rest) {
        Fraction r;
        try {
            r = op.apply(a.value(), b.value());
        } catch (ArithmeticException e) {
            return;
        }
        List<Node> board = new ArrayList<>(rest);
        board.add(new Node(r, Expr.of(a.expr(), op, b.expr())));
        List<Fraction> left = Game24.sorted(board.stream().map(Node::value).toList());
        out.add(new Successor(new Game24Step(a.value(), op, b.value(), r, left), board));
    }
}

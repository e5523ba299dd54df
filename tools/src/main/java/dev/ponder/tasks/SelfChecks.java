package dev.ponder.tasks;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ponder.tasks.Game24Chain.Chain;
import dev.ponder.tasks.Game24Chain.Node;
import dev.ponder.tasks.Game24Chain.Successor;

/**
 * Self-check examples: a prompt, a chain so far and whether it is right, labelled by the exact verifiers.
 *
 * <p>Positives are prefixes of correct chains, or a correct prefix followed by any valid step that keeps 24
 * reachable. Negatives are a correct prefix followed by one corrupted line: for Game of 24 most often a
 * step with valid arithmetic that leads to a dead end (drawn from all valid next steps), else a wrong
 * result, a wrong left list, an operand that is not on the board, or a wrong boxed expression; sometimes
 * further valid steps follow the error. Every label is recomputed by {@link #verify}; a corruption that
 * happens to be right is discarded.
 */
public final class SelfChecks {

    /** The kinds of Game-of-24 negatives and how often each is drawn (weights). */
    public enum Game24Negative {
        DEAD_END(0.40), WRONG_RESULT(0.20), WRONG_LEFT(0.15), WRONG_ANSWER(0.15), MISSING_OPERAND(0.10);

        final double weight;

        Game24Negative(double weight) {
            this.weight = weight;
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final int ATTEMPTS = 50;

    private SelfChecks() {
    }

    /** Judges an assistant text for a task prompt (Game of 24 or arithmetic) line by line. */
    public static ChainCheck verify(String user, String assistantText) {
        Optional<List<Integer>> puzzle = Game24Chain.parsePrompt(user);
        if (puzzle.isPresent()) {
            return Game24Verifier.verify(puzzle.get(), assistantText);
        }
        Optional<ArithmeticProblem> problem = ArithmeticProblem.parsePrompt(user);
        if (problem.isPresent()) {
            return ArithmeticVerifier.verify(problem.get(), assistantText);
        }
        throw new IllegalArgumentException("not a task prompt: " + user);
    }

    /** The self-check label: every line so far is right. */
    public static boolean label(String user, String chainSoFar) {
        return verify(user, chainSoFar).allCorrect();
    }

    // ---------------------------------------------------------------- Game of 24

    /** {@code count} examples for a solvable puzzle, alternating positive and negative (starting at random). */
    public static List<SelfCheckExample> game24(List<Integer> puzzle, int count, Random rnd) {
        List<Chain> chains = Game24Chain.allChains(puzzle);
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("unsolvable puzzle " + puzzle);
        }
        String user = Game24Chain.prompt(puzzle);
        List<SelfCheckExample> out = new ArrayList<>(count);
        boolean positive = rnd.nextBoolean();
        for (int i = 0; i < count; i++, positive = !positive) {
            out.add(positive ? game24Positive(puzzle, user, rnd) : game24Negative(puzzle, user, rnd));
        }
        return out;
    }

    /**
     * A state-value example, Tree of Thoughts' value question asked of the last step: a correct prefix of 0-2
     * steps, then one valid step drawn among all distinct next steps, steps that keep 24 reachable and dead ends
     * equally often. Its label is whether the numbers left can still make 24. The first step (a 3-number state)
     * is judged most often, since that is where most chains go wrong.
     */
    public static SelfCheckExample game24Value(List<Integer> puzzle, Random rnd) {
        String user = Game24Chain.prompt(puzzle);
        Chain chain = Game24Chain.sample(puzzle, rnd).orElseThrow(() -> new IllegalArgumentException("unsolvable puzzle " + puzzle));
        int depth = valueDepth(rnd);
        List<Game24Step> next = distinct(successors(boards(puzzle, chain).get(depth)));
        List<Game24Step> alive = next.stream().filter(s -> Game24.solvable(s.left())).toList();
        List<Game24Step> dead = next.stream().filter(s -> !Game24.solvable(s.left())).toList();
        boolean positive = dead.isEmpty() || rnd.nextBoolean();
        List<Game24Step> pool = positive ? alive : dead;
        List<String> lines = new ArrayList<>(stepLines(chain, depth));
        lines.add(pool.get(rnd.nextInt(pool.size())).toString());
        return labelled(user, lines, positive);
    }

    /** How often {@link #game24Value} judges the first, second and third step. */
    static final double[] VALUE_DEPTHS = {0.6, 0.3, 0.1};

    /** How many correct steps come before the judged one, drawn by {@link #VALUE_DEPTHS}. */
    private static int valueDepth(Random rnd) {
        double u = rnd.nextDouble();
        return u < VALUE_DEPTHS[0] ? 0 : u < VALUE_DEPTHS[0] + VALUE_DEPTHS[1] ? 1 : 2;
    }

    /**
     * A whole-chain example, shaped like the model's own chains, which always run to a boxed answer that claims 24.
     * A correct prefix of 0-2 steps, then one of, equally often on each side:
     * <ul>
     *   <li>yes: a step that keeps 24 reachable, a correct finish and its boxed expression;</li>
     *   <li>no: a dead end (drawn as in {@link #game24Value}), valid steps down to two numbers, a last step that
     *       claims {@code = 24 (left: 24)} with arithmetic that does not give it (no valid step can), and the boxed
     *       expression those steps built, cut after the dead end or any later line;</li>
     *   <li>no: a correct finish whose boxed expression is wrong (as {@link Game24Negative#WRONG_ANSWER}).</li>
     * </ul>
     * So every line after a mistake is judged, not only the mistake, and an answer line is not right just because
     * the chain before it is.
     */
    public static SelfCheckExample game24Completion(List<Integer> puzzle, Random rnd) {
        String user = Game24Chain.prompt(puzzle);
        Chain chain = Game24Chain.sample(puzzle, rnd).orElseThrow(() -> new IllegalArgumentException("unsolvable puzzle " + puzzle));
        int depth = valueDepth(rnd);
        List<Successor> next = successors(boards(puzzle, chain).get(depth));
        List<Successor> alive = next.stream().filter(s -> Game24.solvable(s.step().left())).toList();
        List<Successor> dead = next.stream().filter(s -> !Game24.solvable(s.step().left())).toList();
        int kind = dead.isEmpty() ? rnd.nextInt(2) * 2 : rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(2);
        boolean live = kind != 1;
        Successor drawn = (live ? alive : dead).get(rnd.nextInt((live ? alive : dead).size()));
        List<String> lines = new ArrayList<>(stepLines(chain, depth));
        lines.add(drawn.step().toString());
        int judged = lines.size();
        List<Node> board = drawn.board();
        while (board.size() > 2) {
            // a live chain keeps 24 reachable; a dead one cannot reach it whatever it does
            List<Successor> steps = successors(board).stream()
                    .filter(s -> !live || Game24.solvable(s.step().left())).toList();
            Successor s = steps.get(rnd.nextInt(steps.size()));
            lines.add(s.step().toString());
            board = s.board();
        }
        Expr answer = board.get(0).expr();
        if (board.size() == 2 && live) {
            Successor last = successors(board).stream().filter(s -> Game24.solvable(s.step().left())).findFirst().orElseThrow();
            lines.add(last.step().toString());
            answer = last.board().get(0).expr();
        } else if (board.size() == 2) {
            // the model's way out of a dead end: a last step that says 24 anyway
            List<Successor> lastSteps = successors(board);
            Successor last = lastSteps.get(rnd.nextInt(lastSteps.size()));
            lines.add(new Game24Step(last.step().a(), last.step().op(), last.step().b(), Game24.TARGET,
                    List.of(Game24.TARGET)).toString());
            answer = last.board().get(0).expr();
        }
        if (kind == 2) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                List<String> wrong = new ArrayList<>(lines);
                wrong.add(Game24Chain.answerLine(wrongAnswer(answer, puzzle, rnd)));
                if (!label(user, text(wrong))) {
                    return new SelfCheckExample(user, text(wrong), false);
                }
            }
        }
        lines.add(Game24Chain.answerLine(answer));
        int end = rnd.nextBoolean() ? lines.size() : judged + rnd.nextInt(lines.size() - judged);
        return labelled(user, lines.subList(0, end), live);
    }

    /**
     * A board-slip example, shaped like the first mistakes of the model's own chains that its check passes with
     * confidence (validation searches: a step that uses a number twice, or a left list with one number swapped, so
     * that the board it claims can make 24). A correct prefix of 0-2 steps (depths as {@link #game24Value}), then,
     * equally often:
     * <ul>
     *   <li>yes: a step that keeps 24 reachable, one that uses two equal numbers when the board has a pair half of
     *       the time it can;</li>
     *   <li>no, used twice: {@code x op x} for a number the board has once, with another number dropped so the left
     *       list has the right length ({@code 10 / 10 = 1 (left: 1 4 5)} on {@code 4 5 10 11});</li>
     *   <li>no, swapped: a valid step whose left list has one number replaced by another
     *       ({@code 10 - 4 = 6 (left: 1 5 6)} on {@code 1 4 9 10}).</li>
     * </ul>
     * A slip prefers a claimed board that can make 24 (the tempting kind) and is sometimes followed by valid steps
     * from that board, as the model goes on. Every label is recomputed by {@link #verify}.
     */
    public static SelfCheckExample game24Slip(List<Integer> puzzle, Random rnd) {
        String user = Game24Chain.prompt(puzzle);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Chain chain = Game24Chain.sample(puzzle, rnd).orElseThrow(() -> new IllegalArgumentException("unsolvable puzzle " + puzzle));
            int depth = valueDepth(rnd);
            List<Node> nodes = boards(puzzle, chain).get(depth);
            List<Fraction> board = Game24.sorted(nodes.stream().map(Node::value).toList());
            List<String> lines = new ArrayList<>(stepLines(chain, depth));
            int kind = rnd.nextInt(4);   // 0-1: yes, 2: used twice, 3: swapped
            if (kind < 2) {
                List<Game24Step> alive = distinct(successors(nodes)).stream()
                        .filter(st -> Game24.solvable(st.left())).toList();
                List<Game24Step> pairs = alive.stream().filter(st -> st.a().equals(st.b())).toList();
                List<Game24Step> pool = !pairs.isEmpty() && rnd.nextBoolean() ? pairs : alive;
                lines.add(pool.get(rnd.nextInt(pool.size())).toString());
                return labelled(user, lines, true);
            }
            Optional<Game24Step> slip = kind == 2 ? usedTwice(board, rnd) : swapped(board, rnd);
            if (slip.isEmpty()) {
                continue;
            }
            lines.add(slip.get().toString());
            continueAfterError(lines, slip.get().left(), rnd);
            if (!label(user, text(lines))) {
                return new SelfCheckExample(user, text(lines), false);
            }
        }
        throw new IllegalStateException("no board slip drawn for " + puzzle);
    }

    /** {@code x op x} for a number {@code x} the board has once, another number dropped; a solvable claim preferred. */
    private static Optional<Game24Step> usedTwice(List<Fraction> board, Random rnd) {
        List<Game24Step> all = new ArrayList<>();
        for (Fraction x : board) {
            if (board.indexOf(x) != board.lastIndexOf(x)) {
                continue;
            }
            for (Op op : Op.values()) {
                Optional<Fraction> r = tryApply(op, x, x).filter(v -> v.signum() >= 0);
                if (r.isEmpty()) {
                    continue;
                }
                List<Fraction> rest = new ArrayList<>(board);
                rest.remove(x);
                for (int drop = 0; drop < rest.size(); drop++) {
                    List<Fraction> left = new ArrayList<>(rest);
                    left.remove(drop);
                    all.add(new Game24Step(x, op, x, r.get(), plus(left, r.get())));
                }
            }
        }
        return tempting(all, rnd);
    }

    /** A valid step whose left list has one number replaced by another (1-13 or the step's result); a solvable claim preferred. */
    private static Optional<Game24Step> swapped(List<Fraction> board, Random rnd) {
        List<Game24Step> all = new ArrayList<>();
        for (Game24Step step : Game24.nextSteps(board)) {
            List<Fraction> right = step.left();
            for (int i = 0; i < right.size(); i++) {
                for (int v = 1; v <= 13; v++) {
                    List<Fraction> left = new ArrayList<>(right);
                    left.set(i, Fraction.of(v));
                    if (!Game24.key(left).equals(Game24.key(right))) {
                        all.add(new Game24Step(step.a(), step.op(), step.b(), step.result(), Game24.sorted(left)));
                    }
                }
            }
        }
        return tempting(all, rnd);
    }

    /** One of the steps, three times in four one whose claimed board can make 24 when there is such a step. */
    private static Optional<Game24Step> tempting(List<Game24Step> steps, Random rnd) {
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        List<Game24Step> solvable = steps.stream().filter(st -> Game24.solvable(st.left())).toList();
        List<Game24Step> pool = !solvable.isEmpty() && rnd.nextDouble() < 0.75 ? solvable : steps;
        return Optional.of(pool.get(rnd.nextInt(pool.size())));
    }

    /**
     * An answer-line example with its recomputation ({@link Game24Recheck}): a whole chain of the kinds
     * {@link #game24Completion} draws, cut at its boxed line. About 40% are right answers, 20% the boxed expression
     * of a dead chain that claimed 24 with a false last step, 40% a correct chain with a wrong boxed expression.
     */
    public static SelfCheckExample game24Answer(List<Integer> puzzle, Random rnd) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            SelfCheckExample e = withRecheck(game24Completion(puzzle, rnd));
            if (!e.reasoning().isEmpty()) {
                return e;
            }
        }
        throw new IllegalStateException("no answer line drawn for " + puzzle);
    }

    /**
     * The example with the check's recomputation of its boxed answer when its chain (of a Game-of-24 prompt) ends in
     * one: the verdict is then the recomputation's, whether the boxed expression makes 24 from the puzzle's numbers.
     * Any other example is returned as it is.
     */
    public static SelfCheckExample withRecheck(SelfCheckExample e) {
        Optional<List<Integer>> puzzle = Game24Chain.parsePrompt(e.user());
        String[] lines = e.chainSoFar().split("\n");
        Optional<String> boxed = Game24Chain.boxedContent(lines[lines.length - 1]);
        if (puzzle.isEmpty() || boxed.isEmpty()) {
            return e;
        }
        return Game24Recheck.of(puzzle.get(), boxed.get())
                .map(r -> new SelfCheckExample(e.user(), e.chainSoFar(), r.correct(), r.reasoning()))
                .orElse(e);
    }

    static SelfCheckExample game24Positive(List<Integer> puzzle, String user, Random rnd) {
        Chain chain = Game24Chain.sample(puzzle, rnd).orElseThrow();
        List<String> lines;
        if (rnd.nextBoolean()) {
            // A prefix of a correct chain: 1..3 steps, or the whole chain with its answer.
            lines = chain.lines().subList(0, 1 + rnd.nextInt(chain.lines().size()));
        } else {
            // A correct prefix, then any valid step that keeps 24 reachable.
            List<List<Node>> boards = boards(puzzle, chain);
            int depth = rnd.nextInt(chain.steps().size());
            List<Game24Step> good = distinct(successors(boards.get(depth))).stream()
                    .filter(s -> Game24.solvable(s.left())).toList();
            lines = new ArrayList<>(stepLines(chain, depth));
            lines.add(good.get(rnd.nextInt(good.size())).toString());
        }
        return labelled(user, lines, true);
    }

    static SelfCheckExample game24Negative(List<Integer> puzzle, String user, Random rnd) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Game24Negative kind = pick(rnd);
            Optional<List<String>> lines = game24Negative(puzzle, kind, rnd);
            if (lines.isPresent() && !label(user, text(lines.get()))) {
                return new SelfCheckExample(user, text(lines.get()), false);
            }
        }
        throw new IllegalStateException("no negative found for " + puzzle);
    }

    /** The lines of one negative of the given kind, or empty when this draw cannot make one. */
    public static Optional<List<String>> game24Negative(List<Integer> puzzle, Game24Negative kind, Random rnd) {
        Chain chain = Game24Chain.sample(puzzle, rnd).orElseThrow();
        List<List<Node>> boards = boards(puzzle, chain);
        int depth = rnd.nextInt(chain.steps().size());
        List<Node> board = boards.get(depth);
        List<String> lines = new ArrayList<>(stepLines(chain, depth));
        List<Successor> next = successors(board);
        Successor pick = next.get(rnd.nextInt(next.size()));
        List<Fraction> rest = Game24.sorted(pick.board().subList(0, pick.board().size() - 1).stream().map(Node::value).toList());
        Game24Step step = pick.step();
        List<Fraction> claimedLeft;
        switch (kind) {
            case DEAD_END -> {
                List<Successor> dead = next.stream().filter(s -> !Game24.solvable(s.step().left())).toList();
                if (dead.isEmpty()) {
                    return Optional.empty();
                }
                Successor d = dead.get(rnd.nextInt(dead.size()));
                lines.add(d.step().toString());
                continueAfterError(lines, d.board().stream().map(Node::value).toList(), rnd);
                return Optional.of(lines);
            }
            case WRONG_RESULT -> {
                Fraction wrong = wrongResult(step, rnd);
                claimedLeft = plus(rest, wrong);
                lines.add(new Game24Step(step.a(), step.op(), step.b(), wrong, claimedLeft).toString());
            }
            case WRONG_LEFT -> {
                claimedLeft = wrongLeft(step, rest, rnd);
                lines.add(new Game24Step(step.a(), step.op(), step.b(), step.result(), claimedLeft).toString());
            }
            case MISSING_OPERAND -> {
                Optional<Game24Step> s = missingOperand(puzzle, board, step, rest, rnd);
                if (s.isEmpty()) {
                    return Optional.empty();
                }
                claimedLeft = s.get().left();
                lines.add(s.get().toString());
            }
            case WRONG_ANSWER -> {
                List<String> all = new ArrayList<>(stepLines(chain, chain.steps().size()));
                all.add(Game24Chain.answerLine(wrongAnswer(chain.answer(), puzzle, rnd)));
                return Optional.of(all);
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        continueAfterError(lines, claimedLeft, rnd);
        return Optional.of(lines);
    }

    // Sometimes the chain goes on after the error with valid steps from the board it claims.
    private static void continueAfterError(List<String> lines, List<Fraction> board, Random rnd) {
        List<Fraction> current = board;
        while (current.size() > 1 && rnd.nextDouble() < 0.3) {
            List<Game24Step> steps = Game24.nextSteps(current);
            if (steps.isEmpty()) {
                return;
            }
            Game24Step s = steps.get(rnd.nextInt(steps.size()));
            lines.add(s.toString());
            current = s.left();
        }
    }

    private static Fraction wrongResult(Game24Step step, Random rnd) {
        while (true) {
            Fraction r = step.result();
            Fraction candidate = switch (rnd.nextInt(4)) {
                // Off by a little.
                case 0 -> r.add(Fraction.of(rnd.nextBoolean() ? 1 + rnd.nextInt(3) : -1 - rnd.nextInt(3)));
                // The result of another operation on the same operands.
                case 1 -> tryApply(Op.values()[rnd.nextInt(4)], step.a(), step.b()).orElse(r);
                // Doubled or halved.
                case 2 -> rnd.nextBoolean() ? r.multiply(Fraction.of(2)) : r.divide(Fraction.of(2));
                // Flipped fraction or a digit slip.
                default -> r.isInteger() || r.isZero() ? Fraction.of(r.num() + 10) : Fraction.of(r.den(), r.num());
            };
            if (!candidate.equals(r) && candidate.signum() >= 0) {
                return candidate;
            }
        }
    }

    private static List<Fraction> wrongLeft(Game24Step step, List<Fraction> rest, Random rnd) {
        List<Fraction> right = plus(rest, step.result());
        while (true) {
            List<Fraction> left = new ArrayList<>(right);
            switch (rnd.nextInt(4)) {
                // A number forgotten.
                case 0 -> left.remove(rnd.nextInt(left.size()));
                // An operand not removed.
                case 1 -> left.add(rnd.nextBoolean() ? step.a() : step.b());
                // An operand kept instead of the result.
                case 2 -> {
                    left.remove(step.result());
                    left.add(rnd.nextBoolean() ? step.a() : step.b());
                }
                // One number miscopied.
                default -> {
                    int i = rnd.nextInt(left.size());
                    left.set(i, left.get(i).add(Fraction.of(rnd.nextBoolean() ? 1 : 2)));
                }
            }
            if (!Game24.key(left).equals(Game24.key(right))) {
                return Game24.sorted(left);
            }
        }
    }

    // The same step with one operand that is not on the board (preferably a puzzle number already used).
    private static Optional<Game24Step> missingOperand(List<Integer> puzzle, List<Node> board, Game24Step step,
                                                       List<Fraction> rest, Random rnd) {
        List<Fraction> onBoard = board.stream().map(Node::value).toList();
        List<Fraction> candidates = new ArrayList<>();
        for (int n : puzzle) {
            if (!onBoard.contains(Fraction.of(n))) {
                candidates.add(Fraction.of(n));
            }
        }
        if (candidates.isEmpty()) {
            for (int n = 1; n <= 13; n++) {
                if (!onBoard.contains(Fraction.of(n))) {
                    candidates.add(Fraction.of(n));
                }
            }
        }
        Fraction ghost = candidates.get(rnd.nextInt(candidates.size()));
        boolean replaceA = rnd.nextBoolean();
        Fraction a = replaceA ? ghost : step.a();
        Fraction b = replaceA ? step.b() : ghost;
        List<Fraction> keep = new ArrayList<>(rest);
        keep.add(replaceA ? step.a() : step.b());
        return tryApply(step.op(), a, b)
                .filter(r -> r.signum() >= 0)
                .map(r -> new Game24Step(a, step.op(), b, r, plus(keep, r)));
    }

    private static Expr wrongAnswer(Expr answer, List<Integer> puzzle, Random rnd) {
        return switch (rnd.nextInt(3)) {
            // One number replaced by another: it is used twice, or a number not in the puzzle.
            case 0 -> {
                List<Fraction> leaves = answer.leaves();
                int i = rnd.nextInt(leaves.size());
                int replacement = puzzle.get(rnd.nextInt(puzzle.size()));
                if (Fraction.of(replacement).equals(leaves.get(i))) {
                    replacement = replacement == 13 ? 12 : replacement + 1;
                }
                yield replaceLeaf(answer, i, new Expr.Num(Fraction.of(replacement)));
            }
            // One operation changed.
            case 1 -> changeOp(answer, rnd);
            // Parentheses dropped (usually a different value).
            default -> {
                String flat = answer.toString().replace("(", "").replace(")", "");
                yield ExpressionParser.parse(flat);
            }
        };
    }

    private static Expr replaceLeaf(Expr e, int index, Expr replacement) {
        int[] counter = {0};
        return mapLeaves(e, leaf -> counter[0]++ == index ? replacement : leaf);
    }

    private static Expr mapLeaves(Expr e, UnaryOperator<Expr> f) {
        if (e instanceof Expr.Bin b) {
            Expr l = mapLeaves(b.left(), f);
            return new Expr.Bin(b.op(), l, mapLeaves(b.right(), f));
        }
        if (e instanceof Expr.Neg n) {
            return new Expr.Neg(mapLeaves(n.operand(), f));
        }
        return f.apply(e);
    }

    private static Expr changeOp(Expr e, Random rnd) {
        List<Expr.Bin> bins = new ArrayList<>();
        collectBins(e, bins);
        Expr.Bin target = bins.get(rnd.nextInt(bins.size()));
        Op other = Op.values()[(target.op().ordinal() + 1 + rnd.nextInt(3)) % 4];
        return replaceBin(e, target, other);
    }

    private static void collectBins(Expr e, List<Expr.Bin> out) {
        if (e instanceof Expr.Bin b) {
            out.add(b);
            collectBins(b.left(), out);
            collectBins(b.right(), out);
        }
    }

    private static Expr replaceBin(Expr e, Expr.Bin target, Op op) {
        if (e == target) {
            return new Expr.Bin(op, target.left(), target.right());
        }
        if (e instanceof Expr.Bin b) {
            return new Expr.Bin(b.op(), replaceBin(b.left(), target, op), replaceBin(b.right(), target, op));
        }
        return e;
    }

    // ---------------------------------------------------------------- arithmetic

    /** {@code count} examples for an arithmetic problem, alternating positive and negative. */
    public static List<SelfCheckExample> arithmetic(ArithmeticProblem problem, ArithmeticProblem.Language language,
                                                    int count, Random rnd) {
        String user = problem.prompt(language);
        List<String> chain = ArithmeticChain.lines(problem);
        List<SelfCheckExample> out = new ArrayList<>(count);
        boolean positive = rnd.nextBoolean();
        for (int i = 0; i < count; i++, positive = !positive) {
            out.add(positive
                    ? labelled(user, chain.subList(0, 1 + rnd.nextInt(chain.size())), true)
                    : arithmeticNegative(user, chain, rnd));
        }
        return out;
    }

    private static SelfCheckExample arithmeticNegative(String user, List<String> chain, Random rnd) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int k = rnd.nextInt(chain.size());
            List<String> lines = new ArrayList<>(chain.subList(0, k));
            lines.add(corruptLine(chain.get(k), rnd));
            // Sometimes the chain goes on as if nothing happened.
            int more = rnd.nextDouble() < 0.3 ? rnd.nextInt(chain.size() - k) : 0;
            lines.addAll(chain.subList(k + 1, k + 1 + more));
            if (!label(user, text(lines))) {
                return new SelfCheckExample(user, text(lines), false);
            }
        }
        throw new IllegalStateException("no negative found for " + user);
    }

    // Changes the last number of the line (its result), or now and then another value after the first '='
    // (exponents are left alone: a slip in 2401^2 is not a mistake a model makes).
    private static String corruptLine(String line, Random rnd) {
        int eq = Math.max(0, line.indexOf('='));
        List<int[]> spans = new ArrayList<>();
        Matcher m = NUMBER.matcher(line);
        while (m.find()) {
            if (m.start() > eq && line.charAt(m.start() - 1) != '^') {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        if (spans.isEmpty()) {
            return line + "0";
        }
        int[] s = rnd.nextDouble() < 0.7 ? spans.get(spans.size() - 1) : spans.get(rnd.nextInt(spans.size()));
        BigInteger v = new BigInteger(line.substring(s[0], s[1]));
        return line.substring(0, s[0]) + wrongNumber(v, rnd) + line.substring(s[1]);
    }

    /** A plausible slip: off by a little or by a power of ten, one digit changed, two digits swapped, a digit lost. */
    static BigInteger wrongNumber(BigInteger v, Random rnd) {
        String digits = v.toString();
        while (true) {
            BigInteger w = switch (rnd.nextInt(5)) {
                case 0 -> v.add(BigInteger.valueOf(rnd.nextBoolean() ? 1 + rnd.nextInt(9) : -1 - rnd.nextInt(9)));
                case 1 -> v.add(BigInteger.TEN.pow(rnd.nextInt(digits.length())).multiply(
                        BigInteger.valueOf(rnd.nextBoolean() ? 1 : -1)));
                case 2 -> {
                    char[] c = digits.toCharArray();
                    int i = rnd.nextInt(c.length);
                    c[i] = (char) ('0' + rnd.nextInt(10));
                    yield new BigInteger(new String(c));
                }
                case 3 -> {
                    if (digits.length() < 2) {
                        yield v;
                    }
                    char[] c = digits.toCharArray();
                    int i = rnd.nextInt(c.length - 1);
                    char t = c[i];
                    c[i] = c[i + 1];
                    c[i + 1] = t;
                    yield new BigInteger(new String(c));
                }
                default -> {
                    if (digits.length() < 2) {
                        yield v.add(BigInteger.TEN);
                    }
                    int i = rnd.nextInt(digits.length());
                    yield new BigInteger(digits.substring(0, i) + digits.substring(i + 1));
                }
            };
            if (!w.equals(v) && w.signum() >= 0) {
                return w;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The boards of a chain: the sorted puzzle numbers, then the board after each step. */
    static List<List<Node>> boards(List<Integer> puzzle, Chain chain) {
        List<List<Node>> out = new ArrayList<>();
        List<Node> board = Game24Chain.leaves(puzzle);
        out.add(board);
        for (Game24Step step : chain.steps()) {
            String want = step.toString();
            board = successors(board).stream().filter(s -> s.step().toString().equals(want)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("step not replayable: " + want)).board();
            out.add(board);
        }
        return out;
    }

    private static List<Successor> successors(List<Node> board) {
        return Game24Chain.successors(board);
    }

    private static List<Game24Step> distinct(List<Successor> successors) {
        Map<String, Game24Step> m = new LinkedHashMap<>();
        successors.forEach(s -> m.putIfAbsent(s.step().toString(), s.step()));
        return List.copyOf(m.values());
    }

    private static List<String> stepLines(Chain chain, int count) {
        return chain.steps().subList(0, count).stream().map(Game24Step::toString).toList();
    }

    private static List<Fraction> plus(List<Fraction> xs, Fraction x) {
        List<Fraction> out = new ArrayList<>(xs);
        out.add(x);
        return Game24.sorted(out);
    }

    private static Optional<Fraction> tryApply(Op op, Fraction a, Fraction b) {
        try {
            return Optional.of(op.apply(a, b));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static Game24Negative pick(Random rnd) {
        double u = rnd.nextDouble();
        for (Game24Negative k : Game24Negative.values()) {
            u -= k.weight;
            if (u < 0) {
                return k;
            }
        }
        return Game24Negative.DEAD_END;
    }

    private static SelfCheckExample labelled(String user, List<String> lines, boolean expected) {
        String t = text(lines);
        if (label(user, t) != expected) {
            throw new IllegalStateException("generated " + (expected ? "positive" : "negative")
                    + " is labelled otherwise:\n" + user + "\n" + t);
        }
        return new SelfCheckExample(user, t, expected);
    }

    /** Lines joined, each ending with its newline. */
    static String text(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}

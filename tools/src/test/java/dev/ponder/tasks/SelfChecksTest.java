package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.ponder.tasks.ArithmeticProblem.Language;
import dev.ponder.tasks.ChainCheck.Verdict;
import dev.ponder.tasks.SelfChecks.Game24Negative;

/** Self-check labels, recomputed with an independent floating-point implementation of the rules. */
class SelfChecksTest {

    private static final double EPS = 1e-9;

    @Test
    void game24LabelsAgreeWithAnIndependentCheckAndAreBalanced() {
        Random rnd = new Random(42);
        int yes = 0;
        int no = 0;
        List<Game24Puzzle> all = TaskDatasets.allPuzzles();
        for (int i = 0; i < all.size(); i += 4) {
            List<Integer> puzzle = all.get(i).numbers();
            for (SelfCheckExample e : SelfChecks.game24(puzzle, 6, rnd)) {
                assertEquals(Game24Chain.prompt(puzzle), e.user());
                assertTrue(e.chainSoFar().endsWith("\n") && !e.chainSoFar().endsWith("\n\n"), e.chainSoFar());
                assertEquals(independentGame24Label(puzzle, e.chainSoFar()), e.correct(), e.user() + "\n" + e.chainSoFar());
                if (e.correct()) {
                    yes++;
                } else {
                    no++;
                }
            }
        }
        assertEquals(yes, no);
    }

    @Test
    void everyNegativeKindIsWhatItSays() {
        Random rnd = new Random(3);
        Map<Game24Negative, Integer> made = new EnumMap<>(Game24Negative.class);
        for (Game24Puzzle p : TaskDatasets.allPuzzles().stream().filter(p -> p.rank() % 9 == 0).toList()) {
            for (Game24Negative kind : Game24Negative.values()) {
                Optional<List<String>> lines = SelfChecks.game24Negative(p.numbers(), kind, rnd);
                if (lines.isEmpty()) {
                    continue;
                }
                String text = String.join("\n", lines.get()) + "\n";
                ChainCheck check = Game24Verifier.verify(p.numbers(), text);
                if (check.allCorrect()) {
                    continue; // an accidental right answer; the generator discards these
                }
                assertFalse(independentGame24Label(p.numbers(), text), text);
                Verdict first = check.lines().get(check.firstError()).verdict();
                Verdict expected = switch (kind) {
                    case DEAD_END -> Verdict.DEAD_END;
                    case WRONG_RESULT -> Verdict.WRONG_RESULT;
                    case WRONG_LEFT -> Verdict.WRONG_LEFT;
                    case WRONG_ANSWER -> Verdict.WRONG_ANSWER;
                    case MISSING_OPERAND -> Verdict.MISSING_OPERAND;
                };
                assertEquals(expected, first, text);
                made.merge(kind, 1, Integer::sum);
            }
        }
        for (Game24Negative kind : Game24Negative.values()) {
            assertTrue(made.getOrDefault(kind, 0) > 50, kind + ": " + made);
        }
    }

    @Test
    void stateValuesJudgeOneValidStepAgainstAnIndependentSolver() {
        Random rnd = new Random(11);
        int yes = 0;
        int[] depths = new int[4];
        int n = 0;
        for (Game24Puzzle p : TaskDatasets.allPuzzles().stream().filter(p -> p.rank() % 3 == 0).toList()) {
            if (!Game24.solvableInts(p.numbers())) {
                continue;
            }
            SelfCheckExample e = SelfChecks.game24Value(p.numbers(), rnd);
            n++;
            assertEquals(independentGame24Label(p.numbers(), e.chainSoFar()), e.correct(), e.chainSoFar());
            ChainCheck c = Game24Verifier.verify(p.numbers(), e.chainSoFar());
            int lines = c.lines().size();
            depths[lines]++;
            // Every line but the last is right; the last has right arithmetic and bookkeeping, so the label is
            // exactly whether 24 can still be made.
            for (int i = 0; i < lines - 1; i++) {
                assertEquals(Verdict.OK, c.lines().get(i).verdict(), e.chainSoFar());
            }
            Verdict last = c.lines().get(lines - 1).verdict();
            assertEquals(e.correct() ? Verdict.OK : Verdict.DEAD_END, last, e.chainSoFar());
            yes += e.correct() ? 1 : 0;
        }
        assertTrue(Math.abs(yes - n / 2.0) < 0.1 * n, yes + " positives of " + n);
        // The first step (a 3-number state) is judged most often, then the second, then the last.
        assertTrue(depths[1] > depths[2] && depths[2] > depths[3] && depths[3] > 0, Arrays.toString(depths));
    }

    @Test
    void wholeChainsJudgeEveryLineAfterTheDrawnStepAgainstAnIndependentSolver() {
        Random rnd = new Random(12);
        int yes = 0;
        int answers = 0;
        int after = 0;
        int claims = 0;
        int wrongAnswers = 0;
        int n = 0;
        for (Game24Puzzle p : TaskDatasets.allPuzzles().stream().filter(p -> p.rank() % 3 == 1).toList()) {
            if (!Game24.solvableInts(p.numbers())) {
                continue;
            }
            SelfCheckExample e = SelfChecks.game24Completion(p.numbers(), rnd);
            n++;
            assertEquals(independentGame24Label(p.numbers(), e.chainSoFar()), e.correct(), e.chainSoFar());
            ChainCheck c = Game24Verifier.verify(p.numbers(), e.chainSoFar());
            List<String> lines = List.of(e.chainSoFar().split("\n"));
            answers += lines.get(lines.size() - 1).startsWith("\\boxed{") ? 1 : 0;
            if (!e.correct()) {
                // the first mistake is a dead end (valid arithmetic), or a wrong boxed expression after right steps
                List<Verdict> verdicts = c.lines().stream().map(l -> l.verdict()).toList();
                Verdict first = verdicts.stream().filter(v -> v != Verdict.OK).findFirst().orElseThrow();
                assertTrue(first == Verdict.DEAD_END || first == Verdict.WRONG_ANSWER, first + "\n" + e.chainSoFar());
                if (first == Verdict.DEAD_END) {
                    after += verdicts.indexOf(Verdict.DEAD_END) < lines.size() - 1 ? 1 : 0;
                } else {
                    assertEquals(lines.size() - 1, verdicts.indexOf(Verdict.WRONG_ANSWER), e.chainSoFar());
                    wrongAnswers++;
                }
                claims += e.chainSoFar().contains("= 24 (left: 24)") ? 1 : 0;
            }
            yes += e.correct() ? 1 : 0;
        }
        int no = n - yes;
        assertTrue(Math.abs(yes - n / 2.0) < 0.1 * n, yes + " positives of " + n);
        assertTrue(answers > 0.4 * n, answers + " of " + n + " end with their answer line");
        // most negatives go on past their dead end, some claim 24 anyway, a share has only a wrong answer
        assertTrue(after > 0.3 * no, after + " of " + no + " negatives go on after the dead end");
        assertTrue(claims > 0.1 * no, claims + " of " + no + " negatives claim 24 after a dead end");
        assertTrue(wrongAnswers > 0.3 * no && wrongAnswers < 0.7 * no, wrongAnswers + " of " + no + " are wrong answers");
    }

    @Test
    void boardSlipsUseANumberTwiceOrSwapOneInTheLeftListAndMostClaimABoardThatMakes24() {
        Random rnd = new Random(13);
        int n = 0;
        int yes = 0;
        int twice = 0;
        int swapped = 0;
        int tempting = 0;
        for (Game24Puzzle p : TaskDatasets.allPuzzles().stream().filter(p -> p.rank() % 3 == 2).toList()) {
            if (!Game24.solvableInts(p.numbers())) {
                continue;
            }
            SelfCheckExample e = SelfChecks.game24Slip(p.numbers(), rnd);
            n++;
            assertEquals(independentGame24Label(p.numbers(), e.chainSoFar()), e.correct(), e.chainSoFar());
            if (e.correct()) {
                yes++;
                continue;
            }
            ChainCheck c = Game24Verifier.verify(p.numbers(), e.chainSoFar());
            ChainCheck.LineCheck slip = c.lines().get(c.firstError());
            Matcher m = STEP.matcher(slip.line());
            assertTrue(m.matches(), slip.line());
            if (slip.verdict() == Verdict.MISSING_OPERAND) {
                // the same number on both sides of the operation, and a left list of the right length
                assertEquals(m.group(1), m.group(3), e.chainSoFar());
                twice++;
            } else {
                assertEquals(Verdict.WRONG_LEFT, slip.verdict(), e.chainSoFar());
                swapped++;
            }
            List<Double> left = Arrays.stream(m.group(5).trim().split(" ")).map(SelfChecksTest::num).toList();
            assertEquals(3 - c.firstError(), left.size(), e.chainSoFar());
            tempting += reaches24(new ArrayList<>(left)) ? 1 : 0;
        }
        int no = n - yes;
        assertTrue(Math.abs(yes - n / 2.0) < 0.1 * n, yes + " positives of " + n);
        assertTrue(twice > 0.3 * no && swapped > 0.3 * no, twice + " used twice, " + swapped + " swapped, of " + no);
        assertTrue(tempting > 0.6 * no, tempting + " of " + no + " slips claim a board that can make 24");
    }

    @Test
    void deadEndsAreTheMostCommonNegative() {
        Random rnd = new Random(8);
        int dead = 0;
        int negatives = 0;
        for (Game24Puzzle p : TaskDatasets.allPuzzles().subList(0, 300)) {
            for (SelfCheckExample e : SelfChecks.game24(p.numbers(), 4, rnd)) {
                if (!e.correct()) {
                    negatives++;
                    ChainCheck c = Game24Verifier.verify(p.numbers(), e.chainSoFar());
                    if (c.lines().get(c.firstError()).verdict() == Verdict.DEAD_END) {
                        dead++;
                    }
                }
            }
        }
        assertTrue(dead > 0.3 * negatives, dead + " of " + negatives);
    }

    @Test
    void arithmeticLabelsAgreeWithAnIndependentCheck() {
        Random rnd = new Random(9);
        TaskDatasets data = new TaskDatasets(1);
        List<ArithmeticProblem> problems = new ArrayList<>(TaskDatasets.allPowers());
        for (int i = 0; i < 400; i++) {
            problems.add(data.randomProduct(TaskDatasets.Split.TRAIN, rnd));
        }
        int yes = 0;
        int no = 0;
        for (ArithmeticProblem p : problems) {
            for (SelfCheckExample e : SelfChecks.arithmetic(p, rnd.nextBoolean() ? Language.EN : Language.ZH, 4, rnd)) {
                assertEquals(Optional.of(p), ArithmeticProblem.parsePrompt(e.user()));
                assertEquals(independentArithmeticLabel(p, e.chainSoFar()), e.correct(), e.user() + "\n" + e.chainSoFar());
                if (e.correct()) {
                    yes++;
                } else {
                    no++;
                }
            }
        }
        assertEquals(yes, no);
    }

    @Test
    void labelDispatchesOnThePrompt() {
        assertTrue(SelfChecks.label("Use 4 9 10 13 to make 24.", "13 - 9 = 4 (left: 4 4 10)\n"));
        assertFalse(SelfChecks.label("Use 4 9 10 13 to make 24.", "13 + 10 = 23 (left: 4 9 23)\n"));
        assertTrue(SelfChecks.label("What is 5^10?", "5^2 = 25\n"));
        assertFalse(SelfChecks.label("5的十次方等于多少？", "5^2 = 24\n"));
        assertEquals("yes", new SelfCheckExample("u", "c\n", true).answer());
    }

    // ------------------------------------------------------------ independent Game-of-24 rules (doubles)

    private static final Pattern STEP = Pattern.compile("(\\S+) ([-+*/]) (\\S+) = (\\S+) \\(left: ([^)]*)\\)");

    static boolean independentGame24Label(List<Integer> puzzle, String text) {
        List<Double> board = new ArrayList<>(puzzle.stream().map(Integer::doubleValue).toList());
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("\\boxed{")) {
                return i == lines.length - 1 && answerIsRight(puzzle, line.substring(7, line.length() - 1));
            }
            Matcher m = STEP.matcher(line);
            if (!m.matches()) {
                return false;
            }
            double a = num(m.group(1));
            double b = num(m.group(3));
            double r = num(m.group(4));
            List<Double> rest = new ArrayList<>(board);
            if (!removeNear(rest, a) || !removeNear(rest, b)) {
                return false;
            }
            double truth = switch (m.group(2)) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                default -> b == 0 ? Double.NaN : a / b;
            };
            if (Double.isNaN(truth) || Math.abs(truth - r) > EPS) {
                return false;
            }
            rest.add(truth);
            List<Double> claimed = m.group(5).isBlank() ? List.of()
                    : Arrays.stream(m.group(5).trim().split(" ")).map(SelfChecksTest::num).toList();
            if (!sameMultiset(rest, claimed) || !reaches24(rest)) {
                return false;
            }
            board = new ArrayList<>(claimed);
        }
        return lines.length > 0;
    }

    private static double num(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? Double.parseDouble(s) : Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
    }

    private static boolean removeNear(List<Double> xs, double x) {
        for (int i = 0; i < xs.size(); i++) {
            if (Math.abs(xs.get(i) - x) < EPS) {
                xs.remove(i);
                return true;
            }
        }
        return false;
    }

    private static boolean sameMultiset(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            return false;
        }
        List<Double> x = new ArrayList<>(a);
        List<Double> y = new ArrayList<>(b);
        x.sort(null);
        y.sort(null);
        for (int i = 0; i < x.size(); i++) {
            if (Math.abs(x.get(i) - y.get(i)) > EPS) {
                return false;
            }
        }
        return true;
    }

    static boolean reaches24(List<Double> xs) {
        if (xs.size() == 1) {
            return Math.abs(xs.get(0) - 24) < 1e-6;
        }
        for (int i = 0; i < xs.size(); i++) {
            for (int j = 0; j < xs.size(); j++) {
                if (i == j) {
                    continue;
                }
                List<Double> rest = new ArrayList<>();
                for (int k = 0; k < xs.size(); k++) {
                    if (k != i && k != j) {
                        rest.add(xs.get(k));
                    }
                }
                double a = xs.get(i);
                double b = xs.get(j);
                for (double r : new double[] {a + b, a - b, a * b, Math.abs(b) < EPS ? Double.NaN : a / b}) {
                    if (Double.isNaN(r)) {
                        continue;
                    }
                    rest.add(r);
                    if (reaches24(rest)) {
                        return true;
                    }
                    rest.remove(rest.size() - 1);
                }
            }
        }
        return false;
    }

    // The numbers used are the puzzle's, and the value (shunting-yard over doubles) is 24.
    private static boolean answerIsRight(List<Integer> puzzle, String expr) {
        List<Integer> used = new ArrayList<>();
        Matcher m = Pattern.compile("\\d+").matcher(expr);
        while (m.find()) {
            used.add(Integer.parseInt(m.group()));
        }
        List<Integer> want = new ArrayList<>(puzzle);
        used.sort(null);
        want.sort(null);
        if (!used.equals(want)) {
            return false;
        }
        Deque<Double> values = new ArrayDeque<>();
        Deque<Character> ops = new ArrayDeque<>();
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (Character.isDigit(c)) {
                int j = i;
                while (j < expr.length() && Character.isDigit(expr.charAt(j))) {
                    j++;
                }
                values.push(Double.parseDouble(expr.substring(i, j)));
                i = j - 1;
            } else if (c == '(') {
                ops.push(c);
            } else if (c == ')') {
                while (ops.peek() != '(') {
                    reduce(values, ops.pop());
                }
                ops.pop();
            } else if ("+-*/".indexOf(c) >= 0) {
                while (!ops.isEmpty() && ops.peek() != '(' && prec(ops.peek()) >= prec(c)) {
                    reduce(values, ops.pop());
                }
                ops.push(c);
            }
        }
        while (!ops.isEmpty()) {
            reduce(values, ops.pop());
        }
        return values.size() == 1 && Math.abs(values.pop() - 24) < 1e-6;
    }

    private static int prec(char op) {
        return op == '+' || op == '-' ? 1 : 2;
    }

    private static void reduce(Deque<Double> values, char op) {
        double b = values.pop();
        double a = values.pop();
        values.push(switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            default -> a / b;
        });
    }

    // ------------------------------------------------------------ independent arithmetic rules

    static boolean independentArithmeticLabel(ArithmeticProblem p, String text) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("\\boxed{")) {
                return i == lines.length - 1
                        && new BigInteger(line.substring(7, line.length() - 1)).equals(p.answer());
            }
            if (!ArithmeticChainTest.lineHolds(line)) {
                return false;
            }
        }
        return lines.length > 0;
    }
}

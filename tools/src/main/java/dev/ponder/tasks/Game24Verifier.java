package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.ponder.tasks.ChainCheck.LineCheck;
import dev.ponder.tasks.ChainCheck.Verdict;

/**
 * Judges a Game-of-24 chain written by a model, line by line and exactly.
 *
 * <p>Each step line is judged locally against the board the previous line claims (the puzzle for the first
 * line): its operands must be on the board, its arithmetic exact, its left list the right multiset, and 24
 * must still be reachable from that left list. A {@code \boxed{}} line is judged by {@link Game24Checker}
 * against the original puzzle. Blank lines are ignored; nothing may follow the answer line.
 */
public final class Game24Verifier {

    private Game24Verifier() {
    }

    public static ChainCheck verify(List<Integer> puzzle, String text) {
        return verifyFractions(puzzle.stream().map(n -> Fraction.of(n)).toList(), text);
    }

    public static ChainCheck verifyFractions(List<Fraction> puzzle, String text) {
        List<List<Fraction>> board = new ArrayList<>(List.of(List.copyOf(puzzle)));   // the numbers left, per step
        return ChainCheck.walk(text, boxed -> {
            Game24Checker.Result r = Game24Checker.check(puzzle, boxed);
            return new LineCheck(boxed, r.valid() ? Verdict.OK : Verdict.WRONG_ANSWER, r.reason());
        }, line -> {
            Optional<Game24Step> step = Game24Step.parse(line);
            if (step.isEmpty()) {
                return new LineCheck(line, Verdict.NOT_A_STEP, "not a step line");
            }
            LineCheck c = judge(board.get(0), step.get(), line);
            board.set(0, step.get().left());
            return c;
        });
    }

    /** The verdict for one parsed step made on {@code board}. */
    static LineCheck judge(List<Fraction> board, Game24Step s, String line) {
        List<Fraction> rest = new ArrayList<>(board);
        if (!rest.remove(s.a()) || !rest.remove(s.b())) {
            return new LineCheck(line, Verdict.MISSING_OPERAND,
                    "uses " + s.a() + " and " + s.b() + " but the numbers left are " + show(board));
        }
        Fraction truth;
        try {
            truth = s.op().apply(s.a(), s.b());
        } catch (ArithmeticException e) {
            return new LineCheck(line, Verdict.WRONG_RESULT, "division by zero".equals(e.getMessage())
                    ? "divides by zero" : "overflows");
        }
        if (!truth.equals(s.result())) {
            return new LineCheck(line, Verdict.WRONG_RESULT,
                    s.a() + " " + s.op() + " " + s.b() + " is " + truth + ", not " + s.result());
        }
        rest.add(truth);
        if (!Game24.key(rest).equals(Game24.key(s.left()))) {
            return new LineCheck(line, Verdict.WRONG_LEFT, "left should be " + show(rest));
        }
        if (!Game24.solvable(rest)) {
            return new LineCheck(line, Verdict.DEAD_END, "24 cannot be made from " + show(rest));
        }
        return new LineCheck(line, Verdict.OK, "ok");
    }

    private static String show(List<Fraction> xs) {
        return Game24.sorted(xs).stream().map(Fraction::toString).collect(Collectors.joining(" "));
    }
}

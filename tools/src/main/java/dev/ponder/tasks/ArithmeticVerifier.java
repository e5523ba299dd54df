package dev.ponder.tasks;

import java.math.BigInteger;
import java.util.Optional;

import dev.ponder.tasks.ChainCheck.LineCheck;
import dev.ponder.tasks.ChainCheck.Verdict;

/**
 * Judges an arithmetic chain exactly: each line must be a chain of at least two equal expressions
 * ({@code 5^4 = 25^2 = 625}) or a long multiplication or column addition done right ({@link LongArithmetic}); the {@code \boxed{}} line must hold the problem's answer; nothing may follow it.
 */
public final class ArithmeticVerifier {

    private ArithmeticVerifier() {
    }

    public static ChainCheck verify(ArithmeticProblem problem, String text) {
        return ChainCheck.walk(text, boxed -> {
            Optional<BigInteger> v = IntegerExpression.evaluate(boxed.replace(",", ""));
            boolean right = v.isPresent() && v.get().equals(problem.answer());
            return new LineCheck(boxed, right ? Verdict.OK : Verdict.WRONG_ANSWER,
                    right ? "ok" : "the answer is " + problem.answer());
        }, ArithmeticVerifier::judge);
    }

    /**
     * A step line: a long multiplication or column addition must be exactly the one its header asks for
     * ({@link LongArithmetic#canonical}); any other line is an equation, every side of every '=' must evaluate, and all
     * to the same value.
     */
    static LineCheck judge(String line) {
        if (LongArithmetic.isLongLine(line)) {
            Optional<String> expected = LongArithmetic.canonical(line);
            if (expected.isEmpty()) {
                return new LineCheck(line, Verdict.NOT_A_STEP, "not a long multiplication or column addition");
            }
            return expected.get().equals(line) ? new LineCheck(line, Verdict.OK, "ok")
                    : new LineCheck(line, Verdict.WRONG_RESULT, "should read '" + expected.get() + "'");
        }
        String[] sides = line.split("=", -1);
        if (sides.length < 2) {
            return new LineCheck(line, Verdict.NOT_A_STEP, "not an equation");
        }
        BigInteger first = null;
        for (String side : sides) {
            Optional<BigInteger> v = IntegerExpression.evaluate(side.strip());
            if (v.isEmpty()) {
                return new LineCheck(line, Verdict.NOT_A_STEP, "cannot read '" + side.strip() + "'");
            }
            if (first == null) {
                first = v.get();
            } else if (!first.equals(v.get())) {
                return new LineCheck(line, Verdict.WRONG_RESULT, side.strip() + " is " + v.get() + ", not " + first);
            }
        }
        return new LineCheck(line, Verdict.OK, "ok");
    }
}

package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The line-by-line judgment of an assistant text (a whole chain or a prefix of one).
 *
 * @param lines  one check per non-blank line, in order
 * @param solved whether the (first) answer line is right
 */
public record ChainCheck(List<LineCheck> lines, boolean solved) {

    /** What is wrong with a line, or OK. */
    public enum Verdict {
        OK,
        /** The line is not in the task's step format. */
        NOT_A_STEP,
        /** Game of 24: an operand is not among the numbers left. */
        MISSING_OPERAND,
        /** The arithmetic of the line is false. */
        WRONG_RESULT,
        /** Game of 24: the left list is not the numbers that remain. */
        WRONG_LEFT,
        /** Game of 24: the step is right but 24 can no longer be made. */
        DEAD_END,
        /** The boxed answer is wrong. */
        WRONG_ANSWER,
        /** Text after the boxed answer. */
        AFTER_ANSWER
    }

    /** The judgment of one non-blank line; {@code reason} is "ok" or a short explanation. */
    public record LineCheck(String line, Verdict verdict, String reason) {
        public boolean ok() {
            return verdict == Verdict.OK;
        }
    }

    public ChainCheck {
        lines = List.copyOf(lines);
    }

    /** True when there is at least one line and every line is OK: the self-check label of a prefix. */
    public boolean allCorrect() {
        return !lines.isEmpty() && lines.stream().allMatch(LineCheck::ok);
    }

    /**
     * Judges a chain line by line, as both task verifiers do: blank lines are skipped, the first line with a
     * {@code \\boxed{}} is the answer (judged by {@code answer} on its content; the chain is solved when it is
     * OK), every later line is {@link Verdict#AFTER_ANSWER}, and every other line is a step judged by
     * {@code step} (which may keep state, such as the numbers left).
     */
    static ChainCheck walk(String text, Function<String, LineCheck> answer, Function<String, LineCheck> step) {
        List<LineCheck> out = new ArrayList<>();
        boolean answered = false;
        boolean solved = false;
        for (String raw : (text == null ? "" : text).split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (answered) {
                out.add(new LineCheck(line, Verdict.AFTER_ANSWER, "text after the answer"));
                continue;
            }
            Optional<String> boxed = Game24Chain.boxedContent(line);
            if (boxed.isPresent()) {
                answered = true;
                LineCheck c = answer.apply(boxed.get());
                solved = c.ok();
                out.add(new LineCheck(line, c.verdict(), c.reason()));
                continue;
            }
            out.add(step.apply(line));
        }
        return new ChainCheck(out, solved);
    }

    /** Index of the first line that is not OK, or -1. */
    public int firstError() {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).ok()) {
                return i;
            }
        }
        return -1;
    }
}

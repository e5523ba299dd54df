package dev.ponder.search;

import java.util.Arrays;
import java.util.Objects;

/**
 * One reasoning step proposed by a {@link StepModel}.
 *
 * @param text     the exact generated text, including its trailing delimiter when the model emitted one,
 *                 so that {@link Chain#text()} is the plain concatenation of steps
 * @param tokens   the generated token ids (may be empty for scripted models); copied, never shared
 * @param logProb  sum of the token log-probabilities of this step under the sampling model
 * @param terminal whether the chain ends with this step (end of sequence or a final answer)
 * @param answer   content of the last {@code \boxed{}} stated in this step, or null
 */
public record Step(String text, int[] tokens, double logProb, boolean terminal, String answer) {

    public Step {
        Objects.requireNonNull(text, "text");
        tokens = tokens == null ? new int[0] : tokens.clone();
        if (Double.isNaN(logProb)) {
            throw new IllegalArgumentException("logProb is NaN");
        }
    }

    /** A step whose answer is read from its text with {@link Answers#lastBoxed(String)}. */
    public static Step of(String text, int[] tokens, double logProb, boolean terminal) {
        return new Step(text, tokens, logProb, terminal, Answers.lastBoxed(text));
    }

    /** The token ids (a copy). */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Number of generated tokens. */
    public int tokenCount() {
        return tokens.length;
    }

    /**
     * Length used to normalise log-likelihoods: the token count, or 1 for a step without tokens
     * (scripted models), so a normalised score is always defined.
     */
    public int length() {
        return Math.max(1, tokens.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Step s
                && text.equals(s.text)
                && Arrays.equals(tokens, s.tokens)
                && Double.compare(logProb, s.logProb) == 0
                && terminal == s.terminal
                && Objects.equals(answer, s.answer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, Arrays.hashCode(tokens), logProb, terminal, answer);
    }

    @Override
    public String toString() {
        return "Step[text=" + text + ", tokens=" + tokens.length + ", logProb=" + logProb
                + ", terminal=" + terminal + ", answer=" + answer + "]";
    }
}

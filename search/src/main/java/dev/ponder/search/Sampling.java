package dev.ponder.search;

import java.util.Objects;

/**
 * Sampling settings for one model call.
 *
 * @param temperature    0 means greedy (argmax) decoding
 * @param seed           seed of this call; a call asking for k samples derives k distinct seeds from it
 * @param maxStepTokens  most tokens one step may have
 * @param maxChainTokens most generated tokens a whole chain may have
 * @param delimiter      where a step ends (see {@link StepDelimiter})
 * @param greedyAnswer   for {@link StepModel#complete}: a sampled step that states the final answer is proposed again
 *                       greedily (temperature 0) from the same chain, and the greedy step is kept; the answer restates
 *                       what the steps before it found, and sampling it adds only slips of transcription
 */
public record Sampling(double temperature, long seed, int maxStepTokens, int maxChainTokens,
                       StepDelimiter delimiter, boolean greedyAnswer) {

    /** Settings that keep sampled answer lines. */
    public Sampling(double temperature, long seed, int maxStepTokens, int maxChainTokens, StepDelimiter delimiter) {
        this(temperature, seed, maxStepTokens, maxChainTokens, delimiter, false);
    }

    public Sampling {
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be >= 0: " + temperature);
        }
        if (maxStepTokens < 1 || maxChainTokens < 1) {
            throw new IllegalArgumentException("token limits must be >= 1");
        }
        Objects.requireNonNull(delimiter, "delimiter");
    }

    /** Same settings with another seed. */
    public Sampling withSeed(long newSeed) {
        return new Sampling(temperature, newSeed, maxStepTokens, maxChainTokens, delimiter, greedyAnswer);
    }

    /** Same settings with another temperature. */
    public Sampling withTemperature(double t) {
        return new Sampling(t, seed, maxStepTokens, maxChainTokens, delimiter, greedyAnswer);
    }

    /** Same settings, with or without greedy answer steps in {@link StepModel#complete}. */
    public Sampling withGreedyAnswer(boolean v) {
        return new Sampling(temperature, seed, maxStepTokens, maxChainTokens, delimiter, v);
    }
}

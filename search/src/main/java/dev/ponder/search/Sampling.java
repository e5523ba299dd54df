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
 */
public record Sampling(double temperature, long seed, int maxStepTokens, int maxChainTokens,
                       StepDelimiter delimiter) {

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
        return new Sampling(temperature, newSeed, maxStepTokens, maxChainTokens, delimiter);
    }

    /** Same settings with another temperature. */
    public Sampling withTemperature(double t) {
        return new Sampling(t, seed, maxStepTokens, maxChainTokens, delimiter);
    }
}

package dev.ponder.model;

/**
 * How the next token is chosen.
 *
 * @param temperature 0 picks the most likely token (greedy); otherwise logits are divided by it
 * @param topK        keep only the k most likely tokens (0: no limit)
 * @param topP        keep the smallest set whose probability reaches p (1: no limit)
 * @param seed        seeds the random stream, so a request reproduces
 */
public record SamplingParams(double temperature, int topK, double topP, long seed) {

    public SamplingParams {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, is " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, is " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], is " + topP);
        }
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0);
    }

    public static SamplingParams temperature(double t, long seed) {
        return new SamplingParams(t, 0, 1, seed);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}

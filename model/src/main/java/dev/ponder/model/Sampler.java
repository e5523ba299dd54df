package dev.ponder.model;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits on the host (DJL's PyTorch engine has no multinomial
 * sampling; a row of V floats is cheap to copy). Reports the chosen token's log-probability under the
 * model's own distribution, before temperature, top-k or top-p reshape it.
 */
public final class Sampler {

    /** A chosen token and log p(token) under the unmodified softmax. */
    public record Choice(int token, double logProb) {
    }

    private Sampler() {
    }

    /** log-softmax of a row, in double precision. */
    public static double[] logSoftmax(float[] logits, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = logits[offset + i] - lse;
        }
        return out;
    }

    /** The most likely token of a logits row (the first of equal ones): greedy choice. */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    public static Choice sample(float[] logits, int offset, int vocab, SamplingParams p, SplittableRandom rng) {
        double[] logp = logSoftmax(logits, offset, vocab);
        if (p.isGreedy()) {
            int best = argmax(logits, offset, vocab);
            return new Choice(best, logp[best]);
        }
        if (p.topK() == 0 && p.topP() >= 1) {
            return sampleFull(logp, p, rng);
        }
        Nucleus n = nucleus(logp, p);
        double total = 0;
        for (int i = 0; i < n.keep; i++) {
            total += n.weight[i];
        }
        double r = rng.nextDouble() * total;
        for (int i = 0; i < n.keep; i++) {
            r -= n.weight[i];
            if (r <= 0) {
                return new Choice(n.order[i], logp[n.order[i]]);
            }
        }
        return new Choice(n.order[n.keep - 1], logp[n.order[n.keep - 1]]);
    }

    /** The candidates of a top-k / top-p draw: token ids by falling probability, their weights, how many are kept. */
    private record Nucleus(Integer[] order, double[] weight, int keep) {
    }

    /** Tokens sorted by probability and weighed at the temperature, cut by top-k, then by top-p. */
    private static Nucleus nucleus(double[] logp, SamplingParams p) {
        int vocab = logp.length;
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(logp[b], logp[a]));
        int keep = p.topK() > 0 ? Math.min(p.topK(), vocab) : vocab;
        double[] weight = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weight[i] = Math.exp((logp[order[i]] - logp[order[0]]) / p.temperature());
            total += weight[i];
        }
        if (p.topP() < 1) {
            double mass = 0;
            for (int i = 0; i < keep; i++) {
                mass += weight[i] / total;
                if (mass >= p.topP()) {
                    keep = i + 1;
                    break;
                }
            }
        }
        return new Nucleus(order, weight, keep);
    }

    /**
     * {@link #sample} without the tokens in {@code excluded}, as long as the tokens left hold at least
     * {@code minMass} of the sampling distribution (temperature, top-k and top-p applied); otherwise, or for greedy
     * choice, exactly {@link #sample}. Sampling without replacement, one token at a time: siblings that share a
     * prefix take different next tokens where the model is unsure, and the same token where it is sure.
     */
    public static Choice sampleExcluding(float[] logits, int offset, int vocab, SamplingParams p, SplittableRandom rng,
                                         BitSet excluded, double minMass) {
        if (excluded.isEmpty() || p.isGreedy()) {
            return sample(logits, offset, vocab, p, rng);
        }
        double[] logp = logSoftmax(logits, offset, vocab);
        double[] w = weights(logp, p);
        double total = 0;
        double left = 0;
        for (int i = 0; i < vocab; i++) {
            total += w[i];
            if (!excluded.get(i)) {
                left += w[i];
            }
        }
        if (left < minMass * total) {
            return sample(logits, offset, vocab, p, rng);
        }
        double r = rng.nextDouble() * left;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (excluded.get(i) || w[i] == 0) {
                continue;
            }
            last = i;
            r -= w[i];
            if (r <= 0) {
                return new Choice(i, logp[i]);
            }
        }
        return new Choice(last, logp[last]);
    }

    /** The unnormalised sampling weight of every token: temperature, then the top-k and top-p cuts (weight 0). */
    private static double[] weights(double[] logp, SamplingParams p) {
        int vocab = logp.length;
        double[] w = new double[vocab];
        if (p.topK() == 0 && p.topP() >= 1) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logp) {
                max = Math.max(max, v);
            }
            for (int i = 0; i < vocab; i++) {
                w[i] = Math.exp((logp[i] - max) / p.temperature());
            }
            return w;
        }
        Nucleus n = nucleus(logp, p);
        for (int i = 0; i < n.keep; i++) {
            w[n.order[i]] = n.weight[i];
        }
        return w;
    }

    /** Plain temperature sampling over the whole vocabulary: no sort needed. */
    private static Choice sampleFull(double[] logp, SamplingParams p, SplittableRandom rng) {
        double[] w = weights(logp, p);
        double total = 0;
        for (double x : w) {
            total += x;
        }
        double r = rng.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            r -= w[i];
            if (r <= 0) {
                return new Choice(i, logp[i]);
            }
        }
        int last = w.length - 1;
        return new Choice(last, logp[last]);
    }
}

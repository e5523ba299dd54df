package dev.ponder.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An immutable partial or complete reasoning chain: the problem and the steps taken so far. */
public record Chain(Problem problem, List<Step> steps) {

    public Chain {
        Objects.requireNonNull(problem, "problem");
        steps = List.copyOf(steps);
    }

    /** The empty chain: the problem with no steps yet (the root of every search tree). */
    public static Chain of(Problem problem) {
        return new Chain(problem, List.of());
    }

    /** A new chain with one more step. */
    public Chain append(Step step) {
        List<Step> next = new ArrayList<>(steps.size() + 1);
        next.addAll(steps);
        next.add(Objects.requireNonNull(step, "step"));
        return new Chain(problem, next);
    }

    /** The chain of this chain's first {@code depth} steps. */
    public Chain prefix(int depth) {
        if (depth < 0 || depth > steps.size()) {
            throw new IllegalArgumentException("no prefix of depth " + depth + " in a chain of " + steps.size());
        }
        return new Chain(problem, steps.subList(0, depth));
    }

    /** The concatenated step texts (steps carry their own delimiters). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            sb.append(s.text());
        }
        return sb.toString();
    }

    /** Number of steps. */
    public int depth() {
        return steps.size();
    }

    /** The answer of the latest step that stated one, or null. */
    public String answer() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).answer() != null) {
                return steps.get(i).answer();
            }
        }
        return null;
    }

    /** Whether the last step ended the chain. */
    public boolean terminal() {
        return !steps.isEmpty() && steps.get(steps.size() - 1).terminal();
    }

    /** Generated tokens over all steps. */
    public int tokenCount() {
        int n = 0;
        for (Step s : steps) {
            n += s.tokenCount();
        }
        return n;
    }

    /** Sum of step log-probabilities. */
    public double logProb() {
        double lp = 0;
        for (Step s : steps) {
            lp += s.logProb();
        }
        return lp;
    }

    /**
     * Length-normalised generation log-likelihood: log-probability per token (per step for steps
     * without tokens); 0 for the empty chain.
     */
    public double normalizedLogProb() {
        int len = 0;
        for (Step s : steps) {
            len += s.length();
        }
        return len == 0 ? 0.0 : logProb() / len;
    }
}

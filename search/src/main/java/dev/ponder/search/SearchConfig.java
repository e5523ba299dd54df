package dev.ponder.search;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one search. Build with {@link #builder()}; every field has a default.
 *
 * @param budget           N, the number of candidate chains the search may carry (see README): 1 = one
 *                         greedy chain; best-of-n and self-consistency sample N chains; beam keeps N
 *                         candidates per step; mcts runs N expansions. Never exceeded.
 * @param seed             search seed; every model call's seed is derived from it and the node id
 * @param temperature      sampling temperature of proposals and rollouts (greedy always uses 0)
 * @param maxStepTokens    most tokens per step (passed to the model)
 * @param maxChainTokens   most generated tokens per chain (passed to the model; chains this long are
 *                         not expanded further)
 * @param maxDepth         most steps per chain explored by step-level strategies
 * @param delimiter        where a step ends (passed to the model)
 * @param deadline         time allowed from subscription; when it passes the search ends with the best
 *                         chain so far, marked cut short. Null: no deadline.
 * @param beamWidth        beams kept per step; 0 chooses ceil(sqrt(budget))
 * @param likelihoodWeight w in beam, best-of-n and mcts scores {@code w * normalised log-likelihood + (1-w) * log(self-check)}
 *                         (Xie et al. 2023 use 0.5 for beam); weighted best-of-n weighs votes by the checks alone
 * @param weightedVotes    self-consistency votes weighted by self-check instead of counted
 * @param cPuct            exploration constant of PUCT in mcts
 * @param mctsExpansions   children proposed when mcts expands a node
 * @param mctsParallel     simulations mcts runs concurrently per round (with virtual loss)
 * @param leafEvaluation   how mcts values a new leaf
 * @param rankAnswerCheck  whether mcts and best-of-n rank a finished chain with its final answer line's own self-check in
 *                         the mean over its steps; off by default: a model may judge its answer line far
 *                         worse than its steps (the embedded model: AUC 0.41 against 0.78 for first steps),
 *                         and the steps' checks then rank chains better (see docs/eval/game24.md)
 * @param answerCheckWeight lambda of the final pick of best-of-n when the model checks answers in a fresh context
 *                         ({@link StepModel#checksAnswers()}): each of the best {@code answerCheckTop} answers is scored
 *                         {@code score * check^lambda}; 0 leaves the pick as it was
 * @param answerCheckTop   how many of the best distinct answers the final pick checks
 */
public record SearchConfig(int budget, long seed, double temperature, int maxStepTokens, int maxChainTokens,
                           int maxDepth, StepDelimiter delimiter, Duration deadline, int beamWidth,
                           double likelihoodWeight, boolean weightedVotes, double cPuct, int mctsExpansions,
                           int mctsParallel, LeafEvaluation leafEvaluation, boolean rankAnswerCheck,
                           double answerCheckWeight, int answerCheckTop) {

    /** How mcts values a leaf it has not seen before. */
    public enum LeafEvaluation {
        /** The self-check probability of the leaf's partial chain. */
        SELF_CHECK,
        /** Roll the leaf out with {@link StepModel#complete} and self-check the finished chain. */
        ROLLOUT
    }

    public SearchConfig {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1: " + budget);
        }
        if (!(temperature >= 0)) {
            throw new IllegalArgumentException("temperature must be >= 0: " + temperature);
        }
        if (maxStepTokens < 1 || maxChainTokens < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("maxStepTokens, maxChainTokens and maxDepth must be >= 1");
        }
        Objects.requireNonNull(delimiter, "delimiter");
        if (deadline != null && deadline.isNegative()) {
            throw new IllegalArgumentException("negative deadline");
        }
        if (beamWidth < 0) {
            throw new IllegalArgumentException("beamWidth must be >= 0 (0 = automatic)");
        }
        if (!(likelihoodWeight >= 0 && likelihoodWeight <= 1)) {
            throw new IllegalArgumentException("likelihoodWeight must be in [0,1]: " + likelihoodWeight);
        }
        if (!(cPuct >= 0)) {
            throw new IllegalArgumentException("cPuct must be >= 0");
        }
        if (mctsExpansions < 1 || mctsParallel < 1) {
            throw new IllegalArgumentException("mctsExpansions and mctsParallel must be >= 1");
        }
        Objects.requireNonNull(leafEvaluation, "leafEvaluation");
        if (!(answerCheckWeight >= 0 && answerCheckWeight <= 100)) {
            throw new IllegalArgumentException("answerCheckWeight must be in [0,100]: " + answerCheckWeight);
        }
        if (answerCheckTop < 1) {
            throw new IllegalArgumentException("answerCheckTop must be >= 1: " + answerCheckTop);
        }
    }

    /** The defaults with the given budget. */
    public static SearchConfig ofBudget(int budget) {
        return builder().budget(budget).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.budget = budget;
        b.seed = seed;
        b.temperature = temperature;
        b.maxStepTokens = maxStepTokens;
        b.maxChainTokens = maxChainTokens;
        b.maxDepth = maxDepth;
        b.delimiter = delimiter;
        b.deadline = deadline;
        b.beamWidth = beamWidth;
        b.likelihoodWeight = likelihoodWeight;
        b.weightedVotes = weightedVotes;
        b.cPuct = cPuct;
        b.mctsExpansions = mctsExpansions;
        b.mctsParallel = mctsParallel;
        b.leafEvaluation = leafEvaluation;
        b.rankAnswerCheck = rankAnswerCheck;
        b.answerCheckWeight = answerCheckWeight;
        b.answerCheckTop = answerCheckTop;
        return b;
    }

    /** Sampling settings for one call with this search's limits. */
    public Sampling sampling(double callTemperature, long callSeed) {
        return new Sampling(callTemperature, callSeed, maxStepTokens, maxChainTokens, delimiter);
    }

    /** Builder with the defaults documented on each setter. */
    public static final class Builder {
        private int budget = 4;
        private long seed = 0;
        private double temperature = 0.7;
        private int maxStepTokens = 256;
        private int maxChainTokens = 2048;
        private int maxDepth = 64;
        private StepDelimiter delimiter = StepDelimiter.NEWLINE;
        private Duration deadline;
        private int beamWidth;
        private double likelihoodWeight = 0.5;
        private boolean weightedVotes;
        private double cPuct = 1.5;
        private int mctsExpansions = 3;
        private int mctsParallel = 4;
        private LeafEvaluation leafEvaluation = LeafEvaluation.SELF_CHECK;
        private boolean rankAnswerCheck;
        private double answerCheckWeight = 1;
        private int answerCheckTop = 8;

        private Builder() {
        }

        /** Default 4. */
        public Builder budget(int v) { budget = v; return this; }

        /** Default 0. */
        public Builder seed(long v) { seed = v; return this; }

        /** Default 0.7. */
        public Builder temperature(double v) { temperature = v; return this; }

        /** Default 256. */
        public Builder maxStepTokens(int v) { maxStepTokens = v; return this; }

        /** Default 2048. */
        public Builder maxChainTokens(int v) { maxChainTokens = v; return this; }

        /** Default 64. */
        public Builder maxDepth(int v) { maxDepth = v; return this; }

        /** Default {@link StepDelimiter#NEWLINE}. */
        public Builder delimiter(StepDelimiter v) { delimiter = v; return this; }

        /** Default none (null). */
        public Builder deadline(Duration v) { deadline = v; return this; }

        /** Default 0 (ceil(sqrt(budget))). */
        public Builder beamWidth(int v) { beamWidth = v; return this; }

        /** Default 0.5. */
        public Builder likelihoodWeight(double v) { likelihoodWeight = v; return this; }

        /** Default false. */
        public Builder weightedVotes(boolean v) { weightedVotes = v; return this; }

        /** Default 1.5. */
        public Builder cPuct(double v) { cPuct = v; return this; }

        /** Default 3. */
        public Builder mctsExpansions(int v) { mctsExpansions = v; return this; }

        /** Default 4. */
        public Builder mctsParallel(int v) { mctsParallel = v; return this; }

        /** Default {@link LeafEvaluation#SELF_CHECK}. */
        public Builder leafEvaluation(LeafEvaluation v) { leafEvaluation = v; return this; }

        /** Default false: mcts ranks finished chains by their steps' checks, not their answer line's. */
        public Builder rankAnswerCheck(boolean v) { rankAnswerCheck = v; return this; }

        /** Default 1: the final pick multiplies a chain's score by its answer's check (when the model checks answers). */
        public Builder answerCheckWeight(double v) { answerCheckWeight = v; return this; }

        /** Default 8. */
        public Builder answerCheckTop(int v) { answerCheckTop = v; return this; }

        public SearchConfig build() {
            return new SearchConfig(budget, seed, temperature, maxStepTokens, maxChainTokens, maxDepth,
                    delimiter, deadline, beamWidth, likelihoodWeight, weightedVotes, cPuct, mctsExpansions,
                    mctsParallel, leafEvaluation, rankAnswerCheck, answerCheckWeight, answerCheckTop);
        }
    }
}

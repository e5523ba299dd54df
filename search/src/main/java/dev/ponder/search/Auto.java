package dev.ponder.search;

import io.smallrye.mutiny.Multi;

/**
 * Picks a strategy for the budget: 1 runs {@code greedy}; up to {@link #LARGE} runs {@code weighted-best-of-n}
 * (independent chains, votes weighted by the weakest of their steps' self-checks); larger budgets run
 * {@code best-of-n}, which picks one chain by its steps' checks and its likelihood. Chosen on the validation puzzles
 * (Game of 24, embedded model, temperature 0.7; docs/eval/validation/README.md): at budgets 8 / 16 / 32 / 64 weighted
 * best-of-n solves 61 / 59 / 63 / 63 of 100, beam 64 / 68 / 69 / 70, best-of-n ranked with the likelihood 62 / 70 /
 * 73 / 76, mcts 65 at 8 and 60 at 64. At 8 they are within a binomial standard deviation of each other, so the
 * split there stayed where it was. The result and events name the strategy actually run.
 */
final class Auto implements SearchStrategy {

    static final String NAME = "auto";
    /** Largest budget given to weighted best-of-N; best-of-N above. */
    static final int LARGE = 8;

    @Override
    public String name() {
        return NAME;
    }

    /** The strategy auto runs for {@code budget}. */
    static SearchStrategy pick(int budget) {
        if (budget <= 1) {
            return new Greedy();
        }
        return new BestOfN(budget <= LARGE);
    }

    @Override
    public Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model) {
        return pick(config.budget()).run(problem, config, model);
    }
}

package dev.ponder.search;

import io.smallrye.mutiny.Multi;

/**
 * Picks a strategy for the budget: 1 runs {@code greedy}; up to {@link #LARGE} runs {@code weighted-best-of-n}
 * (independent chains, votes weighted by the geometric mean of their steps' self-checks); larger budgets run
 * step-level {@code beam} search, which spends them on the steps the self-check and the likelihood favour. Chosen
 * on the validation puzzles (Game of 24, embedded model, temperature 0.7; docs/eval/validation/README.md): weighted
 * best-of-n 61 / 58 / 60 / 60 of 100 at budgets 8 / 16 / 32 / 64, beam 53 / 68 / 69 / 66, mcts 57 at 8 and 59 at
 * 64; checked again with sibling proposals without replacement and votes by arithmetic form: weighted best-of-n
 * 61 / 59 / 63 / 63, beam 64 at 8 and 70 at 64, mcts 65 and 60 (at 8 within a binomial standard deviation of each
 * other, so the split stayed). The result and events name the strategy actually run.
 */
final class Auto implements SearchStrategy {

    static final String NAME = "auto";
    /** Largest budget given to weighted best-of-N; beam above. */
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
        return budget <= LARGE ? new BestOfN(true) : new BeamSearch();
    }

    @Override
    public Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model) {
        return pick(config.budget()).run(problem, config, model);
    }
}

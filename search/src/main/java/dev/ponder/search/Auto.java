package dev.ponder.search;

import io.smallrye.mutiny.Multi;

/**
 * Picks a strategy for the budget: 1 runs {@code greedy}; up to {@link #SMALL} runs
 * {@code weighted-best-of-n} (a few independent chains, votes weighted by self-check); larger budgets run
 * step-level {@code beam}, which spends them where self-evaluation says the reasoning is going well
 * (Snell et al. 2024 find beam search ahead of best-of-N at moderate budgets). The result and events
 * name the strategy actually run.
 */
final class Auto implements SearchStrategy {

    static final String NAME = "auto";
    /** Largest budget given to weighted best-of-N. */
    static final int SMALL = 4;

    @Override
    public String name() {
        return NAME;
    }

    /** The strategy auto runs for {@code budget}. */
    static SearchStrategy pick(int budget) {
        if (budget <= 1) {
            return new Greedy();
        }
        return budget <= SMALL ? new BestOfN(true) : new BeamSearch();
    }

    @Override
    public Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model) {
        return pick(config.budget()).run(problem, config, model);
    }
}

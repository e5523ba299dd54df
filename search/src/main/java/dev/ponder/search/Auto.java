package dev.ponder.search;

import io.smallrye.mutiny.Multi;

/**
 * Picks a strategy for the budget: 1 runs {@code greedy}; up to {@link #SMALL} runs
 * {@code weighted-best-of-n} (a few independent chains, votes weighted by self-check); larger budgets run
 * {@code mcts}, which spends them where self-evaluation says the reasoning is going well and widens the nodes
 * it keeps returning to. Chosen on the validation puzzles (Game of 24, embedded model, temperature 0.7): mcts
 * 50 / 53 / 55 of 100 at budgets 8 / 16 / 64 against beam's 40 / 49 / 56, with fewer tokens (4,367 against
 * 6,208 per puzzle at 64). The result and events name the
 * strategy actually run.
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
        return budget <= SMALL ? new BestOfN(true) : new Mcts();
    }

    @Override
    public Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model) {
        return pick(config.budget()).run(problem, config, model);
    }
}

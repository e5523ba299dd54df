package dev.ponder.search;

import io.smallrye.mutiny.Multi;

/**
 * Picks a strategy for the budget: 1 runs {@code greedy}; more runs {@code best-of-n}, which picks one chain by its
 * weakest step's check and its likelihood. Chosen on the validation puzzles (Game of 24, embedded model, temperature
 * 0.7; docs/eval/validation/README.md), the same chains ranked both ways: at budgets 2 / 4 / 8 / 16 / 64 best-of-n
 * solves 35 / 52 / 64 / 72 / 79 of 100, weighted best-of-n 36 / 50 / 60 / 65 / 70. (Up to 8 auto ran weighted
 * best-of-n while the two were within noise there.) The result and events name the strategy actually run.
 */
final class Auto implements SearchStrategy {

    static final String NAME = "auto";
    @Override
    public String name() {
        return NAME;
    }

    /** The strategy auto runs for {@code budget}. */
    static SearchStrategy pick(int budget) {
        if (budget <= 1) {
            return new Greedy();
        }
        return new BestOfN(false);
    }

    @Override
    public Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model) {
        return pick(config.budget()).run(problem, config, model);
    }
}

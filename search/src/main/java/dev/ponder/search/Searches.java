package dev.ponder.search;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Entry point: run a strategy by name as a stream of events, or just get its result. */
public final class Searches {

    private Searches() {
    }

    /**
     * The search as a cold stream: subscribing starts it, cancelling stops it (no new model calls,
     * in-flight calls cancelled). Ends with exactly one {@link SearchEvent.Finished}; fails with the
     * model's exception if a model call fails.
     *
     * @throws IllegalArgumentException for an unknown strategy name
     */
    public static Multi<SearchEvent> run(String strategy, Problem problem, SearchConfig config, StepModel model) {
        return Strategies.byName(strategy).run(problem, config, model);
    }

    /** The final result of {@link #run}. */
    public static Uni<SearchResult> result(String strategy, Problem problem, SearchConfig config, StepModel model) {
        return result(run(strategy, problem, config, model));
    }

    /** The result carried by the stream's {@link SearchEvent.Finished}. */
    public static Uni<SearchResult> result(Multi<SearchEvent> events) {
        return events.filter(e -> e instanceof SearchEvent.Finished)
                .map(e -> ((SearchEvent.Finished) e).result())
                .collect().last();
    }
}

package dev.ponder.search;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** A test-time search strategy. Get one with {@link Strategies#byName(String)}. */
public interface SearchStrategy {

    /** The registry name, e.g. {@code "beam"}. */
    String name();

    /**
     * The search as a cold stream of events: each subscription runs it afresh (same seed, same events).
     * Cancelling the subscription stops new model calls and cancels those in flight.
     */
    Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model);

    /** Only the final result. */
    default Uni<SearchResult> result(Problem problem, SearchConfig config, StepModel model) {
        return Searches.result(run(problem, config, model));
    }
}

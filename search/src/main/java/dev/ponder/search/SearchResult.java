package dev.ponder.search;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a search.
 *
 * @param strategy     the strategy actually used ("auto" reports the one it picked)
 * @param chain        the best chain
 * @param path         node ids from the root to the chain's last tree node
 * @param answer       the final answer (for voting strategies the winning answer), or null
 * @param score        the best chain's score on the strategy's scale (see {@link SearchEvent.NodeScored})
 * @param cutShort     true when the deadline ended the search before it finished
 * @param alternatives distinct answers found, best first
 * @param usage        what the search spent
 */
public record SearchResult(String strategy, Chain chain, List<String> path, String answer, double score,
                           boolean cutShort, List<Alternative> alternatives, Usage usage) {

    public SearchResult {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(chain, "chain");
        path = List.copyOf(path);
        alternatives = List.copyOf(alternatives);
        Objects.requireNonNull(usage, "usage");
    }

    /** The best chain's steps. */
    public List<Step> steps() {
        return chain.steps();
    }
}

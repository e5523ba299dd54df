package dev.ponder.service;

import dev.ponder.search.SearchConfig;

/**
 * An ask that passed validation: the rendered prompt, its tokens, the strategy and the search settings.
 * Running it ({@link Reasoner#events}) opens an engine session.
 */
public record Prepared(Served served, String rendered, int[] promptTokens, String strategy, SearchConfig search) {

    public int budget() {
        return search.budget();
    }
}

package dev.ponder.backend;

import dev.ponder.search.StepModel;

/**
 * One search's hold on the model: the search library's {@link StepModel} over a prompt that is already
 * encoded (and, on an engine, cached). Closing it frees everything the search held.
 */
public interface ModelSession extends StepModel, AutoCloseable {

    /** The conversation as the chat template rendered it. */
    String rendered();

    /** Tokens of the rendered prompt. */
    int promptTokens();

    /** The most generated tokens a chain may have: the caller's maxTokens, or less where the context ends. */
    int chainTokens();

    /** Where a reasoning step ends for this model (its prompt profile's step delimiter). */
    String stepDelimiter();

    @Override
    void close();
}

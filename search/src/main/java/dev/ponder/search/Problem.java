package dev.ponder.search;

import java.util.Objects;

/**
 * The question a search reasons about.
 *
 * @param id     caller's identifier (used in logs and results only)
 * @param prompt the user's question, already rendered by the caller if the model needs a template
 */
public record Problem(String id, String prompt) {
    public Problem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
    }
}

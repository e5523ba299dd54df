package dev.ponder.reason;

import dev.ponder.backend.ModelSession;
import java.time.Duration;
import java.util.List;

/**
 * An ask that passed validation, with its defaults filled in. Running it ({@link Reasoner#events}) opens a
 * {@link ModelSession} on the backend.
 *
 * @param model    the id of the model that will answer (as the APIs report it)
 * @param deadline when the search ends with its best chain so far (null: never; see {@link Deadlines})
 * @param topP     nucleus sampling of proposals (1: the whole distribution)
 */
public record Prepared(String model, List<Message> messages, String strategy, int budget, int maxTokens,
                       double temperature, long seed, Duration deadline, double topP) {

    /** Sampling from the whole distribution. */
    public Prepared(String model, List<Message> messages, String strategy, int budget, int maxTokens,
                    double temperature, long seed, Duration deadline) {
        this(model, messages, strategy, budget, maxTokens, temperature, seed, deadline, 1.0);
    }

    /** Without a deadline. */
    public Prepared(String model, List<Message> messages, String strategy, int budget, int maxTokens,
                    double temperature, long seed) {
        this(model, messages, strategy, budget, maxTokens, temperature, seed, null);
    }

    public Prepared {
        messages = List.copyOf(messages);
    }
}

package dev.ponder.reason;

import java.util.List;

/**
 * One question for the {@link Reasoner}, as any endpoint received it; null fields take the configured
 * defaults. Give either {@code prompt} or {@code messages}.
 *
 * @param prompt       a single user question
 * @param messages     a conversation (system, user, assistant turns); the reply continues it
 * @param strategy     greedy, best-of-n, weighted-best-of-n, self-consistency, beam, mcts or auto
 * @param searchBudget N, the candidate chains the search may carry, in [1, ponder.search.max-budget]
 * @param maxTokens    most generated tokens per chain
 * @param temperature  sampling temperature of proposals, in [0, 2]
 * @param seed         search seed (same seed, same search)
 * @param deadlineMs   time the search may take before it ends with its best chain so far (see {@link Deadlines})
 * @param topP         nucleus sampling of proposals, in (0, 1] (1: the whole distribution)
 */
public record Ask(String prompt, List<Message> messages, String strategy, Integer searchBudget,
                  Integer maxTokens, Double temperature, Long seed, Long deadlineMs, Double topP) {

    /** An ask sampling from the whole distribution. */
    public Ask(String prompt, List<Message> messages, String strategy, Integer searchBudget,
               Integer maxTokens, Double temperature, Long seed, Long deadlineMs) {
        this(prompt, messages, strategy, searchBudget, maxTokens, temperature, seed, deadlineMs, null);
    }

    /** An ask without a deadline of its own. */
    public Ask(String prompt, List<Message> messages, String strategy, Integer searchBudget,
               Integer maxTokens, Double temperature, Long seed) {
        this(prompt, messages, strategy, searchBudget, maxTokens, temperature, seed, null);
    }

    public static Ask ofPrompt(String prompt, int budget) {
        return new Ask(prompt, null, null, budget, null, null, null);
    }
}

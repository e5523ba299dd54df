package dev.ponder.search;

import java.util.List;

/**
 * What a strategy picked when it finished.
 *
 * @param node         last tree node of the picked chain
 * @param chain        the picked chain (may extend past {@code node} with rollout steps)
 * @param score        its score on the strategy's scale
 * @param answer       the final answer (the winning vote for voting strategies), or null
 * @param alternatives distinct answers, best first
 */
record Outcome(Node node, Chain chain, double score, String answer, List<Alternative> alternatives) {
    Outcome {
        alternatives = List.copyOf(alternatives);
    }
}

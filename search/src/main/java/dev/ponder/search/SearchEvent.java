package dev.ponder.search;

import java.util.List;
import java.util.Objects;

/**
 * What a running search reports, in order, enough for a client to draw the tree live.
 *
 * <p>Node ids are stable for a given seed: {@code "root"} (the problem, depth 0, parent null, step
 * null) is always the first event, then {@code "n1", "n2", ...} in creation order. A parent is always
 * proposed before its children. Exactly one {@link Finished} comes last, unless the subscriber cancels
 * or the model fails (then the stream fails and carries no {@code Finished}).
 */
public sealed interface SearchEvent {

    /** The id of the root node. */
    String ROOT = "root";

    /** A node was added to the tree: {@code step} appended to the chain of {@code parentId}. */
    record NodeProposed(String nodeId, String parentId, Step step, int depth) implements SearchEvent {
        public NodeProposed {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /**
     * A node got a score: the self-check probability (last node of a best-of-n or weighted
     * self-consistency chain, a new mcts leaf or its rollout), the beam score
     * {@code w * normalised log-likelihood + (1-w) * log(self-check)} (beam), or the normalised
     * log-likelihood (greedy). Counted self-consistency scores no node. {@code check} is the self-check's
     * P(yes) for the chain that ends at this node when the search asked for it (NaN when it did not: greedy,
     * counted votes, an mcts leaf valued by a rollout's ending).
     */
    record NodeScored(String nodeId, double score, double check) implements SearchEvent {
        /** A score with no self-check verdict of the node's own chain behind it. */
        public NodeScored(String nodeId, double score) {
            this(nodeId, score, Double.NaN);
        }
    }

    /** A node was dropped and will not be expanded (beam pruning). */
    record NodePruned(String nodeId) implements SearchEvent {
    }

    /**
     * The search's current best chain changed.
     *
     * @param path      node ids from the root to the chain's last node in the tree (a rollout may add
     *                  steps below that node which are not tree nodes)
     * @param chainText the best chain's text
     * @param score     its score (see {@link SearchResult#score()})
     */
    record BestChanged(List<String> path, String chainText, double score) implements SearchEvent {
        public BestChanged {
            path = List.copyOf(path);
        }
    }

    /** The search ended; always the last event. */
    record Finished(SearchResult result) implements SearchEvent {
    }
}

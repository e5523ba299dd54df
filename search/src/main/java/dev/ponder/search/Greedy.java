package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Greedy decoding step by step: one chain, temperature 0, one proposal per step until a step is
 * terminal or a limit is reached. Uses one candidate chain whatever the budget; no self-check. Nodes are
 * scored by the chain's normalised log-likelihood.
 */
final class Greedy extends TreeSearch {

    static final String NAME = "greedy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        Node[] current = {run.root()};
        return Async.loop(() -> {
            Node node = current[0];
            if (node.chain.terminal() || run.atLimit(node)) {
                return Uni.createFrom().item(false);
            }
            return run.propose(node, 1, run.sampling(node, "greedy", 0.0)).map(steps -> {
                if (steps.isEmpty()) {
                    return false; // the model has nothing to add: the chain ends here
                }
                Node next = run.child(node, steps.get(0));
                double score = next.chain.normalizedLogProb();
                run.scored(next, score);
                run.best(next, next.chain, score, next.chain.answer(), List.of());
                current[0] = next;
                return true;
            });
        }).map(done -> {
            Node last = current[0];
            return single(last, last.chain, last.chain.normalizedLogProb());
        });
    }
}

package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-consistency (Wang et al. 2023): N chains sampled with {@link StepModel#complete}, majority vote
 * over their final answers. With {@link SearchConfig#weightedVotes()} each vote weighs the chain's
 * self-check. The score is the winning answer's share of the votes; the chain shown is the winning
 * answer's most self-confident chain (weighted) or most likely chain (counted).
 */
final class SelfConsistency extends TreeSearch {

    static final String NAME = "self-consistency";

    @Override
    public String name() {
        return NAME;
    }

    /** A sampled chain with its vote weight and its rank within its answer. */
    private record Vote(Chain chain, double weight, double rank) {
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        Node root = run.root();
        boolean weighted = run.config.weightedVotes();
        List<Uni<Vote>> votesInFlight = new ArrayList<>();
        for (int i = 0; i < run.config.budget(); i++) {
            Uni<Chain> chain = run.complete(root, run.sampling(root, "sample" + i, run.config.temperature()));
            votesInFlight.add(weighted
                    ? chain.chain(c -> run.selfCheck(List.of(c)).map(v -> new Vote(c, v.get(0), v.get(0))))
                    : chain.map(c -> new Vote(c, 1.0, c.normalizedLogProb())));
        }
        Votes votes = new Votes();
        return Async.inOrder(votesInFlight, (i, v) -> {
            Node leaf = addPath(run, root, v.chain());
            if (weighted) {
                run.scored(leaf, v.weight(), v.weight());
            }
            votes.add(leaf, v.chain(), v.weight(), v.rank());
            Outcome o = outcome(votes);
            run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
        }).map(all -> outcome(votes));
    }

    private static Outcome outcome(Votes votes) {
        Votes.Group g = votes.leader();
        return new Outcome(g.bestNode, g.bestChain, votes.share(g), g.answer, votes.byShare());
    }
}

package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Best-of-N: N chains sampled independently with {@link StepModel#complete}, each self-checked (all in
 * flight at once), the one with the highest self-check picked. The weighted variant (weighted best-of-N,
 * as in Snell et al. 2024) sums the self-checks of chains sharing an answer and picks the answer with the
 * largest sum; its score is that answer's share of the total.
 */
final class BestOfN extends TreeSearch {

    static final String NAME = "best-of-n";
    static final String WEIGHTED_NAME = "weighted-best-of-n";

    private final boolean weighted;

    BestOfN(boolean weighted) {
        this.weighted = weighted;
    }

    @Override
    public String name() {
        return weighted ? WEIGHTED_NAME : NAME;
    }

    /** A sampled chain and its self-check. */
    private record Sample(Chain chain, double check) {
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        Node root = run.root();
        double temperature = run.config.temperature();
        // One Uni per chain: roll out, then self-check that chain; all N run concurrently.
        List<Uni<Sample>> samples = new ArrayList<>();
        for (int i = 0; i < run.config.budget(); i++) {
            Sampling sampling = run.sampling(root, "sample" + i, temperature);
            samples.add(run.complete(root, sampling)
                    .chain(chain -> run.selfCheck(List.of(chain)).map(v -> new Sample(chain, v.get(0)))));
        }
        Votes votes = new Votes();
        Outcome[] pick = new Outcome[1];
        return Async.inOrder(samples, (i, s) -> {
            Node leaf = addPath(run, root, s.chain());
            run.scored(leaf, s.check(), s.check());
            votes.add(leaf, s.chain(), s.check(), s.check());
            pick[0] = pick(votes, pick[0], leaf, s);
            Outcome o = pick[0];
            run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
        }).map(all -> pick[0]);
    }

    /** The current pick after adding sample {@code s} at {@code leaf}. */
    private Outcome pick(Votes votes, Outcome previous, Node leaf, Sample s) {
        if (weighted) {
            Votes.Group g = votes.leader();
            return new Outcome(g.bestNode, g.bestChain, votes.share(g), g.answer, votes.byShare());
        }
        if (previous != null && previous.score() >= s.check()) {
            return new Outcome(previous.node(), previous.chain(), previous.score(), previous.answer(),
                    votes.byBestScore());
        }
        return new Outcome(leaf, s.chain(), s.check(), s.chain().answer(), votes.byBestScore());
    }
}

package dev.ponder.search;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Base of the built-in strategies: a search body run inside a {@link SearchRun}. */
abstract class TreeSearch implements SearchStrategy {

    @Override
    public final Multi<SearchEvent> run(Problem problem, SearchConfig config, StepModel model) {
        return SearchRun.events(name(), problem, config, model, this::search);
    }

    /** The search: talks to the model through {@code run}, returns what it picked. */
    abstract Uni<Outcome> search(SearchRun run);

    /** Adds the steps of {@code chain} beyond {@code from}'s depth as a path of nodes; returns the last. */
    static Node addPath(SearchRun run, Node from, Chain chain) {
        Node n = from;
        for (Step s : chain.steps().subList(from.depth(), chain.depth())) {
            n = run.child(n, s);
        }
        return n;
    }

    /** An outcome with one chain and its answer as the only alternative. */
    static Outcome single(Node node, Chain chain, double score) {
        String answer = chain.answer();
        List<Alternative> alts = answer == null ? List.of() : List.of(new Alternative(answer, score, 1, chain.text()));
        return new Outcome(node, chain, score, answer, alts);
    }

    /** log of a self-check probability, floored so that a zero does not give -infinity. */
    static double logCheck(double p) {
        return Math.log(Math.max(p, SearchRun.MIN_PROBABILITY));
    }

    /**
     * The score beam, best-of-n and mcts rank chains by (Xie et al. 2023):
     * {@code w * normalised log-likelihood + (1-w) * logCheckTerm}, w = {@link SearchConfig#likelihoodWeight()};
     * the check term is the mean log check of the chain's steps for beam and mcts, the weakest step's for best-of-n.
     */
    static double beamScore(Chain chain, double logCheckTerm, double w) {
        return w * chain.normalizedLogProb() + (1 - w) * logCheckTerm;
    }
}

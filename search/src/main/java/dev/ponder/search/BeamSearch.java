package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Step-level beam search guided by self-evaluation (Xie et al. 2023). With budget N it keeps
 * B beams (configured, or ceil(sqrt(N))) and each live beam proposes E = floor(N/B) next steps, so a
 * step never carries more than B*E <= N candidates; the first step proposes all B*E from the root.
 *
 * <p>All beams propose concurrently, then one self-check call scores every candidate. As in the paper, a
 * beam's score accumulates over its steps: {@code w * normalised log-likelihood + (1-w) * mean log(self-check)},
 * the mean taken over the self-checks of the chain's steps so far, so one doubtful step keeps weighing on
 * every chain built on it and chains of different depths compare. The best candidates fill the free
 * slots (B minus finished beams); the rest are pruned. A kept candidate that is terminal or at a limit
 * is finished and retained; the search stops when no beam is live or B beams have finished, and picks
 * the best finished beam (the best live one if none finished). Identical candidates are merged.
 */
final class BeamSearch extends TreeSearch {

    static final String NAME = "beam";

    @Override
    public String name() {
        return NAME;
    }

    /** Beams kept per step for a budget. */
    static int width(SearchConfig cfg) {
        int b = cfg.beamWidth() > 0 ? cfg.beamWidth() : (int) Math.ceil(Math.sqrt(cfg.budget()));
        return Math.max(1, Math.min(b, cfg.budget()));
    }

    /**
     * A node with its beam score.
     *
     * @param logCheckSum sum of log(self-check) over the chain's steps so far
     */
    private record Beam(Node node, double score, double logCheckSum) {
    }

    /** The state carried from step to step. */
    private static final class State {
        final Node root;
        List<Beam> live = new ArrayList<>();
        final List<Beam> finished = new ArrayList<>();

        State(Node root) {
            this.root = root;
            live.add(new Beam(root, 0.0, 0.0));
        }
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        SearchConfig cfg = run.config;
        int width = width(cfg);
        int expansions = Math.max(1, cfg.budget() / width);
        State state = new State(run.root());
        return Async.loop(() -> step(run, state, width, expansions)).map(done -> outcome(state));
    }

    /** One step: expand live beams, score candidates, keep the best; true while beams remain live. */
    private Uni<Boolean> step(SearchRun run, State state, int width, int expansions) {
        if (state.live.isEmpty() || state.finished.size() >= width) {
            return Uni.createFrom().item(false);
        }
        List<Beam> parents = state.live;
        boolean first = parents.size() == 1 && parents.get(0).node() == state.root;
        int k = first ? width * expansions : expansions;
        List<Uni<List<Step>>> proposals = new ArrayList<>();
        for (Beam b : parents) {
            proposals.add(run.propose(b.node(), k, run.sampling(b.node(), "beam", run.config.temperature())));
        }
        List<Node> candidates = new ArrayList<>();
        List<Beam> parentOf = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        return Async.inOrder(proposals, (i, steps) -> {
            Beam parent = parents.get(i);
            for (Step s : steps) {
                // Merge identical candidates: one node per distinct chain.
                if (seen.add(parent.node().chain.text() + s.text())) {
                    candidates.add(run.child(parent.node(), s));
                    parentOf.add(parent);
                }
            }
        }).chain(ignored -> run.selfCheck(candidates.stream().map(n -> n.chain).toList()))
                .map(checks -> select(run, state, width, candidates, parentOf, checks));
    }

    private boolean select(SearchRun run, State state, int width, List<Node> candidates, List<Beam> parentOf,
                           List<Double> checks) {
        if (candidates.isEmpty()) {
            // No beam could grow: the live beams end here as they are.
            for (Beam b : state.live) {
                if (b.node() != state.root) {
                    state.finished.add(b);
                }
            }
            state.live = List.of();
            return false;
        }
        double w = run.config.likelihoodWeight();
        List<Beam> scored = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Node n = candidates.get(i);
            double logCheckSum = parentOf.get(i).logCheckSum() + logCheck(checks.get(i));
            double score = beamScore(n.chain, logCheckSum / n.chain.depth(), w);
            run.scored(n, score, checks.get(i));
            scored.add(new Beam(n, score, logCheckSum));
        }
        // Stable sort: equal scores keep creation order, so the choice is deterministic.
        scored.sort(Comparator.comparingDouble(Beam::score).reversed());
        int slots = width - state.finished.size();
        List<Beam> live = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            Beam b = scored.get(i);
            if (i >= slots) {
                run.pruned(b.node());
            } else if (b.node().chain.terminal() || run.atLimit(b.node())) {
                state.finished.add(b);
            } else {
                live.add(b);
            }
        }
        state.live = live;
        Outcome o = outcome(state);
        run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
        return !live.isEmpty() && state.finished.size() < width;
    }

    /** Best finished beam, or best live beam when none finished. */
    private static Outcome outcome(State state) {
        List<Beam> pool = state.finished.isEmpty() ? state.live : state.finished;
        if (pool.isEmpty()) {
            return new Outcome(state.root, state.root.chain, 0.0, null, List.of());
        }
        Votes votes = new Votes();
        Beam best = null;
        for (Beam b : pool) {
            votes.add(b.node(), b.node().chain, 1.0, b.score());
            if (best == null || b.score() > best.score()) {
                best = b;
            }
        }
        return new Outcome(best.node(), best.node().chain, best.score(), best.node().chain.answer(),
                votes.byBestScore());
    }
}

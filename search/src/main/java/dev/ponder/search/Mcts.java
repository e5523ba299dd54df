package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Monte Carlo tree search over reasoning steps with PUCT selection (AlphaZero style).
 *
 * <p>A simulation descends from the root choosing the child maximising
 * {@code Q + c_puct * P * sqrt(N_parent) / (1 + N_child)} until it reaches a node that is not expanded,
 * and expands it: k proposed children (identical ones merged), priors P the softmax of their per-token
 * log-likelihoods. Every new child is valued at once, all of them in one self-check call: by the
 * self-check of its chain, or (with {@link SearchConfig.LeafEvaluation#ROLLOUT}) by rolling it out with
 * {@link StepModel#complete} and self-checking the finished chain. The best new child's value is backed
 * up along the path; each child starts with its own value as one visit.
 *
 * <p>Progressive widening (Coulom 2007; Couëtoux et al. 2011): a node proposes again, with fresh seeds, while
 * it has fewer than {@code k * sqrt(N)} children for its N visits, or when everything below it is finished;
 * only steps it has not seen become new children, and a proposal that brings none ends its widening. So a
 * node the search keeps returning to, the root above all, gets more alternatives to choose among, instead of
 * the first k samples forever.
 *
 * <p>Budget N = expansions: every simulation asks the model for new steps. Selection skips subtrees with
 * nothing left to expand (finished chains, chains at a limit, nodes whose children are all such), so a
 * search never spends its budget revisiting an answer it already has, and it ends early only when the
 * whole tree is exhausted. {@link SearchConfig#mctsParallel()} simulations run per round with virtual loss,
 * so their proposals and one self-check call are in flight together. The final chain is the
 * finished chain with the best beam score, {@code w * normalised log-likelihood + (1-w) * mean log value over its
 * steps} ({@link SearchConfig#likelihoodWeight()}; as best-of-n, the likelihood separates chains whose checks are all
 * near 1: on validation, budgets 8 / 64, 65 / 60 of 100 with w = 0 and 65 / 68 with 0.5);
 * when the budget ran out before any chain finished, the most-visited path is rolled out once so that the
 * search still answers. A finished chain is ranked by its steps' checks; its final answer line's own check
 * joins them only with {@link SearchConfig#rankAnswerCheck()} (on validation, leaving it out took mcts at
 * budget 64 from 47 to 55 of 100 Game-of-24 puzzles with the embedded model, whose answer-line check is at chance).
 */
final class Mcts extends TreeSearch {

    static final String NAME = "mcts";

    @Override
    public String name() {
        return NAME;
    }

    /** Search statistics of one tree node. */
    private static final class Stats {
        final Node node;
        final Stats parent;
        double prior;
        final List<Stats> children = new ArrayList<>();
        /** Proposals made here so far (the first expands, later ones widen). */
        int proposals;
        /** A proposal brought no step not already a child: no more widening here. */
        boolean saturated;
        int visits;
        double valueSum;
        boolean evaluated;
        double value;
        boolean expanded;
        Chain rollout;

        Stats(Node node, Stats parent, double prior) {
            this.node = node;
            this.parent = parent;
            this.prior = prior;
        }

        double q() {
            return visits > 0 ? valueSum / visits : parent == null ? 0.0 : parent.q();
        }
    }

    /** A finished chain seen during the search (terminal node or rollout) with its value. */
    private record Ending(Stats at, Chain chain, double value) {
    }

    /** Mutable search state. */
    private static final class Tree {
        final Stats root;
        final List<Ending> endings = new ArrayList<>();
        /** Simulations that expanded a node: the budget spent. */
        int expansions;
        /** {@link SearchConfig#rankAnswerCheck()}. */
        final boolean rankAnswerCheck;
        /** {@link SearchConfig#likelihoodWeight()}: how much the finished chains' likelihood weighs in the pick. */
        final double likelihoodWeight;

        Tree(Node root, boolean rankAnswerCheck, double likelihoodWeight) {
            this.rankAnswerCheck = rankAnswerCheck;
            this.likelihoodWeight = likelihoodWeight;
            this.root = new Stats(root, null, 1.0);
            this.root.evaluated = true; // the empty chain needs no value; the first visit expands it
        }
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        Tree tree = new Tree(run.root(), run.config.rankAnswerCheck(), run.config.likelihoodWeight());
        return Async.loop(() -> round(run, tree)).chain(done -> finish(run, tree));
    }

    /** The outcome; when no chain finished, the chosen node is rolled out once so there is an answer. */
    private Uni<Outcome> finish(SearchRun run, Tree tree) {
        Outcome o = outcome(tree);
        boolean rolledOut = run.config.leafEvaluation() == SearchConfig.LeafEvaluation.ROLLOUT && tree.expansions > 0;
        if (rolledOut || !tree.endings.isEmpty() || o.node().chain.terminal() || run.atLimit(o.node())) {
            return Uni.createFrom().item(o);
        }
        Stats at = find(tree.root, o.node());
        return run.complete(at.node, run.sampling(at.node, "rollout", run.config.temperature()))
                .chain(done -> run.selfCheck(List.of(done)).map(checks -> {
                    at.rollout = done;
                    tree.endings.add(new Ending(at, done, checks.get(0)));
                    Outcome last = outcome(tree);
                    run.best(last.node(), last.chain(), last.score(), last.answer(), last.alternatives());
                    return last;
                }));
    }

    private static Stats find(Stats s, Node node) {
        if (s.node == node) {
            return s;
        }
        for (Stats c : s.children) {
            Stats f = find(c, node);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** One round of up to mctsParallel simulations; true while budget remains and the tree is not exhausted. */
    private Uni<Boolean> round(SearchRun run, Tree tree) {
        SearchConfig cfg = run.config;
        int budget = cfg.budget();
        if (tree.expansions >= budget || exhausted(run, tree.root)) {
            return Uni.createFrom().item(false);
        }
        // 1. Selection with virtual loss, so parallel simulations spread over the tree.
        List<List<Stats>> paths = new ArrayList<>();
        int batch = Math.min(cfg.mctsParallel(), budget - tree.expansions);
        for (int i = 0; i < batch; i++) {
            List<Stats> path = select(run, tree.root, cfg.cPuct());
            Stats leaf = path.get(path.size() - 1);
            if (!expandable(run, leaf) || paths.stream().anyMatch(p -> p.get(p.size() - 1) == leaf)) {
                break; // the tree offers no other leaf this round
            }
            path.forEach(s -> s.visits++);
            paths.add(path);
        }
        List<Stats> toExpand = paths.stream().map(p -> p.get(p.size() - 1)).toList();
        tree.expansions += toExpand.size();
        // 2. Expansion: all proposals in flight together.
        List<Uni<List<Step>>> proposals = new ArrayList<>();
        for (Stats s : toExpand) {
            String purpose = s.proposals == 0 ? "expand" : "widen" + s.proposals;
            s.proposals++;
            proposals.add(run.propose(s.node, cfg.mctsExpansions(), run.sampling(s.node, purpose, cfg.temperature())));
        }
        List<List<Stats>> added = new ArrayList<>();
        return Async.inOrder(proposals, (i, steps) -> added.add(expand(run, toExpand.get(i), steps)))
                .chain(ignored -> evaluateAndBackUp(run, tree, paths, added));
    }

    /**
     * Descends by PUCT, over children with something left to expand, to a node that is not expanded or that
     * is due to widen.
     */
    private static List<Stats> select(SearchRun run, Stats root, double cPuct) {
        List<Stats> path = new ArrayList<>();
        Stats s = root;
        path.add(s);
        while (s.expanded && !widens(run, s)) {
            Stats next = bestChild(run, s, cPuct);
            if (next == null) {
                break;
            }
            s = next;
            path.add(s);
        }
        return path;
    }

    /**
     * Nothing below this node can be expanded: a finished chain, a chain at a limit, or a node that cannot widen
     * any more with all its children so.
     */
    private static boolean exhausted(SearchRun run, Stats s) {
        if (!s.expanded) {
            return !expandable(run, s);
        }
        return !mayWiden(run, s) && s.children.stream().allMatch(c -> exhausted(run, c));
    }

    /** An expanded node that may still get new children. */
    private static boolean mayWiden(SearchRun run, Stats s) {
        return s.expanded && !s.saturated && !s.node.chain.terminal() && !run.atLimit(s.node);
    }

    /** Widening is due: fewer children than k * sqrt(visits), or nothing left to expand below. */
    private static boolean widens(SearchRun run, Stats s) {
        if (!mayWiden(run, s)) {
            return false;
        }
        double limit = Math.ceil(run.config.mctsExpansions() * Math.sqrt(Math.max(1, s.visits)));
        return s.children.size() < limit || s.children.stream().allMatch(c -> exhausted(run, c));
    }

    private static Stats bestChild(SearchRun run, Stats parent, double cPuct) {
        double sqrtN = Math.sqrt(Math.max(1, parent.visits));
        Stats best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Stats c : parent.children) {
            if (exhausted(run, c)) {
                continue;
            }
            double puct = c.q() + cPuct * c.prior * sqrtN / (1 + c.visits);
            if (puct > bestScore) {
                bestScore = puct;
                best = c;
            }
        }
        return best;
    }

    private static boolean expandable(SearchRun run, Stats s) {
        return (!s.expanded || widens(run, s)) && !s.node.chain.terminal() && !run.atLimit(s.node);
    }

    /**
     * Adds the proposed steps not yet among the node's children (identical ones merged) and renews the
     * priors of all its children, the softmax of their per-token log-likelihoods. Returns the new children.
     */
    private static List<Stats> expand(SearchRun run, Stats s, List<Step> steps) {
        boolean widening = s.expanded;
        s.expanded = true;
        Set<String> texts = new HashSet<>();
        s.children.forEach(c -> texts.add(c.node.step.text()));
        List<Stats> added = new ArrayList<>();
        for (Step step : steps) {
            if (texts.add(step.text())) {
                Stats c = new Stats(run.child(s.node, step), s, 0);
                s.children.add(c);
                added.add(c);
            }
        }
        if (widening && added.isEmpty()) {
            s.saturated = true;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (Stats c : s.children) {
            max = Math.max(max, perToken(c.node.step));
        }
        double sum = 0;
        for (Stats c : s.children) {
            sum += Math.exp(perToken(c.node.step) - max);
        }
        for (Stats c : s.children) {
            c.prior = Math.exp(perToken(c.node.step) - max) / sum;
        }
        return added;
    }

    private static double perToken(Step step) {
        return step.logProb() / step.length();
    }

    /**
     * Values every new child in one call, then backs each simulation's value up its path; {@code added.get(p)}
     * holds the children that path p's leaf gained.
     */
    private Uni<Boolean> evaluateAndBackUp(SearchRun run, Tree tree, List<List<Stats>> paths,
                                           List<List<Stats>> added) {
        List<Stats> fresh = new ArrayList<>();
        added.forEach(fresh::addAll);
        return values(run, fresh).map(values -> {
            for (int i = 0; i < fresh.size(); i++) {
                Stats s = fresh.get(i);
                s.evaluated = true;
                s.value = values.get(i).value();
                s.visits = 1;
                s.valueSum = s.value;
                run.scored(s.node, s.value, values.get(i).nodeCheck());
                Chain ending = values.get(i).chain();
                if (ending != null) {
                    if (ending.depth() > s.node.depth()) {
                        s.rollout = ending;
                    }
                    tree.endings.add(new Ending(s, ending, s.value));
                }
            }
            // Back-up: every node on a path already counted its visit (virtual loss); add the value, which
            // for an expanded leaf is its best new child's (none: the leaf's own value when it widened in vain,
            // 0 when its first expansion brought nothing, a dead end).
            for (int p = 0; p < paths.size(); p++) {
                List<Stats> path = paths.get(p);
                Stats leaf = path.get(path.size() - 1);
                double v = added.get(p).stream().mapToDouble(c -> c.value).max()
                        .orElse(leaf.proposals > 1 ? leaf.value : 0.0);
                for (Stats s : path) {
                    s.valueSum += v;
                }
            }
            Outcome o = outcome(tree);
            run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
            return tree.expansions < run.config.budget();
        });
    }

    /** A leaf's value, the finished chain it came from (null: none), and the verdict on the leaf's own chain (NaN: rolled out). */
    private record Value(double value, Chain chain, double nodeCheck) {
    }

    // With rollouts, one new child per expansion (the first of the highest prior) is rolled out, so rollouts
    // stay within the budget; its siblings are valued by the self-check of their own chains.
    private static Uni<List<Value>> values(SearchRun run, List<Stats> leaves) {
        boolean rollout = run.config.leafEvaluation() == SearchConfig.LeafEvaluation.ROLLOUT;
        Set<Stats> rolledParents = new HashSet<>();
        List<Uni<Chain>> chains = new ArrayList<>();
        for (Stats s : leaves) {
            boolean ended = s.node.chain.terminal() || run.atLimit(s.node);
            boolean roll = rollout && !ended && s.parent != null && isFirstBest(s) && rolledParents.add(s.parent);
            chains.add(roll
                    ? run.complete(s.node, run.sampling(s.node, "rollout", run.config.temperature()))
                    : Uni.createFrom().item(s.node.chain));
        }
        return Async.inOrder(chains, (i, c) -> { })
                .chain(judged -> run.selfCheck(judged).map(checks -> {
                    List<Value> out = new ArrayList<>();
                    for (int i = 0; i < judged.size(); i++) {
                        Chain c = judged.get(i);
                        boolean finished = c.terminal() || c.depth() > leaves.get(i).node.depth();
                        out.add(new Value(checks.get(i), finished ? c : null, c == leaves.get(i).node.chain ? checks.get(i) : Double.NaN));
                    }
                    return out;
                }));
    }

    private static boolean isFirstBest(Stats s) {
        for (Stats sibling : s.parent.children) {
            if (sibling.prior > s.prior) {
                return false;
            }
            if (sibling.prior == s.prior) {
                return sibling == s;
            }
        }
        return true;
    }

    /**
     * The finished chain with the best beam score: its likelihood and the mean log value over the nodes of its path
     * (and its rollout's check). Before any chain finished: the most-visited path.
     */
    private static Outcome outcome(Tree tree) {
        Votes votes = new Votes();
        Ending best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Ending e : tree.endings) {
            double score = beamScore(e.chain(), pathScore(e, tree.rankAnswerCheck), tree.likelihoodWeight);
            votes.add(e.at().node, e.chain(), 1.0, score);
            if (score > bestScore) {
                bestScore = score;
                best = e;
            }
        }
        if (best != null) {
            return new Outcome(best.at().node, best.chain(), bestScore, best.chain().answer(), votes.byBestScore());
        }
        Stats s = tree.root;
        while (true) {
            Stats next = null;
            for (Stats c : s.children) {
                if (next == null || c.visits > next.visits || (c.visits == next.visits && c.q() > next.q())) {
                    next = c;
                }
            }
            if (next == null) {
                break;
            }
            s = next;
        }
        Chain chain = s.node.chain.terminal() || s.rollout == null ? s.node.chain : s.rollout;
        return new Outcome(s.node, chain, s == tree.root ? 0.0 : s.q(), chain.answer(), votes.byBestScore());
    }

    /**
     * Mean log self-check over the ending's path from the root's child down, its rollout's check included, and
     * its final answer line's own check only with {@code withAnswerCheck}.
     */
    private static double pathScore(Ending e, boolean withAnswerCheck) {
        double logSum = 0;
        int n = 0;
        for (Stats a = e.at(); a != null && a.parent != null; a = a.parent) {
            if (!withAnswerCheck && a.node.chain.terminal() && a.parent.parent != null) {
                continue;   // the final answer line's own check (a one-step chain keeps it: nothing else to go by)
            }
            logSum += Math.log(Math.max(SearchRun.MIN_PROBABILITY, a.value));
            n++;
        }
        if (e.chain().depth() > e.at().node.depth()) {
            // a rollout went on from the node: its own check is on the finished chain
            logSum += Math.log(Math.max(SearchRun.MIN_PROBABILITY, e.value()));
            n++;
        }
        return n == 0 ? 0.0 : logSum / n;
    }
}

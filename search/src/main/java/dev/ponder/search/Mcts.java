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
 * {@code Q + c_puct * P * sqrt(N_parent) / (1 + N_child)} until it reaches a node that is not
 * expanded. A node seen for the first time is evaluated: by the self-check of its chain, or (with
 * {@link SearchConfig.LeafEvaluation#ROLLOUT}) by rolling it out with {@link StepModel#complete} and
 * self-checking the finished chain; a terminal node's value is its self-check. A node reached again is
 * expanded: k proposed children (identical ones merged), priors P the softmax of their per-token
 * log-likelihoods, and the best child by PUCT is evaluated. The value is backed up along the path.
 * An unvisited child's Q is its parent's mean value (first-play urgency).
 *
 * <p>Budget N = simulations. {@link SearchConfig#mctsParallel()} simulations run per round with virtual
 * loss, so their proposals and one self-check call are in flight together. The final chain follows the
 * most-visited children, preferring those that lead to a finished chain (a terminal node or a rollout).
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
        final double prior;
        final List<Stats> children = new ArrayList<>();
        int visits;
        double valueSum;
        boolean evaluated;
        double value;
        boolean expanded;
        /** This node or one below it ends a chain (terminal node or rollout). */
        boolean finishedBelow;
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
        int simulations;

        Tree(Node root) {
            this.root = new Stats(root, null, 1.0);
            this.root.evaluated = true; // the empty chain needs no value; the first visit expands it
        }
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        Tree tree = new Tree(run.root());
        return Async.loop(() -> round(run, tree)).map(done -> outcome(tree));
    }

    /** One round of up to mctsParallel simulations; true while simulations remain. */
    private Uni<Boolean> round(SearchRun run, Tree tree) {
        SearchConfig cfg = run.config;
        int budget = cfg.budget();
        if (tree.simulations >= budget) {
            return Uni.createFrom().item(false);
        }
        // 1. Selection with virtual loss, so parallel simulations spread over the tree.
        List<List<Stats>> paths = new ArrayList<>();
        Set<Stats> chosen = new HashSet<>();
        int batch = Math.min(cfg.mctsParallel(), budget - tree.simulations);
        for (int i = 0; i < batch; i++) {
            List<Stats> path = select(tree.root, cfg.cPuct());
            if (!chosen.add(path.get(path.size() - 1))) {
                break; // the tree offers no other leaf this round
            }
            path.forEach(s -> s.visits++);
            paths.add(path);
        }
        tree.simulations += paths.size();
        // 2. Expansion of the leaves reached a second time, all proposals in flight together.
        List<Stats> toExpand = new ArrayList<>();
        for (List<Stats> path : paths) {
            Stats leaf = path.get(path.size() - 1);
            if (leaf.evaluated && expandable(run, leaf)) {
                toExpand.add(leaf);
            }
        }
        List<Uni<List<Step>>> proposals = new ArrayList<>();
        for (Stats s : toExpand) {
            proposals.add(run.propose(s.node, cfg.mctsExpansions(), run.sampling(s.node, "expand", cfg.temperature())));
        }
        return Async.inOrder(proposals, (i, steps) -> expand(run, toExpand.get(i), steps))
                .chain(ignored -> evaluateAndBackUp(run, tree, paths, toExpand));
    }

    /** Descends by PUCT to a node that is not expanded (or has no children). */
    private static List<Stats> select(Stats root, double cPuct) {
        List<Stats> path = new ArrayList<>();
        Stats s = root;
        path.add(s);
        while (s.expanded && !s.children.isEmpty()) {
            s = bestChild(s, cPuct);
            path.add(s);
        }
        return path;
    }

    private static Stats bestChild(Stats parent, double cPuct) {
        double sqrtN = Math.sqrt(Math.max(1, parent.visits));
        Stats best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Stats c : parent.children) {
            double puct = c.q() + cPuct * c.prior * sqrtN / (1 + c.visits);
            if (puct > bestScore) {
                bestScore = puct;
                best = c;
            }
        }
        return best;
    }

    private static boolean expandable(SearchRun run, Stats s) {
        return !s.expanded && !s.node.chain.terminal() && !run.atLimit(s.node);
    }

    /** Adds the distinct proposed steps as children with softmax priors. */
    private static void expand(SearchRun run, Stats s, List<Step> steps) {
        s.expanded = true;
        List<Step> distinct = new ArrayList<>();
        Set<String> texts = new HashSet<>();
        for (Step step : steps) {
            if (texts.add(step.text())) {
                distinct.add(step);
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (Step step : distinct) {
            max = Math.max(max, perToken(step));
        }
        double sum = 0;
        for (Step step : distinct) {
            sum += Math.exp(perToken(step) - max);
        }
        for (Step step : distinct) {
            s.children.add(new Stats(run.child(s.node, step), s, Math.exp(perToken(step) - max) / sum));
        }
    }

    private static double perToken(Step step) {
        return step.logProb() / step.length();
    }

    /** Picks the node each simulation evaluates, evaluates the new ones, backs values up. */
    private Uni<Boolean> evaluateAndBackUp(SearchRun run, Tree tree, List<List<Stats>> paths,
                                           List<Stats> expandedNow) {
        List<Stats> fresh = new ArrayList<>();
        for (List<Stats> path : paths) {
            Stats leaf = path.get(path.size() - 1);
            if (expandedNow.contains(leaf) && !leaf.children.isEmpty()) {
                // Just expanded: this simulation goes on to the most promising new child.
                Stats child = bestChild(leaf, run.config.cPuct());
                child.visits++;
                path.add(child);
                leaf = child;
            }
            if (!leaf.evaluated) {
                fresh.add(leaf);
            }
        }
        return values(run, fresh).map(values -> {
            for (int i = 0; i < fresh.size(); i++) {
                Stats s = fresh.get(i);
                s.evaluated = true;
                s.value = values.get(i).value();
                run.scored(s.node, s.value);
                Chain ending = values.get(i).chain();
                if (ending != null) {
                    if (ending.depth() > s.node.depth()) {
                        s.rollout = ending;
                    }
                    tree.endings.add(new Ending(s, ending, s.value));
                    for (Stats a = s; a != null; a = a.parent) {
                        a.finishedBelow = true;
                    }
                }
            }
            // Back-up: every node on a path already counted its visit (virtual loss); add the value.
            for (List<Stats> path : paths) {
                double v = path.get(path.size() - 1).value;
                for (Stats s : path) {
                    s.valueSum += v;
                }
            }
            Outcome o = outcome(tree);
            run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
            return tree.simulations < run.config.budget();
        });
    }

    /** A leaf value and, when the evaluation produced one, the finished chain it judged. */
    private record Value(double value, Chain chain) {
    }

    private static Uni<List<Value>> values(SearchRun run, List<Stats> leaves) {
        boolean rollout = run.config.leafEvaluation() == SearchConfig.LeafEvaluation.ROLLOUT;
        List<Uni<Chain>> chains = new ArrayList<>();
        for (Stats s : leaves) {
            boolean ended = s.node.chain.terminal() || run.atLimit(s.node);
            chains.add(rollout && !ended
                    ? run.complete(s.node, run.sampling(s.node, "rollout", run.config.temperature()))
                    : Uni.createFrom().item(s.node.chain));
        }
        return Async.inOrder(chains, (i, c) -> { })
                .chain(judged -> run.selfCheck(judged).map(checks -> {
                    List<Value> out = new ArrayList<>();
                    for (int i = 0; i < judged.size(); i++) {
                        Chain c = judged.get(i);
                        boolean finished = c.terminal() || c.depth() > leaves.get(i).node.depth();
                        out.add(new Value(checks.get(i), finished ? c : null));
                    }
                    return out;
                }));
    }

    /** Most-visited path, preferring children that lead to a finished chain. */
    private static Outcome outcome(Tree tree) {
        Stats s = tree.root;
        while (true) {
            Stats next = null;
            boolean anyFinished = s.children.stream().anyMatch(c -> c.finishedBelow && c.visits > 0);
            for (Stats c : s.children) {
                if (c.visits == 0 || (anyFinished && !c.finishedBelow)) {
                    continue;
                }
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
        double score = s == tree.root ? 0.0 : s.q();
        Votes votes = new Votes();
        for (Ending e : tree.endings) {
            votes.add(e.at().node, e.chain(), 1.0, e.value());
        }
        return new Outcome(s.node, chain, score, chain.answer(), votes.byBestScore());
    }
}

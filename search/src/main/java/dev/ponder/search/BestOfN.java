package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Best-of-N: N chains sampled independently with {@link StepModel#complete} (all in flight at once), each
 * judged step by step: every chain-so-far is self-checked, and the chain's check score is its weakest step's check
 * (the minimum, as Math-Shepherd scores a solution with a process reward model, Wang et al. 2024): a chain is right
 * only if every step is, and one slip among good steps is what the mean hid (validation, budget 64: 76 -> 79 solved
 * with best-of-n, 63 -> 70 with weighted best-of-n, same chains). The final answer line's own check is left out
 * unless {@link SearchConfig#rankAnswerCheck()} (a one-line chain keeps it): a small model judges its own answer
 * lines worst. Best-of-N picks the chain with the highest
 * {@code exp(w * normalised log-likelihood + (1-w) * log weakest check)}, w = {@link SearchConfig#likelihoodWeight()}
 * as in beam: at large N many chains have checks near 1, right and wrong alike, and how sure the model was of
 * what it wrote separates them (validation, budget 64: 70 solved with w = 0, 76 with 0.5). The weighted variant
 * (weighted best-of-N, as in Snell et al. 2024) sums the check scores of chains sharing an answer and picks the
 * answer with the largest sum (the likelihood term would flatten those weights towards plain votes); its score is
 * that answer's share of the total.
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

    /** A sampled chain, the self-checks of its chains-so-far (depth 1 to the whole chain) and its score. */
    private record Sample(Chain chain, List<Double> checks, double score) {

        /** The check of the whole chain (its last line's). */
        double check() {
            return checks.get(checks.size() - 1);
        }
    }

    @Override
    Uni<Outcome> search(SearchRun run) {
        Node root = run.root();
        double temperature = run.config.temperature();
        boolean withAnswerCheck = run.config.rankAnswerCheck();
        double w = weighted ? 0 : run.config.likelihoodWeight();
        // One Uni per chain: roll out, then self-check each of its steps; all N run concurrently.
        List<Uni<Sample>> samples = new ArrayList<>();
        for (int i = 0; i < run.config.budget(); i++) {
            Sampling sampling = run.sampling(root, "sample" + i, temperature);
            samples.add(run.complete(root, sampling).chain(chain -> run.selfCheck(prefixes(chain))
                    .map(checks -> new Sample(chain, checks, score(chain, checks, withAnswerCheck, w)))));
        }
        Votes votes = new Votes();
        Outcome[] pick = new Outcome[1];
        return Async.inOrder(samples, (i, s) -> {
            Node leaf = addPath(run, root, s.chain());
            Node n = leaf;
            for (int d = s.chain().depth() - 1; d > 0; d--) {
                n = n.parent;
                run.scored(n, s.checks().get(d - 1), s.checks().get(d - 1));
            }
            run.scored(leaf, s.score(), s.check());
            votes.add(leaf, s.chain(), s.score(), s.score());
            pick[0] = pick(votes, pick[0], leaf, s);
            Outcome o = pick[0];
            run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
        }).chain(all -> run.checksAnswers() ? checkedPick(run, votes, pick[0]) : Uni.createFrom().item(pick[0]));
    }

    /**
     * The final pick when the model checks answers in a fresh context ({@link StepModel#checkAnswers}): the best
     * {@link SearchConfig#answerCheckTop()} distinct answers (by their best chain's score, or by their votes' weight
     * when weighted) are checked, each scored {@code score * check^lambda} (lambda =
     * {@link SearchConfig#answerCheckWeight()}), and the highest wins; answers below them are not picked and follow
     * in the alternatives as they ranked.
     */
    private Uni<Outcome> checkedPick(SearchRun run, Votes votes, Outcome pick) {
        List<Votes.Group> answered = votes.answered(weighted);
        List<Votes.Group> top = answered.subList(0, Math.min(run.config.answerCheckTop(), answered.size()));
        if (top.isEmpty()) {
            return Uni.createFrom().item(pick);
        }
        return run.checkAnswers(top.stream().map(g -> g.answer).toList()).map(checks -> {
            double lambda = run.config.answerCheckWeight();
            List<Alternative> alternatives = new ArrayList<>();
            Votes.Group best = null;
            double bestScore = -1;
            for (int i = 0; i < top.size(); i++) {
                Votes.Group g = top.get(i);
                double score = (weighted ? votes.share(g) : g.bestScore) * Math.pow(checks.get(i), lambda);
                alternatives.add(new Alternative(g.answer, score, g.votes, g.bestChain.text()));
                if (score > bestScore) {
                    best = g;
                    bestScore = score;
                }
            }
            alternatives.sort(Comparator.comparingDouble(Alternative::score).reversed());
            // the answers not checked follow, as they ranked before
            pick.alternatives().stream().filter(a -> top.stream().noneMatch(g -> Objects.equals(g.answer, a.answer())))
                    .forEach(alternatives::add);
            Outcome o = new Outcome(best.bestNode, best.bestChain, bestScore, best.answer, alternatives);
            run.best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives());
            return o;
        });
    }

    /** The current pick after adding sample {@code s} at {@code leaf}. */
    private Outcome pick(Votes votes, Outcome previous, Node leaf, Sample s) {
        if (weighted) {
            Votes.Group g = votes.leader();
            return new Outcome(g.bestNode, g.bestChain, votes.share(g), g.answer, votes.byShare());
        }
        if (previous != null && previous.score() >= s.score()) {
            return new Outcome(previous.node(), previous.chain(), previous.score(), previous.answer(),
                    votes.byBestScore());
        }
        return new Outcome(leaf, s.chain(), s.score(), s.chain().answer(), votes.byBestScore());
    }

    /** The chain's chains-so-far, from its first step to the whole chain (the root has nothing to judge). */
    static List<Chain> prefixes(Chain chain) {
        List<Chain> out = new ArrayList<>(chain.depth());
        for (int d = 1; d <= chain.depth(); d++) {
            out.add(chain.prefix(d));
        }
        return out.isEmpty() ? List.of(chain) : out;
    }

    /**
     * {@code exp(w * normalised log-likelihood + (1-w) * log weakest check)}: with {@code w = 0} the lowest of the
     * steps' checks; a terminal chain's last (answer) line counts only with {@code withAnswerCheck} or when it is the
     * only line.
     */
    static double score(Chain chain, List<Double> checks, boolean withAnswerCheck, double w) {
        int n = checks.size();
        if (n > 1 && chain.terminal() && !withAnswerCheck) {
            n--;
        }
        double weakest = 0;
        for (int i = 0; i < n; i++) {
            weakest = Math.min(weakest, logCheck(checks.get(i)));
        }
        return Math.exp(beamScore(chain, weakest, w));
    }
}

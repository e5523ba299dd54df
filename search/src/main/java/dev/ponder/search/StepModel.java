package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * The language model as the search sees it: it proposes next steps, judges chains and rolls chains out.
 *
 * <p>Every call is asynchronous: a strategy puts many calls in flight at once (all beams expand
 * together, one self-check for all candidates) so an implementation can batch them. Cancelling a
 * returned {@link Uni} means its result is no longer wanted and its work may be freed.
 */
public interface StepModel {

    /**
     * Samples {@code k} candidate next steps after {@code chain} (fewer if the model cannot produce more).
     * Sample i uses a seed derived from {@code sampling.seed()} and i, so the call is reproducible.
     */
    Uni<List<Step>> propose(Chain chain, int k, Sampling sampling);

    /**
     * Self-evaluation (Xie et al. 2023): for each chain, the probability in [0,1] that the model judges
     * its reasoning so far correct (the probability of the "yes"/"correct" option). One value per chain,
     * in order.
     */
    Uni<List<Double>> selfCheck(List<Chain> chains);

    /**
     * Rolls {@code chain} out to its end: appends steps until one is terminal or a limit of
     * {@code sampling} is reached. The result starts with the steps of {@code chain}.
     */
    Uni<Chain> complete(Chain chain, Sampling sampling);

    /**
     * Whether {@link #checkAnswers} is answered: the model has a fresh-context answer check (its checkpoint says how
     * to ask it). Default: no.
     */
    default boolean checksAnswers() {
        return false;
    }

    /**
     * Answer checks in a fresh context (generative verification of final answers, Zhang et al. 2024): for each
     * final answer, the probability in [0,1] that the model judges it right when shown only the problem and that
     * answer, not the chain that led to it, so the chain's own mistakes cannot talk the check into agreeing. The
     * model may work before its verdict. One value per answer, in order. Default: unsupported (see
     * {@link #checksAnswers()}).
     */
    default Uni<List<Double>> checkAnswers(List<String> answers) {
        return Uni.createFrom().failure(new UnsupportedOperationException("this model has no answer check"));
    }

    /**
     * The search dropped {@code chain} (a pruned node) and will make no further call on it or below it;
     * an implementation may free what it holds for it (e.g. KV-cache blocks). Not a model call: it is
     * not counted in {@link Usage}. Default: nothing.
     */
    default void release(Chain chain) {
    }
}

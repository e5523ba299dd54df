package dev.ponder.engine;

import dev.ponder.model.SamplingParams;
import dev.ponder.search.Seeds;
import dev.ponder.search.Step;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Samples k next steps from a settled branch, each on its own fork. With a resampling allowance, a step that
 * comes out identical to a sibling's is drawn again on a fresh fork with a new seed (sampling without
 * replacement, by rejection), up to {@code extraSamples} more draws for the whole task; a step still
 * identical when the allowance is spent is kept as it is.
 */
final class ProposeTask extends Task<List<Step>> {

    /** A generated step and the branch that ends with it. */
    record Proposal(int[] tokens, double logProb, boolean terminal, Branch child) {
    }

    private final Branch parent;
    private final List<SamplingParams> samples;
    private final String delimiter;
    private final int maxStepTokens;
    private final int maxChainTokens;
    private final int extraSamples;
    private final long seed;
    private final SiblingTokens siblings;
    private final List<StepLane> lanes = new ArrayList<>();
    private final Function<List<Proposal>, List<Step>> adopt;
    private EngineCore core;
    private int redrawn;

    /**
     * @param seed         the call's seed; redraws use {@code Seeds.child(seed, k + j)}, after the k samples' own
     * @param extraSamples how many identical steps may be drawn again (0: keep every sample as drawn)
     * @param distinctMass with k > 1 and a value above 0, lanes sample without replacement where the tokens their
     *                     siblings have not drawn after the same prefix hold at least this mass ({@link SiblingTokens})
     * @param adopt        turns the proposals into steps and takes ownership of the child branches; it runs on
     *                     the scheduler thread before the Uni completes, so no branch is lost to a late
     *                     cancellation
     */
    ProposeTask(long request, UniEmitter<? super List<Step>> emitter, Branch parent, List<SamplingParams> samples,
                String delimiter, int maxStepTokens, int maxChainTokens, long seed, int extraSamples,
                double distinctMass, Function<List<Proposal>, List<Step>> adopt) {
        super(request, emitter);
        this.adopt = adopt;
        this.parent = parent;
        this.samples = samples;
        this.delimiter = delimiter;
        this.maxStepTokens = maxStepTokens;
        this.maxChainTokens = maxChainTokens;
        this.seed = seed;
        this.extraSamples = extraSamples;
        this.siblings = distinctMass > 0 && samples.size() > 1 ? new SiblingTokens(distinctMass) : null;
    }

    @Override
    void start(EngineCore core) {
        if (!parent.settled() || parent.released) {
            throw new IllegalStateException("propose needs a settled, live branch");
        }
        this.core = core;
        for (SamplingParams p : samples) {
            lanes.add(newLane(p));
        }
    }

    private StepLane newLane(SamplingParams p) {
        StepLane lane = new StepLane(core, core.fork(parent.seq), p, delimiter, maxStepTokens, maxChainTokens,
                parent.generated, siblings);
        lane.recompute(core.recomputeFor(parent.seq));
        lane.begin(parent.nextLogits);
        return lane;
    }

    /**
     * Draws again every finished step identical to an earlier lane's finished step while the allowance lasts
     * (scheduler thread; lanes are checked in order, so the outcome does not depend on timing).
     */
    private void redrawDuplicates() {
        for (int i = 0; i < lanes.size() && redrawn < extraSamples; i++) {
            StepLane l = lanes.get(i);
            if (!l.finished || !duplicatesEarlier(i)) {
                continue;
            }
            core.release(l.seq);
            SamplingParams p = samples.get(i);
            long s = Seeds.child(seed, samples.size() + redrawn++);
            lanes.set(i, newLane(new SamplingParams(p.temperature(), p.topK(), p.topP(), s)));
            i--;   // the new lane may have finished at once (an end of sequence first): check it again
        }
    }

    private boolean duplicatesEarlier(int i) {
        StepLane l = lanes.get(i);
        for (int j = 0; j < i; j++) {
            StepLane o = lanes.get(j);
            if (o.finished && o.sameStep(l)) {
                return true;
            }
        }
        return false;
    }

    @Override
    List<StepLane> lanes() {
        return lanes.stream().filter(l -> !l.finished).toList();
    }

    /** Also where duplicates are drawn again: the scheduler asks after every pass and after the task starts. */
    @Override
    boolean done() {
        if (extraSamples > 0) {
            redrawDuplicates();
        }
        return lanes.stream().allMatch(l -> l.finished);
    }

    @Override
    List<Step> result() {
        List<Proposal> out = new ArrayList<>();
        for (StepLane l : lanes) {
            Branch child = new Branch(l.seq, l.childPending, l.generatedAfter());
            child.nextLogits = l.childLogits;
            child.endedAtEos = l.terminal && l.childPending.length == 0;
            int[] tokens = l.stepTokens();
            out.add(new Proposal(tokens, l.logProb(), l.terminal, child));
        }
        return adopt.apply(out);
    }

    @Override
    void releaseAll(EngineCore core) {
        for (StepLane l : lanes) {
            core.release(l.seq);
        }
    }
}

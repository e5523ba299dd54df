package dev.ponder.engine;

import dev.ponder.model.SamplingParams;
import dev.ponder.search.Step;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;

/** Samples k next steps from a settled branch, each on its own fork. */
final class ProposeTask extends Task<List<Step>> {

    /** A generated step and the branch that ends with it. */
    record Proposal(int[] tokens, double logProb, boolean terminal, Branch child) {
    }

    private final Branch parent;
    private final List<SamplingParams> samples;
    private final String delimiter;
    private final int maxStepTokens;
    private final int maxChainTokens;
    private final List<StepLane> lanes = new ArrayList<>();
    private final Function<List<Proposal>, List<Step>> adopt;

    /**
     * @param adopt turns the proposals into steps and takes ownership of the child branches; it runs on the
     *              scheduler thread before the Uni completes, so no branch is lost to a late cancellation
     */
    ProposeTask(long request, UniEmitter<? super List<Step>> emitter, Branch parent, List<SamplingParams> samples,
                String delimiter, int maxStepTokens, int maxChainTokens, Function<List<Proposal>, List<Step>> adopt) {
        super(request, emitter);
        this.adopt = adopt;
        this.parent = parent;
        this.samples = samples;
        this.delimiter = delimiter;
        this.maxStepTokens = maxStepTokens;
        this.maxChainTokens = maxChainTokens;
    }

    @Override
    void start(EngineCore core) {
        if (!parent.settled() || parent.released) {
            throw new IllegalStateException("propose needs a settled, live branch");
        }
        for (SamplingParams p : samples) {
            StepLane lane = new StepLane(core, core.fork(parent.seq), p, delimiter, maxStepTokens,
                    maxChainTokens, parent.generated);
            lane.recompute(core.recomputeFor(parent.seq));
            lanes.add(lane);
            lane.begin(parent.nextLogits);
        }
    }

    @Override
    List<StepLane> lanes() {
        return lanes.stream().filter(l -> !l.finished).toList();
    }

    @Override
    boolean done() {
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

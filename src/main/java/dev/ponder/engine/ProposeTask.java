package dev.ponder.engine;

import dev.ponder.model.SamplingParams;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;

/** Samples k next steps from a settled branch, each on its own fork. */
final class ProposeTask extends Task<List<ProposeTask.Proposal>> {

    /** A generated step and the branch that ends with it. */
    record Proposal(int[] tokens, String text, double logProb, boolean terminal, Branch child) {
    }

    private final Branch parent;
    private final List<SamplingParams> samples;
    private final String delimiter;
    private final int maxStepTokens;
    private final int maxChainTokens;
    private final List<StepLane> lanes = new ArrayList<>();

    ProposeTask(long request, UniEmitter<? super List<Proposal>> emitter, Branch parent, List<SamplingParams> samples,
                String delimiter, int maxStepTokens, int maxChainTokens) {
        super(request, emitter);
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
    List<Proposal> result() {
        List<Proposal> out = new ArrayList<>();
        for (StepLane l : lanes) {
            Branch child = new Branch(l.seq, l.childPending, l.generatedAfter());
            child.nextLogits = l.childLogits;
            int[] tokens = l.stepTokens();
            out.add(new Proposal(tokens, null, l.logProb(), l.terminal, child));
        }
        return out;
    }

    @Override
    void releaseAll(EngineCore core) {
        for (StepLane l : lanes) {
            core.release(l.seq);
        }
    }
}

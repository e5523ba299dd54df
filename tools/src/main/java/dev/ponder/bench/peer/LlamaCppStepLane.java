package dev.ponder.bench.peer;

import dev.ponder.model.Sampler;
import dev.ponder.model.SamplingParams;
import dev.ponder.search.Sampling;
import dev.ponder.search.Seeds;
import dev.ponder.search.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples one step on a llama.cpp sequence (or, for a rollout, step after step to the end), with ponder's
 * rules: a step ends at the delimiter, at the step limit, at end of sequence, or at the chain limit (then
 * its last token stays pending); a step that ends at its delimiter is settled, i.e. its last token is fed
 * once more so the next-token logits of the child are ready. Tokens are chosen by ponder's {@link Sampler}
 * with the same seeds, so given the same logits both engines generate the same steps.
 */
final class LlamaCppStepLane extends LlamaCppEngine.Lane {

    private final LlamaCppEngine engine;
    private final Sampling sampling;
    private final String delimiter;
    private final boolean rollout;
    private SamplingParams params;
    private SplittableRandom rng;
    private long stepSeed;
    /** Steps in the chain so far (a rollout reseeds each step from it, as ponder's rollout does). */
    int chainDepth;
    private int generated;
    private int[] tokens = new int[16];
    private int count;
    private double logProb;
    private boolean settling;
    final List<Step> steps = new ArrayList<>();
    private LlamaCppStepModel.Node node;

    LlamaCppStepLane(LlamaCppEngine engine, int seq, int pos, Sampling sampling, long seed, int parentGenerated, boolean rollout) {
        super(seq, pos);
        this.engine = engine;
        this.sampling = sampling;
        this.delimiter = sampling.delimiter() == null ? null : sampling.delimiter().text();
        this.rollout = rollout;
        this.stepSeed = sampling.seed();
        this.generated = parentGenerated;
        reseed(seed);
    }

    private void reseed(long seed) {
        params = new SamplingParams(sampling.temperature(), 0, 1.0, seed);
        rng = new SplittableRandom(seed);
    }

    /** Starts from the parent: its pending tokens are fed first, else its logits are sampled at once. */
    void begin(LlamaCppStepModel.Node parent) {
        if (parent.pending().length > 0) {
            setFeed(parent.pending());
        } else {
            sampleFrom(parent.logits());
        }
    }

    @Override
    void onLogits(float[] row) {
        if (settling) {
            settling = false;
            endStep(row);
        } else {
            sampleFrom(row);
        }
    }

    private void sampleFrom(float[] row) {
        Sampler.Choice c = Sampler.sample(row, 0, row.length, params, rng);
        if (engine.isEog(c.token())) {
            // the chain ends; its sequence holds every token, and this row is its next-token distribution
            closeStep(true);
            done(new LlamaCppStepModel.Node(seq, pos, new int[0], row, true));
            return;
        }
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, 2 * count);
        }
        tokens[count++] = c.token();
        logProb += c.logProb();
        if (generated + count >= sampling.maxChainTokens()) {
            closeStep(true);                 // cut at the chain limit: the last token stays pending
            done(new LlamaCppStepModel.Node(seq, pos, new int[] {c.token()}, null, false));
            return;
        }
        if (count >= sampling.maxStepTokens() || endsStep(c.token())) {
            settling = true;
        }
        setFeed(c.token());
    }

    /** The step's last token is in the sequence; {@code row} is the child's next-token distribution. */
    private void endStep(float[] row) {
        closeStep(false);
        if (!rollout) {
            done(new LlamaCppStepModel.Node(seq, pos, new int[0], row, false));
            return;
        }
        chainDepth++;
        stepSeed = Seeds.child(stepSeed, chainDepth);
        reseed(Seeds.child(stepSeed, 0));
        sampleFrom(row);
    }

    private boolean endsStep(int token) {
        if (delimiter == null || delimiter.isEmpty() || !engine.pieceContains(token, delimiter.charAt(0))) {
            return false;
        }
        return delimiter.length() == 1 || engine.detokenize(Arrays.copyOf(tokens, count)).contains(delimiter);
    }

    private void closeStep(boolean terminal) {
        int[] t = Arrays.copyOf(tokens, count);
        steps.add(Step.of(engine.detokenize(t), t, logProb, terminal));
        generated += count;
        count = 0;
        logProb = 0;
    }

    private void done(LlamaCppStepModel.Node n) {
        node = n;
        finished = true;
    }

    Step lastStep() {
        return steps.get(steps.size() - 1);
    }

    LlamaCppStepModel.Node node() {
        return node;
    }
}

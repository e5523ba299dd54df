package dev.ponder.engine;

import dev.ponder.engine.ModelRunner.Sequence;
import dev.ponder.model.Sampler;
import dev.ponder.model.SamplingParams;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Generates one reasoning step on a forked branch: samples tokens until the step delimiter, the end of
 * sequence, or a length limit. A step that ends at its delimiter is settled right away (its last token
 * is fed once more), so the child branch can be expanded with no further pass.
 */
final class StepLane extends Lane {

    private final EngineCore core;
    private final SamplingParams params;
    private final SplittableRandom rng;
    private final String delimiter;
    private final int maxStepTokens;
    private final int maxChainTokens;
    private final int parentGenerated;
    /** The call's shared record of sibling lanes' tokens (null: every lane samples on its own). */
    private final SiblingTokens siblings;
    /** This lane's step so far in {@link #siblings} (null with it). */
    private SiblingTokens.Prefix prefix;
    private int[] tokens = new int[16];
    private int count;
    private double logProb;
    private boolean settling;
    boolean finished;
    boolean terminal;
    /** The child's next-token logits, once settled. */
    float[] childLogits;
    /** The last sampled token when the step ended without being fed (chain limit). */
    int[] childPending = new int[0];

    StepLane(EngineCore core, Sequence seq, SamplingParams params, String delimiter, int maxStepTokens,
             int maxChainTokens, int parentGenerated, SiblingTokens siblings) {
        super(seq);
        this.siblings = siblings;
        this.prefix = siblings == null ? null : siblings.start();
        this.core = core;
        this.params = params;
        this.rng = new SplittableRandom(params.seed());
        this.delimiter = delimiter;
        this.maxStepTokens = maxStepTokens;
        this.maxChainTokens = maxChainTokens;
        this.parentGenerated = parentGenerated;
    }

    /** Samples the first token from the parent's next-token logits: no pass needed. */
    void begin(float[] parentLogits) {
        sampleFrom(parentLogits, 0, parentLogits.length);
    }

    @Override
    void onLogits(float[] logits, int offset, int vocab) {
        if (settling) {
            childLogits = Arrays.copyOfRange(logits, offset, offset + vocab);
            finished = true;
            return;
        }
        sampleFrom(logits, offset, vocab);
    }

    private void sampleFrom(float[] logits, int offset, int vocab) {
        Sampler.Choice c = siblings == null ? Sampler.sample(logits, offset, vocab, params, rng)
                : siblings.sample(prefix, logits, offset, vocab, params, rng);
        if (core.runner.isEos(c.token())) {
            // the chain ends: the eos row is exactly the next-token distribution of the finished chain
            childLogits = Arrays.copyOfRange(logits, offset, offset + vocab);
            terminal = true;
            finished = true;
            return;
        }
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, count * 2);
        }
        tokens[count++] = c.token();
        if (prefix != null) {
            prefix = prefix.then(c.token());
        }
        logProb += c.logProb();
        if (parentGenerated + count >= maxChainTokens) {
            terminal = true;           // cut at the chain limit; the last token stays pending
            childPending = new int[] {c.token()};
            finished = true;
        } else if (count >= maxStepTokens || (delimiter != null && endsStep(c.token()))) {
            settling = true;           // feed the last token once so the child is ready to expand
            setFeed(c.token());
        } else {
            setFeed(c.token());
        }
    }

    private boolean endsStep(int token) {
        String piece = core.runner.piece(token);
        if (piece.indexOf(delimiter.charAt(0)) < 0) {
            return false;
        }
        return delimiter.length() == 1 || core.runner.decode(stepTokens()).contains(delimiter);
    }

    int[] stepTokens() {
        return Arrays.copyOf(tokens, count);
    }

    /** Whether {@code other} drew the same step (same tokens, ending the chain or not). */
    boolean sameStep(StepLane other) {
        return terminal == other.terminal && Arrays.equals(tokens, 0, count, other.tokens, 0, other.count);
    }

    double logProb() {
        return logProb;
    }

    int generatedAfter() {
        return parentGenerated + count;
    }
}

package dev.ponder.engine;

import dev.ponder.engine.kv.TokenKey;
import dev.ponder.model.Sampler;
import dev.ponder.model.SamplingParams;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The tokens the lanes of one propose call have drawn after each step prefix, so that a lane reaching a prefix a
 * sibling has already continued draws another token: sampling without replacement, a token at a time, in one pass
 * and with no redraw. Where the tokens not yet drawn hold less than {@code minMass} of the distribution (the model
 * is sure, as on the digits of a sum) the lane draws as usual and may repeat its sibling. Lanes ask in a fixed
 * order (the scheduler feeds a task's lanes in order), so a call's outcome does not depend on timing.
 */
final class SiblingTokens {

    private final double minMass;
    private final Map<TokenKey, BitSet> drawn = new HashMap<>();

    SiblingTokens(double minMass) {
        this.minMass = minMass;
    }

    /** The next token after the step's first {@code count} tokens, avoiding those siblings drew there. */
    Sampler.Choice sample(int[] tokens, int count, float[] logits, int offset, int vocab, SamplingParams p,
                          SplittableRandom rng) {
        BitSet before = drawn.computeIfAbsent(new TokenKey(Arrays.copyOf(tokens, count)), k -> new BitSet());
        Sampler.Choice c = Sampler.sampleExcluding(logits, offset, vocab, p, rng, before, minMass);
        before.set(c.token());
        return c;
    }
}

package dev.ponder.engine;

import dev.ponder.model.Sampler;
import dev.ponder.model.SamplingParams;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The tokens the lanes of one propose call have drawn after each step prefix, as a trie, so that a lane reaching a
 * prefix a sibling has already continued draws another token: sampling without replacement, a token at a time, in
 * one pass and with no redraw. Where the tokens not yet drawn hold less than {@code minMass} of the distribution
 * (the model is sure, as on the digits of a sum) the lane draws as usual and may repeat its sibling. Each lane
 * holds its place in the trie ({@link Prefix}), so a draw costs no copy of the step so far. Lanes ask in a fixed
 * order (the scheduler feeds a task's lanes in order), so a call's outcome does not depend on timing.
 */
final class SiblingTokens {

    /** One step prefix: the tokens lanes drew after it, and the longer prefixes. */
    static final class Prefix {
        private final BitSet drawn = new BitSet();
        private final Map<Integer, Prefix> next = new HashMap<>();

        /** This prefix followed by {@code token}. */
        Prefix then(int token) {
            return next.computeIfAbsent(token, t -> new Prefix());
        }
    }

    private final double minMass;
    private final Prefix empty = new Prefix();

    SiblingTokens(double minMass) {
        this.minMass = minMass;
    }

    /** The empty prefix, where every lane of the call starts. */
    Prefix start() {
        return empty;
    }

    /** The next token after {@code prefix}, avoiding those siblings drew there. */
    Sampler.Choice sample(Prefix prefix, float[] logits, int offset, int vocab, SamplingParams p, SplittableRandom rng) {
        Sampler.Choice c = Sampler.sampleExcluding(logits, offset, vocab, p, rng, prefix.drawn, minMass);
        prefix.drawn.set(c.token());
        return c;
    }
}

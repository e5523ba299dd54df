package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    static final float[] LOGITS = {2.0f, 1.0f, 0.5f, -1.0f, -3.0f};

    @Test
    void greedyPicksTheArgmaxWithItsLogProb() {
        Sampler.Choice c = Sampler.sample(LOGITS, 0, LOGITS.length, SamplingParams.greedy(), new SplittableRandom(1));
        assertEquals(0, c.token());
        assertEquals(Sampler.logSoftmax(LOGITS, 0, LOGITS.length)[0], c.logProb(), 1e-12);
    }

    @Test
    void seededSamplingReproducesAndFollowsTheDistribution() {
        int[] counts = new int[LOGITS.length];
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        SamplingParams p = SamplingParams.temperature(1.0, 42);
        for (int i = 0; i < 20_000; i++) {
            int x = Sampler.sample(LOGITS, 0, LOGITS.length, p, a).token();
            assertEquals(x, Sampler.sample(LOGITS, 0, LOGITS.length, p, b).token());
            counts[x]++;
        }
        double[] logp = Sampler.logSoftmax(LOGITS, 0, LOGITS.length);
        for (int i = 0; i < counts.length; i++) {
            assertEquals(Math.exp(logp[i]), counts[i] / 20_000.0, 0.015, "token " + i);
        }
    }

    @Test
    void topKAndTopPCutTheTail() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            assertTrue(Sampler.sample(LOGITS, 0, 5, new SamplingParams(1.0, 2, 1.0, 0), r).token() < 2);
            // p(0) ~ 0.61, p(0) + p(1) ~ 0.84: top-p 0.7 keeps two tokens
            assertTrue(Sampler.sample(LOGITS, 0, 5, new SamplingParams(1.0, 0, 0.7, 0), r).token() < 2);
        }
    }

    @Test
    void lowTemperatureConcentrates() {
        SplittableRandom r = new SplittableRandom(3);
        int zeros = 0;
        for (int i = 0; i < 1_000; i++) {
            zeros += Sampler.sample(LOGITS, 0, 5, SamplingParams.temperature(0.05, 0), r).token() == 0 ? 1 : 0;
        }
        assertTrue(zeros > 990);
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, -2, 1, 0));
    }

    @Test
    void excludedTokensAreSkippedWhileTheRestHoldsTheMass() {
        // p = 0.61 / 0.22 / 0.14 / 0.03 / 0.004: without token 0 the rest holds 0.39 of the mass
        SamplingParams p = SamplingParams.temperature(1.0, 5);
        double[] logp = Sampler.logSoftmax(LOGITS, 0, LOGITS.length);
        BitSet first = new BitSet();
        first.set(0);
        SplittableRandom r = new SplittableRandom(5);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < 20_000; i++) {
            Sampler.Choice c = Sampler.sampleExcluding(LOGITS, 0, LOGITS.length, p, r, first, 0.3);
            assertEquals(logp[c.token()], c.logProb(), 1e-12, "the model's own log-probability");
            counts[c.token()]++;
        }
        assertEquals(0, counts[0], "an excluded token is never drawn while the rest holds enough mass");
        double left = 1 - Math.exp(logp[0]);
        for (int i = 1; i < counts.length; i++) {
            assertEquals(Math.exp(logp[i]) / left, counts[i] / 20_000.0, 0.015, "token " + i + ", renormalised");
        }
        // asking the rest to hold more than it does: the distribution is sampled as it is
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        for (int i = 0; i < 1000; i++) {
            assertEquals(Sampler.sample(LOGITS, 0, LOGITS.length, p, a).token(),
                    Sampler.sampleExcluding(LOGITS, 0, LOGITS.length, p, b, first, 0.5).token());
        }
        // greedy choice ignores the exclusions
        assertEquals(0, Sampler.sampleExcluding(LOGITS, 0, LOGITS.length, SamplingParams.greedy(), r, first, 0.1).token());
    }

    @Test
    void exclusionsRespectTopK() {
        // top-2 keeps tokens 0 and 1; with 0 drawn, only 1 is left (0.22 / 0.83 of the kept mass)
        SamplingParams p = new SamplingParams(1.0, 2, 1.0, 3);
        BitSet first = new BitSet();
        first.set(0);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, Sampler.sampleExcluding(LOGITS, 0, LOGITS.length, p, r, first, 0.1).token());
        }
    }
}

package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Warmup + cosine learning rate and one AdamW step against hand-computed values. */
class ScheduleAndOptimizerTest {

    @Test
    void warmupThenCosineToTheFloor() {
        TrainConfig c = TrainConfig.defaults().with("--steps=110", "--warmup=10", "--lr=1e-3", "--minLr=1e-4");
        assertEquals(1e-4, c.learningRate(0), 1e-12);
        assertEquals(1e-3, c.learningRate(9), 1e-12);
        assertEquals(1e-3, c.learningRate(10), 1e-12);
        assertEquals(5.5e-4, c.learningRate(60), 1e-12);
        assertEquals(1e-4, c.learningRate(110), 1e-12);
    }

    @Test
    void adamWStepIsSignedLrPlusDecoupledDecay() {
        AdamW adam = new AdamW(0.9, 0.99);
        Map<String, float[]> p = new LinkedHashMap<>(Map.of("w", new float[] {1f, -2f}, "norm", new float[] {1f}));
        Map<String, float[]> g = Map.of("w", new float[] {0.5f, -4f}, "norm", new float[] {3f});
        adam.step(p, g, Map.of("w", true, "norm", false), 0.1, 0.5, 1.0);
        // first step: m/(1-b1) = g and v/(1-b2) = g^2, so the update is sign(g); decay multiplies w by 1 - lr*wd
        assertEquals(1 * 0.95 - 0.1, p.get("w")[0], 1e-6);
        assertEquals(-2 * 0.95 + 0.1, p.get("w")[1], 1e-6);
        assertEquals(1 - 0.1, p.get("norm")[0], 1e-6);
        assertEquals(Math.sqrt(0.25 + 16 + 9), AdamW.globalNorm(g), 1e-9);
    }
}

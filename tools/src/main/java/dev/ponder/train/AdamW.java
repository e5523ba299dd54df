package dev.ponder.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) on host float arrays: Adam moments with bias correction, and weight
 * decay applied to the weights directly (decoupled), only to matrices, not to norm gains. The parameter
 * count of the tiny model makes a plain Java loop cheap next to the forward and backward passes.
 */
public final class AdamW {

    private static final double EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private int t;

    public AdamW(double beta1, double beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    /** One update of every parameter in place; {@code gradScale} multiplies the gradients first (clipping). */
    public void step(Map<String, float[]> params, Map<String, float[]> grads, Map<String, Boolean> decay,
                     double lr, double weightDecay, double gradScale) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (var e : params.entrySet()) {
            float[] p = e.getValue();
            float[] g = grads.get(e.getKey());
            float[] mm = m.computeIfAbsent(e.getKey(), k -> new float[p.length]);
            float[] vv = v.computeIfAbsent(e.getKey(), k -> new float[p.length]);
            double shrink = decay.get(e.getKey()) ? 1 - lr * weightDecay : 1;
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] * gradScale;
                mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * gi);
                vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * gi * gi);
                double update = (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + EPS);
                p[i] = (float) (p[i] * shrink - lr * update);
            }
        }
    }

    public int stepCount() {
        return t;
    }

    public Map<String, float[]> firstMoments() {
        return m;
    }

    public Map<String, float[]> secondMoments() {
        return v;
    }

    /** Restores saved moments and the step count (bias correction depends on it). */
    public void restore(Map<String, float[]> firstMoments, Map<String, float[]> secondMoments, int steps) {
        m.clear();
        m.putAll(firstMoments);
        v.clear();
        v.putAll(secondMoments);
        t = steps;
    }

    /** sqrt(sum of squares) over all gradients. */
    public static double globalNorm(Map<String, float[]> grads) {
        double s = 0;
        for (float[] g : grads.values()) {
            for (float x : g) {
                s += (double) x * x;
            }
        }
        return Math.sqrt(s);
    }
}

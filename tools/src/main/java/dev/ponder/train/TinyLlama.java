package dev.ponder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.RopeScaling;
import dev.ponder.model.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable model: a {@link ModelConfig} for a tied-embedding Llama, its initialization, and a stable
 * naming of its parameters (for optimizer state, checkpoints and export). The forward pass is the runtime's
 * own {@link dev.ponder.model.Transformer}.
 */
public final class TinyLlama {

    public static final int MAX_POSITIONS = 512;
    public static final double RMS_EPS = 1e-5;
    public static final double ROPE_THETA = 10000;

    private TinyLlama() {
    }

    public static ModelConfig config(TrainConfig c, int vocab) {
        return new ModelConfig("LlamaForCausalLM", vocab, c.dModel(), c.intermediate(), c.layers(), c.heads(),
                c.kvHeads(), c.dModel() / c.heads(), RMS_EPS, ROPE_THETA, RopeScaling.NONE, MAX_POSITIONS,
                true, false, false, false);
    }

    /**
     * GPT-2 style init: every matrix N(0, 0.02), the two residual projections (o_proj, down_proj) scaled by
     * 1/sqrt(2 L) so the residual stream's variance does not grow with depth; RMSNorm weights 1.
     */
    public static Map<String, float[]> init(ModelConfig c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double std = 0.02;
        double residualStd = std / Math.sqrt(2.0 * c.numLayers());
        Map<String, float[]> p = new LinkedHashMap<>();
        for (var e : shapes(c).entrySet()) {
            long n = e.getValue().size();
            float[] a = new float[(int) n];
            String name = e.getKey();
            if (name.endsWith("Norm")) {
                Arrays.fill(a, 1f);
            } else {
                double s = name.endsWith(".wo") || name.endsWith(".wDown") ? residualStd : std;
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (gaussian(rnd) * s);
                }
            }
            p.put(name, a);
        }
        return p;
    }

    // Box-Muller on a SplittableRandom (whose sequence, unlike Random.nextGaussian's, is fixed by the spec).
    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** Parameter names and shapes in a fixed order (HF layout [out, in]; fused q|k|v and gate|up). */
    public static Map<String, Shape> shapes(ModelConfig c) {
        int d = c.hiddenSize();
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("embed", new Shape(c.vocabSize(), d));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "layers." + l + ".";
            s.put(p + "attnNorm", new Shape(d));
            s.put(p + "wqkv", new Shape(c.qkvWidth(), d));
            s.put(p + "wo", new Shape(d, (long) c.numHeads() * c.headDim()));
            s.put(p + "mlpNorm", new Shape(d));
            s.put(p + "wGateUp", new Shape(2L * c.intermediateSize(), d));
            s.put(p + "wDown", new Shape(d, c.intermediateSize()));
        }
        s.put("finalNorm", new Shape(d));
        return s;
    }

    /** Float32 arrays in {@code manager}, in the order of {@link #shapes}, ready for autograd. */
    public static Map<String, NDArray> toArrays(ModelConfig c, Map<String, float[]> values, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (var e : shapes(c).entrySet()) {
            NDArray a = manager.create(values.get(e.getKey()), e.getValue());
            a.setRequiresGradient(true);
            out.put(e.getKey(), a);
        }
        return out;
    }

    /** The runtime's weights over the named arrays (the head is the embedding: tied). */
    public static Weights weights(ModelConfig c, Map<String, NDArray> p) {
        List<Weights.Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String n = "layers." + l + ".";
            layers.add(new Weights.Layer(p.get(n + "attnNorm"), p.get(n + "wqkv"), null, p.get(n + "wo"), null,
                    p.get(n + "mlpNorm"), p.get(n + "wGateUp"), null, p.get(n + "wDown"), null));
        }
        return new Weights(p.get("embed"), layers, p.get("finalNorm"), p.get("embed"));
    }

    /** Host copies of the named arrays. */
    public static Map<String, float[]> toHost(Map<String, NDArray> p) {
        Map<String, float[]> out = new LinkedHashMap<>();
        p.forEach((k, v) -> out.put(k, v.toType(DataType.FLOAT32, false).toFloatArray()));
        return out;
    }
}

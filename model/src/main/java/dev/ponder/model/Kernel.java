package dev.ponder.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * What runs a cached forward pass ({@code ponder.model.kernel}, {@code PONDER_MODEL_KERNEL}).
 *
 * <ul>
 *   <li>{@link #TORCH}: DJL's PyTorch engine, on the GPU or the CPU. About 60 native operations a layer, so a pass
 *       over a small model costs its dispatch, not its arithmetic.</li>
 *   <li>{@link #JAVA}: {@link HostForward}, plain Java loops over float32 copies of the weights, the KV cache in
 *       Java arrays read in place by slot (no per-branch context gather). For small models on a CPU, where it is
 *       several times faster (docs/benchmarks/engine.md).</li>
 * </ul>
 *
 * Training and uncached passes always run on torch (they need autograd or are not on the serving path).
 */
public enum Kernel {
    TORCH, JAVA;

    /** Models up to this many parameters run on the Java kernel under {@code auto} on a CPU. */
    public static final long JAVA_MAX_PARAMETERS = 50_000_000L;

    /**
     * {@code auto}: java for float32 models of at most {@value #JAVA_MAX_PARAMETERS} parameters on a CPU, torch
     * otherwise; or {@code torch} / {@code java} as asked.
     *
     * @throws IllegalArgumentException for an unknown name, or java asked for on a GPU or in float16
     */
    public static Kernel resolve(String setting, Device device, DataType dtype, ModelConfig config) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "auto" -> !device.isGpu() && dtype == DataType.FLOAT32 && config.parameterCount() <= JAVA_MAX_PARAMETERS
                    ? JAVA : TORCH;
            case "torch" -> TORCH;
            case "java" -> {
                if (device.isGpu() || dtype != DataType.FLOAT32) {
                    throw new IllegalArgumentException("ponder.model.kernel=java computes in float32 on the CPU; "
                            + "this model is set up for " + dtype + " on " + device
                            + " (use ponder.model.kernel=torch there, or ponder.model.dtype=float32 on a CPU)");
                }
                yield JAVA;
            }
            default -> throw new IllegalArgumentException("ponder.model.kernel must be auto, torch or java, was '"
                    + setting + "'");
        };
    }

    /**
     * For command-line tools: {@code -Dponder.model.kernel}, else {@code PONDER_MODEL_KERNEL}, else {@code auto},
     * resolved for a model in {@code dtype} on the engine's default device (the service reads the same key through
     * its configuration).
     */
    public static Kernel configured(DataType dtype, ModelConfig config) {
        String s = System.getProperty("ponder.model.kernel", System.getenv().getOrDefault("PONDER_MODEL_KERNEL", "auto"));
        return resolve(s, Engine.getInstance().defaultDevice(), dtype, config);
    }
}

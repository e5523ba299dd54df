package dev.ponder.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type the model computes in ({@code ponder.model.dtype}, {@code PONDER_MODEL_DTYPE}): weights,
 * activations and the KV cache; RMSNorm and softmax always run in float32. Checkpoints are converted while they
 * load, bf16 ones included.
 */
public final class Precision {

    private Precision() {
    }

    /**
     * {@code auto}: float16 on a GPU (half the memory, tensor cores), float32 on a CPU (where float16 matmuls are
     * slow); or {@code float16} / {@code float32} as asked.
     *
     * @throws IllegalArgumentException for bfloat16 (DJL's PyTorch JNI has no bfloat16 tensors) or an unknown name
     */
    public static DataType resolve(String setting, Device device) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "auto" -> device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
            case "float16", "fp16", "half" -> DataType.FLOAT16;
            case "float32", "fp32", "float" -> DataType.FLOAT32;
            case "bfloat16", "bf16" -> throw new IllegalArgumentException("ponder.model.dtype=" + setting
                    + " cannot be computed: DJL's PyTorch engine has no bfloat16 tensors (creating one aborts the JVM). "
                    + "Use float16 on a GPU or float32 on a CPU; bf16 checkpoints are converted to either while loading.");
            default -> throw new IllegalArgumentException("ponder.model.dtype must be auto, float16 or float32, was '"
                    + setting + "'");
        };
    }

    /**
     * For command-line tools: {@code -Dponder.model.dtype}, else {@code PONDER_MODEL_DTYPE}, else {@code auto}, on the
     * engine's default device (the service reads the same key through its configuration).
     */
    public static DataType configured() {
        String s = System.getProperty("ponder.model.dtype", System.getenv().getOrDefault("PONDER_MODEL_DTYPE", "auto"));
        return resolve(s, Engine.getInstance().defaultDevice());
    }

    /** Bytes of the model's weights in {@code dtype}. */
    public static long weightBytes(ModelConfig config, DataType dtype) {
        return config.parameterCount() * dtype.getNumOfBytes();
    }
}

package dev.ponder.local;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.Precision;
import java.lang.management.ManagementFactory;

/**
 * What loading a model will take from its device: the weights in the chosen precision and the KV budget, against
 * the device's memory (the GPU's, or the machine's for the CPU). Checked before any weight is read, so a model that
 * cannot fit fails at once with the figures instead of minutes into loading.
 *
 * @param weightBytes  the weights in the serving precision
 * @param kvBytes      the engine's KV-cache budget
 * @param deviceBytes  the device's total memory (0: unknown, nothing is checked)
 */
record MemoryPlan(long weightBytes, long kvBytes, long deviceBytes, DataType dtype, Device device) {

    /** Weights and KV may take at most this share of the device (activations and the runtime need the rest). */
    static final double MAX_SHARE = 0.9;

    static MemoryPlan of(ModelConfig config, DataType dtype, long kvBytes, Device device) {
        return new MemoryPlan(Precision.weightBytes(config, dtype), kvBytes, deviceMemory(device), dtype, device);
    }

    /** Total memory of {@code device}: the GPU's from CUDA, the machine's physical memory for the CPU; 0 if unknown. */
    static long deviceMemory(Device device) {
        try {
            if (device.isGpu()) {
                return CudaUtils.getGpuMemory(device).getMax();
            }
            var os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    boolean fits() {
        return deviceBytes <= 0 || weightBytes + kvBytes <= MAX_SHARE * deviceBytes;
    }

    /** One line for the log: weights + KV against the device. */
    String describe() {
        String device = deviceBytes > 0 ? gib(deviceBytes) + " on " + this.device : "unknown memory on " + this.device;
        return String.format("weights %s (%s) + KV budget %s = %s of %s", gib(weightBytes), dtype, gib(kvBytes),
                gib(weightBytes + kvBytes), device);
    }

    /** The error when the model cannot fit, with what to change. */
    String advice() {
        return "the model cannot fit: " + describe() + " exceeds " + Math.round(MAX_SHARE * 100)
                + "% of the device. Lower ponder.engine.kv-budget-mb"
                + (dtype == DataType.FLOAT32 ? ", set ponder.model.dtype=float16" : "")
                + " or use a device with more memory";
    }

    private static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30))
                : String.format("%.1f MiB", bytes / (double) (1L << 20));
    }
}

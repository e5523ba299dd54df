package dev.ponder.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.ponder.model.InternLm3Shapes;
import dev.ponder.model.Precision;
import org.junit.jupiter.api.Test;

/** InternLM3-8B's weights and KV against the memory of the devices it is meant for. */
class MemoryPlanTest {

    static final long GIB = 1L << 30;

    static MemoryPlan plan(DataType dtype, long kvBytes, long deviceBytes) {
        return new MemoryPlan(Precision.weightBytes(InternLm3Shapes.EIGHT_B, dtype), kvBytes, deviceBytes, dtype, Device.gpu());
    }

    @Test
    void eightBillionParametersNeedHalfPrecisionOnA24GigabyteGpu() {
        // about 8.8e9 parameters: 16.4 GiB in float16, 32.8 GiB in float32
        assertEquals(16.4, Precision.weightBytes(InternLm3Shapes.EIGHT_B, DataType.FLOAT16) / (double) GIB, 0.1);
        MemoryPlan fp32 = plan(DataType.FLOAT32, 2 * GIB, 24 * GIB);
        assertFalse(fp32.fits());
        assertTrue(fp32.advice().contains("ponder.model.dtype=float16") && fp32.advice().contains("kv-budget-mb"),
                fp32.advice());
        assertTrue(plan(DataType.FLOAT16, 2 * GIB, 24 * GIB).fits());
        assertFalse(plan(DataType.FLOAT16, 6 * GIB, 24 * GIB).fits(), "weights and KV over 90% of the device");
        assertTrue(plan(DataType.FLOAT32, 16 * GIB, 141 * GIB).fits(), "an H200 holds it in float32");
    }

    @Test
    void anUnknownDeviceSizeIsNotChecked() {
        assertTrue(plan(DataType.FLOAT32, 2 * GIB, 0).fits());
        assertTrue(plan(DataType.FLOAT32, 2 * GIB, 0).describe().contains("unknown memory"));
    }

    @Test
    void theCpuReportsTheMachinesMemory() {
        assertTrue(MemoryPlan.deviceMemory(Device.cpu()) > GIB);
    }
}

package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void autoIsHalfOnAGpuAndFloat32OnTheCpu() {
        assertEquals(DataType.FLOAT16, Precision.resolve("auto", Device.gpu()));
        assertEquals(DataType.FLOAT32, Precision.resolve("auto", Device.cpu()));
        assertEquals(DataType.FLOAT32, Precision.resolve(null, Device.cpu()));
        assertEquals(DataType.FLOAT16, Precision.resolve(" Float16 ", Device.cpu()));
        assertEquals(DataType.FLOAT32, Precision.resolve("float32", Device.gpu()));
    }

    @Test
    void bfloat16ComputeIsRefusedSayingWhyAndWhatToUse() {
        var e = assertThrows(IllegalArgumentException.class, () -> Precision.resolve("bfloat16", Device.gpu()));
        assertTrue(e.getMessage().contains("no bfloat16 tensors") && e.getMessage().contains("float16"), e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Precision.resolve("int8", Device.cpu()));
        assertTrue(unknown.getMessage().contains("auto, float16 or float32"), unknown.getMessage());
    }

    @Test
    void weightBytesFollowThePrecision() {
        ModelConfig c = InternLm3Shapes.EIGHT_B;
        assertEquals(c.parameterCount() * 2, Precision.weightBytes(c, DataType.FLOAT16));
        assertEquals(c.parameterCount() * 4, Precision.weightBytes(c, DataType.FLOAT32));
    }
}

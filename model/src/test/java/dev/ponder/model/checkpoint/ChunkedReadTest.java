package dev.ponder.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.Weights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A tensor too big for one float32 buffer (InternLM3-8B's embedding and head, 2.1 GB each) is read in row blocks
 * and joined: the same weights as one read, in float32 and in float16.
 */
class ChunkedReadTest {

    @Test
    void rowBlocksGiveTheSameWeightsAsOneRead() {
        Path dir = Path.of("src/test/resources/models/internlm3-tiny");
        ModelConfig c = HfConfig.read(dir.resolve("config.json"));
        long saved = WeightsLoader.chunkBytes;
        try (NDManager m = NDManager.newBaseManager()) {
            for (DataType dtype : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                WeightsLoader.chunkBytes = 1L << 30;
                Weights whole = WeightsLoader.load(dir, c, m, dtype);
                WeightsLoader.chunkBytes = 1000;   // a few rows per block; the embedding of 64-wide rows in many
                Weights blocks = WeightsLoader.load(dir, c, m, dtype);
                assertArrayEquals(whole.embed().toType(DataType.FLOAT32, false).toFloatArray(),
                        blocks.embed().toType(DataType.FLOAT32, false).toFloatArray(), dtype + " embedding");
                assertArrayEquals(whole.layers().get(0).wGateUp().toType(DataType.FLOAT32, false).toFloatArray(),
                        blocks.layers().get(0).wGateUp().toType(DataType.FLOAT32, false).toFloatArray(), dtype + " gate/up");
                assertArrayEquals(whole.lmHead().toType(DataType.FLOAT32, false).toFloatArray(),
                        blocks.lmHead().toType(DataType.FLOAT32, false).toFloatArray(), dtype + " head");
            }
        } finally {
            WeightsLoader.chunkBytes = saved;
        }
    }
}

package dev.ponder.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.model.ForwardBatch;
import dev.ponder.model.HfConfig;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.SequenceInput;
import dev.ponder.model.checkpoint.CheckpointWriter;
import dev.ponder.model.checkpoint.WeightsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random weights in real models' shapes: the tensors a real checkpoint holds, and a 1B one loads and runs. */
class RandomCheckpointTest {

    @Test
    void theShapesAreThoseOfTheTrainersExport() {
        for (String dir : List.of("../model/src/test/resources/models/internlm3-tiny", "../model/src/test/resources/golden/qwen2-bias")) {
            ModelConfig c = HfConfig.read(Path.of(dir, "config.json"));
            try (NDManager m = NDManager.newBaseManager()) {
                var written = CheckpointWriter.tensors(c, WeightsLoader.load(Path.of(dir), c, m, DataType.FLOAT32));
                Map<String, long[]> shapes = CheckpointWriter.shapes(c);
                assertEquals(List.copyOf(written.keySet()), List.copyOf(shapes.keySet()), dir);
                written.forEach((name, t) -> assertArrayEquals(t.shape(), shapes.get(name), dir + " " + name));
            }
        }
    }

    @Test
    void theEightBillionShapeHoldsItsParametersInShardsOfAtMostFourGibibytes() {
        ModelConfig c = ModelShapes.INTERNLM3_8B;
        Map<String, long[]> shapes = CheckpointWriter.shapes(c);
        long elements = shapes.values().stream().mapToLong(s -> s.length == 1 ? s[0] : s[0] * s[1]).sum();
        assertEquals(c.parameterCount(), elements);
        assertEquals(8.8e9, elements, 0.05e9);
        var shards = RandomCheckpoint.shards(shapes, 2);
        assertEquals(5, shards.size());
        for (var shard : shards) {
            long bytes = shard.values().stream().mapToLong(s -> 2 * (s.length == 1 ? s[0] : s[0] * s[1])).sum();
            assertTrue(bytes <= RandomCheckpoint.SHARD_BYTES, bytes + " bytes");
        }
        assertEquals(shapes.size(), shards.stream().mapToInt(Map::size).sum());
    }

    /** The 1B shape end to end on the CPU: written (2.5 GB), loaded in float16 and float32 is not needed, one pass. */
    @Test
    void aOneBillionParameterCheckpointLoadsAndRunsOnePass(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("random-1b");
        long bytes = RandomCheckpoint.write(dir, ModelShapes.LLAMA_1B, "F16", 7, false);
        assertEquals(2 * ModelShapes.LLAMA_1B.parameterCount(), bytes);
        try (LanguageModel lm = LanguageModel.load(dir, DataType.FLOAT16)) {
            assertEquals(ModelShapes.LLAMA_1B, lm.config());
            int[] ids = lm.encodePrompt(lm.renderChat(List.of(dev.ponder.model.tokenizer.ChatMessage.user("Use 1 2 3 4"))));
            float[] logits;
            try (NDManager scope = lm.manager().newSubManager()) {
                logits = lm.transformer().forward(scope, new ForwardBatch(List.of(SequenceInput.uncached(ids)),
                        ForwardBatch.Logits.LAST), null).toType(DataType.FLOAT32, false).toFloatArray();
            }
            assertEquals(ModelShapes.LLAMA_1B.vocabSize(), logits.length);
            for (float v : logits) {
                assertTrue(Float.isFinite(v), "finite logits");
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            }
        }
    }
}

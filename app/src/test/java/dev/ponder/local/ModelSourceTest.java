package dev.ponder.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ponder.model.ModelConfig;
import dev.ponder.model.ModelException;
import dev.ponder.model.RopeScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourceTest {

    private static final Path FIXTURE = Path.of("../model/src/test/resources/models/internlm3-tiny");

    @Test
    void extractsACheckpointFromTheClassPathShardsIncluded(@TempDir Path target) throws IOException {
        ModelSource.extract(getClass().getClassLoader(), "models/internlm3-tiny", target);
        try (Stream<Path> files = Files.list(FIXTURE)) {
            for (Path f : files.toList()) {
                Path copy = target.resolve(f.getFileName());
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), f.getFileName().toString());
            }
        }
    }

    @Test
    void anUnsetPathServesTheEmbeddedModelUnderItsOwnName() {
        Path dir = ModelSource.resolve(Optional.empty(), "models/internlm3-tiny/");
        assertEquals("internlm3-tiny", dir.getFileName().toString(), "the directory name becomes the model's name");
        assertEquals(true, Files.isRegularFile(dir.resolve("config.json")));
        assertEquals(true, Files.isRegularFile(dir.resolve("model-00002-of-00002.safetensors")));
    }

    @Test
    void aMissingEmbeddedModelSaysWhatToConfigure(@TempDir Path target) {
        var e = assertThrows(ModelException.class,
                () -> ModelSource.extract(getClass().getClassLoader(), "models/nothing-here", target));
        assertEquals(true, e.getMessage().contains("PONDER_MODEL_PATH"), e.getMessage());
    }

    @Test
    void aConfiguredPathMustBeADirectory() {
        assertThrows(ModelException.class, () -> ModelSource.resolve(Optional.of(Path.of("no/such/dir")), "x"));
        assertEquals(FIXTURE.toAbsolutePath(), ModelSource.resolve(Optional.of(FIXTURE), "x"));
    }

    @Test
    void contextStretchesWithLinearAndDynamicRope() {
        assertEquals(384, Served.contextOf(config(64, RopeScaling.dynamic(6.0))));
        assertEquals(128, Served.contextOf(config(64, RopeScaling.linear(2.0))));
        assertEquals(64, Served.contextOf(config(64, RopeScaling.NONE)));
    }

    private static ModelConfig config(int positions, RopeScaling scaling) {
        return new ModelConfig("LlamaForCausalLM", 100, 8, 16, 1, 2, 1, 4, 1e-5, 10000, scaling, positions,
                false, false, false, false);
    }
}

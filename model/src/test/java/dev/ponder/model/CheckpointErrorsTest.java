package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken checkpoint ends with one clear message naming the file and the field, never a JVM abort. */
class CheckpointErrorsTest {

    static final Path GOOD = Path.of("src/test/resources/models/internlm3-tiny");

    static Path copy(Path dir) throws Exception {
        try (var files = Files.list(GOOD)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should name " + p);
        }
    }

    @Test
    void unknownArchitecture(@TempDir Path dir) throws Exception {
        copy(dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("InternLM3ForCausalLM", "MambaForCausalLM"));
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)),
                "config.json", "architectures", "MambaForCausalLM", "LlamaForCausalLM");
    }

    @Test
    void missingConfig(@TempDir Path dir) throws Exception {
        copy(dir);
        Files.delete(dir.resolve("config.json"));
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)), "config.json", "missing");
    }

    @Test
    void malformedConfig(@TempDir Path dir) throws Exception {
        copy(dir);
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": ");
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)), "config.json", "malformed");
    }

    @Test
    void wrongFieldType(@TempDir Path dir) throws Exception {
        copy(dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : \"two\""));
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)), "config.json", "num_hidden_layers");
    }

    @Test
    void missingShard(@TempDir Path dir) throws Exception {
        copy(dir);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)),
                "model.safetensors.index.json", "model-00002-of-00002.safetensors");
    }

    @Test
    void missingTensorAndWrongShape(@TempDir Path dir) throws Exception {
        copy(dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"intermediate_size\" : 160", "\"intermediate_size\" : 128"));
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)), "mlp.gate_proj.weight", "shape");
    }

    @Test
    void truncatedSafetensors(@TempDir Path dir) throws Exception {
        copy(dir);
        Path shard = dir.resolve("model-00001-of-00002.safetensors");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length / 2));
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(dir)), "model-00001-of-00002.safetensors");
    }

    @Test
    void notADirectory() {
        assertMessage(assertThrows(ModelException.class, () -> LanguageModel.load(Path.of("/nonexistent/model"))),
                "/nonexistent/model");
    }
}

package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ponder.model.checkpoint.WeightsLoader;
import dev.ponder.model.tokenizer.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint in InternLM3's own format, generated here, loads through the ordinary path. */
class InternLm3FormatTest {

    @Test
    void loadsShardedBf16SentencePieceCheckpoint(@TempDir Path dir) throws Exception {
        InternLm3Fixture.write(dir, 3);
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        assertTrue(Files.exists(dir.resolve("model-00002-of-00002.safetensors")));
        try (LanguageModel lm = LanguageModel.load(dir)) {
            ModelConfig c = lm.config();
            assertEquals("InternLM3ForCausalLM", c.architecture());
            assertEquals(RopeScaling.Type.DYNAMIC, c.ropeScaling().type());
            assertEquals(6.0, c.ropeScaling().factor());
            assertEquals(List.of(2, 641), lm.generation().eosIds());
            String prompt = lm.renderChat(List.of(ChatMessage.user("What is 5^10?")));
            assertEquals("<s><|im_start|>user\nWhat is 5^10?<|im_end|>\n<|im_start|>assistant\n", prompt);
            int[] ids = lm.encodePrompt(prompt);
            assertEquals(1, ids[0], "bos once");
            assertEquals(640, ids[1], "<|im_start|> is one added token");
            assertEquals(prompt, lm.tokenizer().decode(ids));
            // greedy decoding through the KV cache runs past max_position_embeddings (dynamic NTK)
            var out = new Generator(lm.transformer(), lm.manager()).generate(List.of(ids), 60, SamplingParams.greedy(), null);
            assertEquals(60, out.get(0).tokens().length);
        }
    }

    @Test
    void committedCopyMatchesTheGenerator(@TempDir Path dir) throws Exception {
        InternLm3Fixture.write(dir, 3);
        Path committed = Path.of("src/test/resources/models/internlm3-tiny");
        for (String f : List.of("config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors", "tokenizer_config.json", "generation_config.json", "tokenizer.model")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(committed.resolve(f)), f);
        }
        // and bf16 storage is widened exactly: the same values as reading the shards as float32 by hand
        try (NDManager m = NDManager.newBaseManager()) {
            Weights w = WeightsLoader.load(committed, InternLm3Fixture.config(), m, ai.djl.ndarray.types.DataType.FLOAT32);
            float[] norm = w.finalNorm().toFloatArray();
            for (float v : norm) {
                assertEquals(0, Float.floatToRawIntBits(v) & 0xffff, "bf16 values have empty low mantissa bits");
            }
        }
    }
}

package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.checkpoint.WeightsLoader;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.tasks.TaskExample;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported checkpoint is an ordinary one for ponder's model loader: tokenizer, template, eos, profile, names. */
class CheckpointFormatTest {

    @Test
    void languageModelLoadsTheExportWithTheTrainingFormat(@TempDir Path dir) throws Exception {
        CharTokenizer tok = TinyRun.tokenizer();
        TrainConfig cfg = TinyRun.config(dir.resolve("out"), dir.resolve("state"), 1);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Trainer t = new Trainer(cfg, tok, TinyRun.batches(tok, cfg), m, null);
            HfExport.write(cfg.outDir(), t.modelConfig(), t.weights(), tok, "F16");
        }
        assertEquals(Set.of("model.embed_tokens.weight", "model.norm.weight", "model.layers.0.self_attn.q_proj.weight",
                        "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
                        "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
                        "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
                        "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight"),
                Set.copyOf(WeightsLoader.entries(cfg.outDir()).keySet().stream().filter(n -> !n.contains("layers.1.")).toList()));
        try (LanguageModel lm = LanguageModel.load(cfg.outDir())) {
            for (TaskExample e : TinyRun.DATA) {
                String user = e.user();
                String rendered = lm.renderChat(List.of(ChatMessage.user(user)));
                assertEquals(ChatFormat.prompt(user), rendered);
                String[] parts = TokenizedExample.render(e);
                assertArrayEquals(tok.encode(parts[0] + parts[1]), lm.tokenizer().encode(parts[0] + parts[1]));
                assertArrayEquals(tok.encode(rendered), lm.encodePrompt(rendered));
            }
            assertTrue(lm.generation().isEos(tok.id(ChatFormat.IM_END)));
            assertEquals(tok.id(ChatFormat.IM_END), lm.tokenizer().eosId());
            assertEquals(ChatFormat.SELF_CHECK_SUFFIX, lm.profile().selfCheckSuffix());
            assertEquals("\n", lm.profile().stepDelimiter());
            assertNull(lm.profile().systemPrompt());
            assertEquals("yes", lm.profile().yes());
        }
    }
}

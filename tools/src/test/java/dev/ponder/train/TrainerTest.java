package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.model.ForwardBatch;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.SequenceInput;
import dev.ponder.model.Transformer;
import dev.ponder.model.checkpoint.WeightsLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a 2-layer d=32 model and eight fixed examples. */
class TrainerTest {

    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void lossDropsWellBelowTheInitialLoss(@TempDir Path dir) throws Exception {
        CharTokenizer tok = TinyRun.tokenizer();
        TrainConfig cfg = TinyRun.config(dir.resolve("out"), dir.resolve("state"), 80);
        try (NDManager m = manager.newSubManager()) {
            Trainer t = new Trainer(cfg, tok, TinyRun.batches(tok, cfg), m, null);
            double initial = t.validationLoss();
            assertEquals(Math.log(tok.vocabSize()), initial, 0.5, "an untrained model is near uniform");
            t.run(null);
            double last = t.validationLoss();
            assertTrue(last < 0.5 * initial, "validation loss " + initial + " -> " + last);
            assertTrue(t.history().get(79).trainLoss() < 0.5 * t.history().get(0).trainLoss(), "train loss drops");
        }
    }

    @Test
    void writtenCheckpointLoadsAndGivesTheSameLogits(@TempDir Path dir) throws Exception {
        CharTokenizer tok = TinyRun.tokenizer();
        TrainConfig cfg = TinyRun.config(dir.resolve("out"), dir.resolve("state"), 2);
        try (NDManager m = manager.newSubManager()) {
            Trainer t = new Trainer(cfg, tok, TinyRun.batches(tok, cfg), m, null);
            t.run(null);
            int[] ids = tok.encode(ChatFormat.prompt("Use 4 9 10 13 to make 24.") + "13 - 9 = 4");
            float[] expected = logits(t.transformer(), ids, m);
            for (String storage : List.of("F32", "F16", "BF16")) {
                Path out = dir.resolve("hf-" + storage);
                HfExport.write(out, t.modelConfig(), t.weights(), tok, storage);
                ModelConfig c = HfConfig.read(out.resolve("config.json"));
                assertEquals(t.modelConfig(), c, "config.json round-trips through HfConfig");
                try (NDManager s = m.newSubManager()) {
                    Transformer loaded = new Transformer(c, WeightsLoader.load(out, c, s, DataType.FLOAT32));
                    float[] actual = logits(loaded, ids, s);
                    double tolerance = switch (storage) {
                        case "F32" -> 1e-5;
                        case "F16" -> 2e-2;
                        default -> 1e-1;
                    };
                    double err = maxAbsDiff(expected, actual);
                    assertTrue(err <= tolerance, storage + ": max abs logit difference " + err);
                }
            }
        }
    }

    @Test
    void resumedRunContinuesExactlyAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        CharTokenizer tok = TinyRun.tokenizer();
        TrainConfig full = TinyRun.config(dir.resolve("out"), dir.resolve("a"), 8);
        TrainConfig half = TinyRun.config(dir.resolve("out"), dir.resolve("b"), 8).with("--stopAfter=5");
        try (NDManager m = manager.newSubManager()) {
            Trainer a = new Trainer(full, tok, TinyRun.batches(tok, full), m, null);
            a.run(null);
            Trainer b1 = new Trainer(half, tok, TinyRun.batches(tok, half), m, null);
            b1.run(null);
            assertEquals(5, b1.step());
            TrainState.Saved saved = TrainState.load(half.stateDir());
            TrainConfig resumed = TrainConfig.fromMap(saved.config()).with("--stopAfter=0");
            Trainer b2 = new Trainer(resumed, saved.tokenizer(), TinyRun.batches(saved.tokenizer(), resumed), m, saved);
            b2.run(null);
            assertEquals(8, b2.step());
            for (int k = 0; k < 8; k++) {
                assertEquals(a.history().get(k).trainLoss(), b2.history().get(k).trainLoss(), 1e-5, "loss at step " + (k + 1));
            }
            assertEquals(a.validationLoss(), b2.validationLoss(), 1e-5);
        }
    }

    static float[] logits(Transformer model, int[] ids, NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            return model.forward(scope, new ForwardBatch(List.of(SequenceInput.uncached(ids)), ForwardBatch.Logits.ALL), null)
                    .toFloatArray();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}

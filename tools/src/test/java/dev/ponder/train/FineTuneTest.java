package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ponder.model.ModelConfig;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.SelfChecks;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning mode: weights read back from a checkpoint, and mined self-checks mixed into the batches. */
class FineTuneTest {

    @Test
    void aCheckpointReadsBackToTheTrainersParameters(@TempDir Path dir) throws Exception {
        CharTokenizer tok = TinyRun.tokenizer();
        TrainConfig cfg = TinyRun.config(dir.resolve("out"), dir.resolve("state"), 1);
        ModelConfig c = TinyLlama.config(cfg, tok.vocabSize());
        Map<String, float[]> p = TinyLlama.init(c, 11);
        HfExport.write(dir.resolve("out"), c, p, tok, "F32");
        Map<String, float[]> back = HfExport.read(dir.resolve("out"), c);
        assertEquals(p.keySet(), back.keySet());
        p.forEach((k, v) -> assertArrayEquals(v, back.get(k), 0f, k));
    }

    @Test
    void aFineTuneStartsAtTheCheckpointsLoss(@TempDir Path dir) throws Exception {
        CharTokenizer tok = TinyRun.tokenizer();
        TrainConfig cfg = TinyRun.config(dir.resolve("out"), dir.resolve("state"), 10);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Trainer first = new Trainer(cfg, tok, TinyRun.batches(tok, cfg), manager, null);
            first.run(null);
            HfExport.write(cfg.outDir(), first.modelConfig(), first.weights(), tok, "F32");
            double trained = first.validationLoss();
            TrainConfig ft = cfg.with("--init=" + cfg.outDir(), "--stateDir=" + dir.resolve("ft-state"));
            Trainer second = new Trainer(ft, tok, TinyRun.batches(tok, ft), manager, null,
                    HfExport.read(cfg.outDir(), first.modelConfig()));
            assertEquals(trained, second.validationLoss(), 1e-5);
            double fresh = new Trainer(cfg, tok, TinyRun.batches(tok, cfg), manager, null).validationLoss();
            assertTrue(trained < fresh, trained + " vs " + fresh);
        }
    }

    @Test
    void minedExamplesTakeTheirShareOfEveryBatchDeterministically() {
        CharTokenizer tok = CharTokenizer.build(Batches.vocabularyTexts(new TaskDatasets(0), 300, 1));
        List<SelfCheckExample> mined = List.of(new SelfCheckExample("Use 1 2 3 4 to make 24.", "1 + 2 = 3 (left: 3 3 4)\n", true));
        Batches b = Batches.withMined(new TaskDatasets(0), mined, 0.3, tok, 5, 20_000, 4);
        int total = 0;
        int fromMined = 0;
        int[] expect = TokenizedExample.of(mined.get(0), tok).tokens();
        for (int step = 0; step < 3; step++) {
            List<TokenizedExample> batch = b.train(step);
            List<TokenizedExample> again = b.train(step);
            assertEquals(batch.size(), again.size());
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(batch.get(i).tokens(), again.get(i).tokens());
                fromMined += java.util.Arrays.equals(batch.get(i).tokens(), expect) ? 1 : 0;
                total++;
            }
        }
        double share = fromMined / (double) total;
        assertTrue(share > 0.2 && share < 0.4, "share " + share);
        TrainConfig c = TrainConfig.defaults().with("--init=/x", "--mined=/y.jsonl", "--minedShare=0.25");
        assertEquals(c, TrainConfig.fromMap(c.asMap()));
        Map<String, String> old = TrainConfig.defaults().asMap();
        old.remove("init");
        old.remove("mined");
        old.remove("minedShare");
        old.remove("mix");
        // states saved before fine-tuning and the mix setting existed: no mined data, the first run's mix
        assertEquals(TrainConfig.defaults().with("--mix=" + TrainConfig.FIRST_MIX), TrainConfig.fromMap(old));
    }

    @Test
    void aFifthProportionDrawsStateValues() {
        assertEquals(new TaskDatasets.Mix(0.3, 0.1, 0.07, 0.05, 0.48),
                TrainConfig.defaults().with("--mix=0.3,0.1,0.07,0.05,0.48").taskMix());
        TaskDatasets data = new TaskDatasets(0);
        int values = 0;
        for (TaskExample e : data.mixture(TaskDatasets.Split.TRAIN, new TaskDatasets.Mix(0, 0, 0, 0, 1), 200, 9)) {
            SelfCheckExample c = assertInstanceOf(SelfCheckExample.class, e);
            // one valid step after a correct prefix: the label is whether 24 can still be made
            assertEquals(SelfChecks.label(c.user(), c.chainSoFar()), c.correct());
            values++;
        }
        assertEquals(200, values);
    }

    @Test
    void theMixSetsTheTrainingStreamAndLeavesValidationAlone() {
        TaskDatasets data = new TaskDatasets(0);
        CharTokenizer tok = CharTokenizer.build(Batches.vocabularyTexts(data, 300, 1));
        TrainConfig onlyChains = TrainConfig.defaults().with("--mix=1,0,0,0");
        assertEquals(new TaskDatasets.Mix(1, 0, 0, 0), onlyChains.taskMix());
        Batches chains = Batches.of(data, onlyChains.taskMix(), tok, 5, 8_000, 16);
        Batches usual = Batches.of(data, tok, 5, 8_000, 16);
        for (TokenizedExample e : chains.train(0)) {
            String text = tok.decode(e.tokens());
            assertTrue(text.contains("to make 24.") && !text.contains("check"), text);
        }
        assertEquals(usual.validation().size(), chains.validation().size());
        for (int i = 0; i < usual.validation().size(); i++) {
            for (int j = 0; j < usual.validation().get(i).size(); j++) {
                assertArrayEquals(usual.validation().get(i).get(j).tokens(), chains.validation().get(i).get(j).tokens());
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with("--mix=1,0").taskMix());
    }
}

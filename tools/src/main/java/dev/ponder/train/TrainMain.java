package dev.ponder.train;

import ai.djl.ndarray.NDManager;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.progress.ProgressBar;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.TaskDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains ponder-tiny: {@code TrainMain [--resume] [--name=value ...]} (names of {@link TrainConfig}).
 * Fresh runs build the character vocabulary from the task data; {@code --resume} continues from the state
 * in stateDir. {@code --init=<checkpoint>} fine-tunes that checkpoint instead of starting from random weights,
 * usually with {@code --mined=<file> --minedShare=0.3} (self-checks on the model's own chains, from
 * {@link SelfCheckMining}) and a short, low schedule. At the end writes the Hugging Face checkpoint to outDir, reloads it and samples from it.
 */
public final class TrainMain {

    private TrainMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean resume = false;
        List<String> overrides = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--resume")) {
                resume = true;
            } else {
                overrides.add(a);
            }
        }
        TrainConfig cfg = TrainConfig.defaults().with(overrides.toArray(String[]::new));
        TrainState.Saved state = null;
        CharTokenizer tok;
        if (resume && TrainState.exists(cfg.stateDir())) {
            state = TrainState.load(cfg.stateDir());
            // the saved run's config wins, except for how far to go and where to write
            cfg = TrainConfig.fromMap(state.config()).with(overrides.toArray(String[]::new));
            tok = state.tokenizer();
            System.err.println("resuming " + cfg.stateDir() + " at step " + state.step());
        } else {
            tok = null;
        }
        java.util.Map<String, float[]> initial = null;
        if (state == null && cfg.fineTune()) {
            // fine-tuning: the checkpoint's architecture, tokenizer and weights; fresh optimizer and schedule
            Path init = Path.of(cfg.init());
            ModelConfig c = HfConfig.read(init.resolve("config.json"));
            cfg = cfg.with("--dModel=" + c.hiddenSize(), "--layers=" + c.numLayers(), "--heads=" + c.numHeads(),
                    "--kvHeads=" + c.numKvHeads(), "--intermediate=" + c.intermediateSize());
            tok = CharTokenizer.read(init.resolve("tokenizer.json"));
            initial = HfExport.read(init, TinyLlama.config(cfg, tok.vocabSize()));
            System.err.println("fine-tuning from " + init);
        }
        TaskDatasets data = new TaskDatasets(cfg.dataSeed());
        if (tok == null) {
            tok = CharTokenizer.build(Batches.vocabularyTexts(data, 20_000, cfg.seed()));
        }
        System.err.println("config " + cfg.asMap());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            List<SelfCheckExample> mined = cfg.mined().isBlank() ? List.of() : SelfCheckMining.read(Path.of(cfg.mined()));
            if (!mined.isEmpty()) {
                System.err.printf("mixing %d mined self-checks at share %.2f%n", mined.size(), cfg.minedShare());
            }
            Batches batches = Batches.withMined(data, cfg.taskMix(), mined, cfg.minedShare(), tok, cfg.seed(), cfg.batchTokens(),
                    cfg.evalExamples());
            Trainer trainer = new Trainer(cfg, tok, batches, manager, state, initial);
            System.err.printf("model: %,d parameters, vocabulary %d%n", trainer.modelConfig().parameterCount(), tok.vocabSize());
            trainer.run(new ProgressBar(System.err, 10));
            if (trainer.step() < cfg.steps()) {
                System.err.println("stopped at step " + trainer.step() + "; continue with --resume");
                return;
            }
            HfExport.write(cfg.outDir(), trainer.modelConfig(), trainer.weights(), tok, cfg.storage());
            Files.copy(cfg.stateDir().resolve("history.csv"), cfg.stateDir().resolve("history-final.csv"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.err.printf("wrote %s (%,d bytes of weights)%n", cfg.outDir(),
                    Files.size(cfg.outDir().resolve("model.safetensors")));
            if (cfg.samplePuzzles() > 0) {
                Evaluate.Report r = Evaluate.run(cfg.outDir(), data, cfg.samplePuzzles(), 200, manager);
                r.samples().forEach(System.err::println);
                System.err.println(r);
            }
        }
    }

    static Path path(String s) {
        return Path.of(s);
    }
}

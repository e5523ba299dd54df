package dev.ponder.train;

import ai.djl.ndarray.NDManager;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.progress.ProgressBar;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Trains ponder-tiny: {@code TrainMain [--resume] [--name=value ...]} (names of {@link TrainConfig}).
 * Fresh runs build the character vocabulary from the task data; {@code --resume} continues from the state
 * in stateDir. {@code --init=<checkpoint>} fine-tunes that checkpoint instead of starting from random weights,
 * usually with {@code --mined=<file> --minedShare=0.3} (self-checks on the model's own chains, from
 * {@link SelfCheckMining}) and a short, low schedule. At the end writes the Hugging Face checkpoint to outDir, reloads it and samples from it.
 *
 * <p>Every field of {@link TrainConfig} is an option of the command line ({@link #commandLine}); the values given
 * are passed, in their order, to {@link TrainConfig#with} as {@code --name=value}, which parses them.
 */
@Command(name = "TrainMain", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "TrainMain [-hV] [--resume] [--<field>=<value>...]",
        description = {"Trains ponder-tiny (or fine-tunes a checkpoint with --init), then writes, reloads and samples it.",
                "Every field of TrainConfig can be overridden as --<field>=<value>; the defaults are the shipped run's."})
public final class TrainMain implements Callable<Integer> {

    /** The help line of each {@link TrainConfig} field (its javadoc, shortened). */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("dModel", "model width d"),
            Map.entry("layers", "decoder blocks"),
            Map.entry("heads", "query heads"),
            Map.entry("kvHeads", "key/value heads (grouped-query attention)"),
            Map.entry("intermediate", "SwiGLU width"),
            Map.entry("steps", "optimizer steps"),
            Map.entry("batchTokens", "examples are added to a batch until it holds at least this many tokens"),
            Map.entry("lr", "peak learning rate"),
            Map.entry("minLr", "floor of the cosine decay"),
            Map.entry("warmup", "linear warmup steps"),
            Map.entry("weightDecay", "decoupled weight decay on matrices (AdamW)"),
            Map.entry("beta1", "AdamW first-moment decay"),
            Map.entry("beta2", "AdamW second-moment decay"),
            Map.entry("gradClip", "global gradient-norm clip (0 disables)"),
            Map.entry("evalInterval", "steps between validation losses and state checkpoints"),
            Map.entry("evalExamples", "validation examples per evaluation"),
            Map.entry("samplePuzzles", "validation puzzles greedy-decoded at the end (0 skips)"),
            Map.entry("seed", "initialization and batch order"),
            Map.entry("dataSeed", "the TaskDatasets seed that fixes the train/validation split"),
            Map.entry("stopAfter", "stop (resumably) after this step though the schedule runs to steps; 0 runs all"),
            Map.entry("outDir", "the Hugging Face checkpoint written at the end"),
            Map.entry("stateDir", "resumable trainer state, written every evalInterval"),
            Map.entry("storage", "safetensors dtype of the exported weights: F32, F16 or BF16"),
            Map.entry("init", "fine-tuning: the checkpoint a fresh run starts from (its architecture wins); empty: random"),
            Map.entry("mined", "fine-tuning: a JSON-lines file mixed in: mined self-checks (SelfCheckMining) or own solutions (OwnSolutions); empty: none"),
            Map.entry("minedShare", "the share of training examples drawn from mined"),
            Map.entry("mix", "proportions of 24 chains, 24 self-checks, arithmetic chains, arithmetic self-checks"
                    + "[, 24 state values[, 24 whole chains[, 24 answers rechecked[, 24 board slips]]]], comma-separated"));

    @Option(names = "--resume", description = "continue the run saved in stateDir (its config wins, except the fields given)")
    private boolean resume;

    @Spec
    private CommandSpec spec;

    /** The {@code --name=value} overrides, in the order given. */
    private final List<String> overrides = new ArrayList<>();

    private TrainMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line: {@code --resume} and one option per {@link TrainConfig} field, collected into {@link #overrides}. */
    static CommandLine commandLine() {
        TrainMain command = new TrainMain();
        CommandSpec cmd = CommandSpec.forAnnotatedObject(command);
        Map<String, String> defaults = TrainConfig.defaults().asMap();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            String name = c.getName();
            ISetter collect = new ISetter() {
                @Override
                public <T> T set(T value) {
                    if (value != null) {    // picocli resets every option to its initial value (none) first
                        command.overrides.add("--" + name + "=" + value);
                    }
                    return null;
                }
            };
            String what = FIELDS.getOrDefault(name, "see TrainConfig");
            cmd.addOption(OptionSpec.builder("--" + name).type(String.class).paramLabel(label(c.getType()))
                    .description(what + " (default: " + (defaults.get(name).isEmpty() ? "empty" : defaults.get(name)) + ")")
                    .setter(collect).build());
        }
        // as before, a field given twice takes the last value
        return new CommandLine(cmd).setOverwrittenOptionsAllowed(true);
    }

    private static String label(Class<?> type) {
        if (type == int.class || type == long.class) {
            return "<int>";
        }
        if (type == double.class) {
            return "<number>";
        }
        return type == Path.class ? "<path>" : "<text>";
    }

    @Override
    public Integer call() throws Exception {
        for (String o : overrides) {     // a value that does not parse as its field's type is a usage error
            try {
                TrainConfig.defaults().with(o);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value " + o + ": " + e.getMessage(), e, null, o);
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
        Map<String, float[]> initial = null;
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
            List<TaskExample> mined = cfg.mined().isBlank() ? List.of() : OwnSolutions.read(Path.of(cfg.mined()));
            if (!mined.isEmpty()) {
                System.err.printf("mixing %d examples of %s at share %.2f%n", mined.size(), cfg.mined(), cfg.minedShare());
            }
            Batches batches = Batches.withMined(data, cfg.taskMix(), mined, cfg.minedShare(), tok, cfg.seed(), cfg.batchTokens(),
                    cfg.evalExamples());
            Trainer trainer = new Trainer(cfg, tok, batches, manager, state, initial);
            System.err.printf("model: %,d parameters, vocabulary %d%n", trainer.modelConfig().parameterCount(), tok.vocabSize());
            if (state == null && initial != null) {
                kindLosses("starting", trainer, data, cfg.taskMix(), mined, cfg.seed());
            }
            trainer.run(new ProgressBar(System.err, 10));
            if (trainer.step() < cfg.steps()) {
                System.err.println("stopped at step " + trainer.step() + "; continue with --resume");
                return 0;
            }
            kindLosses("final", trainer, data, cfg.taskMix(), mined, cfg.seed());
            // a model trained on answer rechecks recomputes before its verdict: its checks may write first
            // and a model trained on fresh-context answer checks is asked them in their words
            HfExport.write(cfg.outDir(), trainer.modelConfig(), trainer.weights(), tok, cfg.storage(),
                    cfg.taskMix().game24Answers() > 0 ? ChatFormat.CHECK_REASONING_TOKENS : 0,
                    mined.stream().anyMatch(AnswerChecks::isCheck) ? AnswerChecks.PROFILE : null);
            Files.copy(cfg.stateDir().resolve("history.csv"), cfg.stateDir().resolve("history-final.csv"),
                    StandardCopyOption.REPLACE_EXISTING);
            System.err.printf("wrote %s (%,d bytes of weights)%n", cfg.outDir(),
                    Files.size(cfg.outDir().resolve("model.safetensors")));
            if (cfg.samplePuzzles() > 0) {
                Evaluate.Report r = Evaluate.run(cfg.outDir(), data, cfg.samplePuzzles(), 200, manager);
                r.samples().forEach(System.err::println);
                System.err.println(r);
            }
        }
        return 0;
    }

    /**
     * The loss on each kind of item a run draws: 32 VALIDATION items of each kind with a share above 0 (the mined
     * file's first 32 too). Printed at the start of a fine-tune and at the end of every run, so a run shows what it did
     * to each kind; the run's validation loss is in the first run's mix, whatever this run draws. At the start, a kind
     * the checkpoint never learned (a data format changed since it was trained) has a loss of several nats a token; its
     * gradients then dominate the first steps, so it is called out.
     */
    static void kindLosses(String when, Trainer trainer, TaskDatasets data, TaskDatasets.Mix mix, List<TaskExample> mined,
                           long seed) {
        Map<String, Double> losses = new LinkedHashMap<>();
        double[] shares = mix.shares();
        for (int k = 0; k < shares.length; k++) {
            if (shares[k] > 0) {
                losses.put(TaskDatasets.Mix.KINDS.get(k), trainer.meanLoss(data.mixture(TaskDatasets.Split.VALIDATION,
                        TaskDatasets.Mix.only(k), 32, seed ^ 0x1057L)));
            }
        }
        if (!mined.isEmpty()) {
            losses.put("mined (training items)", trainer.meanLoss(mined.subList(0, Math.min(32, mined.size()))));
        }
        boolean start = when.equals("starting");
        losses.forEach((kind, loss) -> System.err.printf("%s loss on %s: %.3f%s%n", when, kind, loss,
                start && loss > UNLEARNED_LOSS ? "  <- not learned by the checkpoint: its gradients will dominate the first"
                        + " steps (a data format newer than the checkpoint?); consider --mix without it" : ""));
    }

    /** A starting loss per token above this marks a kind of item the checkpoint has not learned. */
    static final double UNLEARNED_LOSS = 1.0;

    static Path path(String s) {
        return Path.of(s);
    }
}

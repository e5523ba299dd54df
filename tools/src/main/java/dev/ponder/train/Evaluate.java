package dev.ponder.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.model.ForwardBatch;
import dev.ponder.model.Generator;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.SamplingParams;
import dev.ponder.model.SequenceInput;
import dev.ponder.model.Transformer;
import dev.ponder.model.checkpoint.WeightsLoader;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Game24Checker;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.TaskDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Samples from a written checkpoint, loaded the ordinary way (HfConfig + WeightsLoader): greedy chains for
 * validation Game-of-24 puzzles scored by the exact checker, and self-check accuracy (is "yes" more likely
 * than "no" exactly when the chain so far is right?) on validation self-check examples:
 * {@code bin/run dev.ponder.train.Evaluate [checkpoint-dir] [puzzles] [self-checks]}.
 */
@Command(name = "Evaluate", mixinStandardHelpOptions = true,
        description = "Greedy Game-of-24 chains and self-check accuracy of a written checkpoint on validation data.")
public final class Evaluate implements Callable<Integer> {

    public static final int MAX_NEW_TOKENS = 200;

    /** What the samples showed. */
    public record Report(int puzzles, int solved, int selfChecks, int selfChecksRight, List<String> samples) {
        @Override
        public String toString() {
            return String.format("greedy Game-of-24: %d/%d valid answers; self-check accuracy: %d/%d (%.1f%%)",
                    solved, puzzles, selfChecksRight, selfChecks, 100.0 * selfChecksRight / Math.max(1, selfChecks));
        }
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<checkpoint-dir>",
            defaultValue = "model/src/main/resources/models/ponder-tiny",
            description = "the Hugging Face checkpoint to sample from (default: ${DEFAULT-VALUE})")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", defaultValue = "20",
            description = "validation puzzles to greedy-decode (default: ${DEFAULT-VALUE})")
    private int puzzles;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<self-checks>", defaultValue = "200",
            description = "validation self-check examples to score (default: ${DEFAULT-VALUE})")
    private int checks;

    private Evaluate() {
    }

    public static Report run(Path dir, TaskDatasets data, int puzzles, int selfChecks, NDManager manager) throws IOException {
        ModelConfig c = HfConfig.read(dir.resolve("config.json"));
        CharTokenizer tok = CharTokenizer.read(dir.resolve("tokenizer.json"));
        try (NDManager scope = manager.newSubManager()) {
            Transformer model = new Transformer(c, WeightsLoader.load(dir, c, scope, DataType.FLOAT32));
            return run(model, tok, data, puzzles, selfChecks, scope);
        }
    }

    public static Report run(Transformer model, CharTokenizer tok, TaskDatasets data, int puzzles, int selfChecks,
                             NDManager manager) {
        int eos = tok.id(ChatFormat.IM_END);
        // greedy chains for the first validation puzzles
        List<Game24Puzzle> ps = data.puzzles(TaskDatasets.Split.VALIDATION);
        ps = ps.subList(0, Math.min(puzzles, ps.size()));
        List<int[]> prompts = new ArrayList<>();
        for (Game24Puzzle p : ps) {
            prompts.add(tok.encode(ChatFormat.prompt(Game24Chain.prompt(p.numbers()))));
        }
        List<Generator.Output> outs = prompts.isEmpty() ? List.of()
                : new Generator(model, manager).generate(prompts, MAX_NEW_TOKENS, SamplingParams.greedy(), t -> t == eos);
        int solved = 0;
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            String text = tok.decode(outs.get(i).tokens()).replace(ChatFormat.IM_END, "");
            String[] lines = text.strip().split("\n");
            String last = lines[lines.length - 1];
            String numbers = ps.get(i).text();
            boolean ok = Game24Chain.boxedContent(last).map(e -> Game24Checker.check(numbers, e).valid()).orElse(false);
            solved += ok ? 1 : 0;
            samples.add((ok ? "OK   " : "FAIL ") + ps.get(i).text() + " -> " + text.replace("\n", " | "));
        }
        // self-check: compare the first letters of the two verdicts at the answer position
        int yes = tok.id("y");
        int no = tok.id("n");
        List<SelfCheckExample> checks = data.game24SelfChecks(TaskDatasets.Split.VALIDATION, 2, 99);
        checks = checks.subList(0, Math.min(selfChecks, checks.size()));
        int right = 0;
        int v = model.config().vocabSize();
        for (int from = 0; from < checks.size(); from += 32) {
            List<SelfCheckExample> part = checks.subList(from, Math.min(checks.size(), from + 32));
            List<SequenceInput> seqs = new ArrayList<>();
            for (SelfCheckExample s : part) {
                seqs.add(SequenceInput.uncached(tok.encode(TokenizedExample.render(s)[0])));
            }
            float[] logits;
            try (NDManager scope = manager.newSubManager()) {
                logits = model.forward(scope, new ForwardBatch(seqs, ForwardBatch.Logits.LAST), null).toFloatArray();
            }
            for (int i = 0; i < part.size(); i++) {
                boolean saysYes = logits[i * v + yes] > logits[i * v + no];
                right += saysYes == part.get(i).correct() ? 1 : 0;
            }
        }
        return new Report(ps.size(), solved, checks.size(), right, samples);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Evaluate()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(dir)) {   // checked here, not by a converter of the default, so that --help works anywhere
            throw new ParameterException(spec.commandLine(), "no such checkpoint: " + dir);
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Report r = run(dir, new TaskDatasets(TrainConfig.defaults().dataSeed()), puzzles, checks, manager);
            r.samples().forEach(System.out::println);
            System.out.println(r);
        }
        return 0;
    }
}

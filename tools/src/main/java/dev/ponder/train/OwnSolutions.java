package dev.ponder.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.tasks.Example;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.SelfChecks;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Expert iteration (STaR, ReST-EM): the model's own solutions to TRAINING puzzles, verified exactly, as chain
 * examples to fine-tune the generator on.
 *
 * <pre>
 * OwnSolutions &lt;checkpoint&gt; &lt;out.jsonl&gt; [puzzles=1000] [samples=8] [seed=11] [perPuzzle=2]
 * </pre>
 *
 * <p>Samples {@code samples} chains per puzzle at the search's proposal temperature ({@code -Down.temperature},
 * default 0.7) on the engine, as best-of-n proposes them, and keeps a chain only when it ended by itself, every line
 * is right ({@link SelfChecks#verify}: arithmetic, left lists, 24 still reachable) and its boxed answer checks out.
 * Per puzzle at most {@code perPuzzle} distinct right chains are kept, as ReST-EM caps solutions per problem, so the
 * easy puzzles do not fill the file. The exact verifier only labels training data here; it never scores a chain
 * inside a search. Benchmark puzzles are refused, as by {@link SelfCheckMining#mine}.
 *
 * <p>Written as JSON lines ({@code user}, {@code assistant}); {@link #read} reads these and mined self-check files
 * alike, which is what {@code TrainMain --mined} mixes into its batches.
 */
@Command(name = "OwnSolutions", mixinStandardHelpOptions = true,
        description = "The model's own verified solutions to training puzzles, for expert iteration (--mined of TrainMain).")
public final class OwnSolutions implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "<checkpoint>", description = "the checkpoint that proposes the chains")
    private Path dir;

    @Parameters(index = "1", paramLabel = "<out.jsonl>", description = "the JSON-lines file of chain examples to write")
    private Path out;

    @Parameters(index = "2", arity = "0..1", defaultValue = "1000", description = "training puzzles (default: ${DEFAULT-VALUE})")
    private int puzzles;

    @Parameters(index = "3", arity = "0..1", defaultValue = "8", description = "chains sampled per puzzle (default: ${DEFAULT-VALUE})")
    private int samples;

    @Parameters(index = "4", arity = "0..1", defaultValue = "11", description = "seed of the puzzle draw and sampling (default: ${DEFAULT-VALUE})")
    private long seed;

    @Parameters(index = "5", arity = "0..1", defaultValue = "2", description = "distinct right chains kept per puzzle (default: ${DEFAULT-VALUE})")
    private int perPuzzle;

    public static void main(String[] args) {
        System.exit(new CommandLine(new OwnSolutions()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        double temperature = Double.parseDouble(System.getProperty("own.temperature", "0.7"));
        List<Game24Puzzle> train = new ArrayList<>(new TaskDatasets(TrainConfig.defaults().dataSeed()).puzzles(TaskDatasets.Split.TRAIN));
        Collections.shuffle(train, new Random(seed));
        List<Game24Puzzle> drawn = train.subList(0, Math.min(puzzles, train.size()));
        List<String> users = OwnChains.trainingPrompts(drawn, new Random(seed));
        List<OwnChains.Sample> chains;
        try (OwnChains.Served m = OwnChains.Served.load(dir)) {
            chains = OwnChains.sample(m, users, samples, temperature, seed, SelfCheckMining.MAX_NEW_TOKENS, SelfCheckMining.CONCURRENCY);
        }
        List<Example> kept = keep(chains, perPuzzle);
        long right = chains.stream().filter(OwnSolutions::right).count();
        long solved = kept.stream().map(Example::user).distinct().count();
        write(out, kept);
        System.err.printf("%d chains sampled at temperature %.2f, %d right (%.1f%%); %d of %d puzzles solved at least once; wrote %d to %s%n",
                chains.size(), temperature, right, 100.0 * right / Math.max(1, chains.size()), solved, drawn.size(), kept.size(), out);
        return 0;
    }

    /** A chain that ended by itself with every line right and a boxed answer that makes 24 from the prompt's numbers. */
    static boolean right(OwnChains.Sample s) {
        return s.ended() && s.answerValid() && SelfChecks.verify(s.user(), s.text().strip() + "\n").allCorrect();
    }

    /** Per prompt, in sample order, the first {@code perPuzzle} distinct right chains (trailing blank lines dropped). */
    static List<Example> keep(List<OwnChains.Sample> chains, int perPuzzle) {
        Map<String, Set<String>> byUser = new LinkedHashMap<>();
        for (OwnChains.Sample s : chains) {
            Set<String> mine = byUser.computeIfAbsent(s.user(), k -> new LinkedHashSet<>());
            if (mine.size() < perPuzzle && right(s)) {
                mine.add(s.text().strip());
            }
        }
        List<Example> out = new ArrayList<>();
        byUser.forEach((user, texts) -> texts.forEach(t -> out.add(new Example(user, t))));
        return out;
    }

    public static void write(Path out, List<Example> examples) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Example e : examples) {
            ObjectNode n = JSON.createObjectNode();
            n.put("user", e.user());
            n.put("assistant", e.assistant());
            sb.append(JSON.writeValueAsString(n)).append('\n');
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, sb);
    }

    /** The lines of a training file, gunzipped when its name ends in {@code .gz}. */
    static List<String> lines(Path in) throws IOException {
        if (!in.getFileName().toString().endsWith(".gz")) {
            return Files.readAllLines(in);
        }
        try (var gz = new java.util.zip.GZIPInputStream(Files.newInputStream(in))) {
            return new String(gz.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * A file of training examples for {@code TrainMain --mined}: chain examples (lines with {@code assistant}, from
     * this tool) and self-check examples (lines with {@code chainSoFar}, from {@link SelfCheckMining}), in file order.
     * A benchmark puzzle in it is an error. A name ending in {@code .gz} is read gunzipped.
     */
    public static List<TaskExample> read(Path in) throws IOException {
        List<TaskExample> out = new ArrayList<>();
        for (String line : lines(in)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            String user = n.get("user").asText();
            OwnChains.refuseBenchmark(in, user);
            out.add(n.has("assistant") ? new Example(user, n.get("assistant").asText())
                    : new SelfCheckExample(user, n.get("chainSoFar").asText(), n.get("correct").asBoolean()));
        }
        return out;
    }
}

package dev.ponder.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.cli.ExistingPath;
import dev.ponder.tasks.ChainCheck;
import dev.ponder.tasks.Game24Chain;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Self-check examples from the model's own chains (issue #5: the self-check was trained on synthetic
 * corruptions only, and ranks the model's own chains badly).
 *
 * <pre>
 * SelfCheckMining mine    &lt;checkpoint&gt; &lt;out.jsonl&gt; [puzzles=300] [samples=8] [seed=1] [perPuzzle=6]
 * SelfCheckMining measure &lt;checkpoint&gt; [puzzles=30] [samples=16] [seed=7] [out.json]
 * SelfCheckMining balance &lt;in.jsonl&gt; &lt;out.jsonl&gt; [seed=1]
 * SelfCheckMining score   &lt;checkpoint&gt; &lt;mined.jsonl&gt; [limit=2000]
 * </pre>
 *
 * <p>{@code mine} samples {@code samples} chains at temperature 1 (the search's proposal temperature) for
 * {@code puzzles} TRAINING puzzles, cuts them into the prefixes the engine self-checks, labels each with the
 * exact verifier, scores it with the model, and keeps per puzzle and per kind (answer line / step line) up
 * to {@code perPuzzle} negatives, the ones the model believes most first (hard negatives), and as many
 * positives, the ones it doubts most first. Where the model's own right answers are too few to balance its
 * wrong ones, a correct chain drawn from the puzzle's solutions stands in. Written as JSON lines
 * ({@code user}, {@code chainSoFar}, {@code correct}, plus {@code kind}, {@code verdict}, {@code source},
 * {@code score} for analysis); {@link #read} gives the trainer's {@link SelfCheckExample}s back. The model's
 * right steps are fewer than its wrong ones, so at the end each kind is balanced over the whole file
 * ({@link #balance}: the most believed negatives are kept); {@code balance} does that to an existing file.
 *
 * <p>{@code measure} does the same sampling on the first {@code puzzles} VALIDATION puzzles (never the
 * benchmark) and reports how well the self-check separates right from wrong on them: AUC and accuracy over
 * all prefixes, over step lines and over answer lines, mean scores by verdict, and best-of-k replayed on the
 * samples (pick the complete chain with the highest self-check, as best-of-n does).
 *
 * <p>{@code score} scores the first {@code limit} examples of a mined file with a checkpoint and reports AUC by
 * kind, next to the AUC of the scores the miner recorded (those of the checkpoint it mined with): does a
 * fine-tuned model at least fit the examples it was trained on?
 *
 * <p>Each mode is a subcommand ({@code SelfCheckMining mine --help}).
 */
@Command(name = "SelfCheckMining", mixinStandardHelpOptions = true,
        description = "Self-check examples from the model's own chains: mine them, measure the self-check, balance, score.",
        footer = "Each command's arguments: SelfCheckMining COMMAND --help.",
        subcommands = {SelfCheckMining.Mine.class, SelfCheckMining.Measure.class, SelfCheckMining.Balance.class,
                SelfCheckMining.Score.class})
public final class SelfCheckMining {

    public static final double TEMPERATURE = 1.0;

    /** Sampling temperature of {@code measure}: {@code -Dmeasure.temperature}, default {@link #TEMPERATURE}. */
    static double measureTemperature() {
        return Double.parseDouble(System.getProperty("measure.temperature", Double.toString(TEMPERATURE)));
    }
    public static final int MAX_NEW_TOKENS = 200;     // Game24Eval's maxChainTokens
    static final int CONCURRENCY = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A mined example with what the miner knew about it. */
    public record Mined(SelfCheckExample example, String kind, String verdict, String source, double score) {
    }

    /** A labelled, scored prefix (the input of {@link #select}). */
    public record Scored(OwnChains.Prefix prefix, double score) {
    }

    private SelfCheckMining() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SelfCheckMining()).execute(args));
    }

    /** {@code balance}: no model needed. */
    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = "Balances each kind of an existing mined file: the most believed negatives, as many as positives.")
    static final class Balance implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "<in.jsonl>", converter = ExistingPath.class, description = "a mined file")
        private Path in;

        @Parameters(index = "1", paramLabel = "<out.jsonl>", description = "the balanced file to write")
        private Path out;

        @Parameters(index = "2", arity = "0..1", defaultValue = "1", description = "shuffle seed (default: ${DEFAULT-VALUE})")
        private long seed;

        @Override
        public Integer call() throws IOException {
            List<Mined> read = readMined(in);
            List<Mined> kept = balance(read, new Random(seed));
            write(out, kept);
            System.err.printf("kept %d of %d examples%n", kept.size(), read.size());
            return 0;
        }
    }

    /** The modes that load a checkpoint (served as the search serves it) and the task data. */
    abstract static class WithModel implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "<checkpoint>", converter = ExistingPath.class,
                description = "the checkpoint whose chains and self-check are used")
        Path dir;

        @Override
        public Integer call() throws IOException {
            try (NDManager manager = NDManager.newBaseManager("PyTorch"); OwnChains.Served m = OwnChains.Served.load(dir)) {
                run(m, new TaskDatasets(TrainConfig.defaults().dataSeed()), manager);
            }
            return 0;
        }

        abstract void run(OwnChains.Served m, TaskDatasets data, NDManager manager) throws IOException;
    }

    @Command(name = "mine", mixinStandardHelpOptions = true,
            description = "Mines balanced, hard self-check examples from the model's own chains on training puzzles.")
    static final class Mine extends WithModel {

        @Parameters(index = "1", paramLabel = "<out.jsonl>", description = "the JSON-lines file of examples to write")
        private Path out;

        @Parameters(index = "2", arity = "0..1", defaultValue = "300",
                description = "training puzzles sampled (default: ${DEFAULT-VALUE})")
        private int puzzles;

        @Parameters(index = "3", arity = "0..1", defaultValue = "8",
                description = "chains sampled per puzzle (default: ${DEFAULT-VALUE})")
        private int samples;

        @Parameters(index = "4", arity = "0..1", defaultValue = "1",
                description = "seed of the puzzle draw and the sampling (default: ${DEFAULT-VALUE})")
        private long seed;

        @Parameters(index = "5", arity = "0..1", defaultValue = "6",
                description = "negatives kept per puzzle and kind, at most (default: ${DEFAULT-VALUE})")
        private int perPuzzle;

        @Override
        void run(OwnChains.Served m, TaskDatasets data, NDManager manager) throws IOException {
            List<Game24Puzzle> train = new ArrayList<>(data.puzzles(TaskDatasets.Split.TRAIN));
            Collections.shuffle(train, new Random(seed));
            List<Mined> mined = mine(m, train.subList(0, Math.min(puzzles, train.size())), samples, seed, perPuzzle, manager);
            write(out, mined);
            long pos = mined.stream().filter(x -> x.example().correct()).count();
            System.err.printf("wrote %s: %d examples, %d positive, %d negative%n", out, mined.size(), pos, mined.size() - pos);
        }
    }

    @Command(name = "measure", mixinStandardHelpOptions = true,
            description = {"How well the self-check separates right from wrong on the model's own validation chains.",
                    "JVM property: -Dmeasure.temperature sets the sampling temperature (default 1.0)."})
    static final class Measure extends WithModel {

        @Parameters(index = "1", arity = "0..1", defaultValue = "30",
                description = "first validation puzzles sampled (default: ${DEFAULT-VALUE})")
        private int puzzles;

        @Parameters(index = "2", arity = "0..1", defaultValue = "16",
                description = "chains sampled per puzzle (default: ${DEFAULT-VALUE})")
        private int samples;

        @Parameters(index = "3", arity = "0..1", defaultValue = "7", description = "sampling seed (default: ${DEFAULT-VALUE})")
        private long seed;

        @Parameters(index = "4", arity = "0..1", paramLabel = "<out.json>",
                description = "also write the result (a JSON line) here, for CalibrationPlot")
        private Path outJson;

        @Override
        void run(OwnChains.Served m, TaskDatasets data, NDManager manager) throws IOException {
            List<Game24Puzzle> val = data.puzzles(TaskDatasets.Split.VALIDATION);
            Map<String, Object> r = measure(m, val.subList(0, Math.min(puzzles, val.size())), samples, seed, manager);
            r.put("checkpoint", dir.toString());
            String line = JSON.writeValueAsString(r);
            System.out.println(line);
            if (outJson != null) {
                Files.writeString(outJson, line + "\n");
            }
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "AUC by kind of a checkpoint's self-check on a mined file, beside the AUC recorded when mined.")
    static final class Score extends WithModel {

        @Parameters(index = "1", paramLabel = "<mined.jsonl>", converter = ExistingPath.class, description = "a mined file")
        private Path minedFile;

        @Parameters(index = "2", arity = "0..1", defaultValue = "2000",
                description = "the first this many examples are scored (default: ${DEFAULT-VALUE})")
        private int limit;

        @Override
        void run(OwnChains.Served m, TaskDatasets data, NDManager manager) throws IOException {
            List<Mined> file = readMined(minedFile);
            List<Mined> in = file.subList(0, Math.min(file.size(), limit));
            double[] now = OwnChains.score(m.model(), in.stream().map(Mined::example).toList(), 64, manager);
            Map<String, Object> r = new LinkedHashMap<>();
            for (String kind : List.of("step", "answer")) {
                List<Integer> all = new ArrayList<>();
                List<Integer> scoredThen = new ArrayList<>();
                for (int i = 0; i < in.size(); i++) {
                    if (in.get(i).kind().equals(kind)) {
                        all.add(i);
                        if (!Double.isNaN(in.get(i).score())) {
                            scoredThen.add(i);
                        }
                    }
                }
                r.put(kind, String.format(Locale.ROOT, "n=%d auc now %.4f, auc when mined %.4f (over the %d scored then)",
                        all.size(), aucOver(all, i -> now[i], in), aucOver(scoredThen, i -> in.get(i).score(), in),
                        scoredThen.size()));
            }
            r.put("checkpoint", dir.toString());
            System.out.println(JSON.writeValueAsString(r));
        }
    }

    // ---------------------------------------------------------------- mining

    /** Samples, labels, scores and selects self-check examples for training puzzles. */
    public static List<Mined> mine(OwnChains.Served m, List<Game24Puzzle> puzzles, int samples, long seed, int perPuzzle,
                                   NDManager manager) {
        Random rnd = new Random(seed);
        List<String> users = OwnChains.trainingPrompts(puzzles, rnd);
        long t0 = System.nanoTime();
        List<OwnChains.Sample> chains = OwnChains.sample(m, users, samples, TEMPERATURE, seed, MAX_NEW_TOKENS, CONCURRENCY);
        System.err.printf("sampled %d chains in %.0f s%n", chains.size(), (System.nanoTime() - t0) / 1e9);
        Map<String, List<OwnChains.Prefix>> byPrompt = distinctPrefixes(chains);
        List<OwnChains.Prefix> flat = byPrompt.values().stream().flatMap(List::stream).toList();
        t0 = System.nanoTime();
        double[] scores = OwnChains.score(m.model(), flat.stream().map(OwnChains.Prefix::example).toList(), 64, manager);
        System.err.printf("scored %d prefixes in %.0f s%n", flat.size(), (System.nanoTime() - t0) / 1e9);
        List<Mined> out = new ArrayList<>();
        int at = 0;
        for (var e : byPrompt.entrySet()) {
            List<Scored> scored = new ArrayList<>();
            for (OwnChains.Prefix p : e.getValue()) {
                scored.add(new Scored(p, scores[at++]));
            }
            out.addAll(select(e.getKey(), scored, perPuzzle, rnd));
        }
        return balance(out, rnd);
    }

    /**
     * Per kind (answer / step), as many negatives as positives at most: where negatives are more, the ones
     * with the highest self-check (unscored ones last) are kept. Shuffled.
     */
    static List<Mined> balance(List<Mined> mined, Random rnd) {
        List<Mined> out = new ArrayList<>();
        for (String kind : mined.stream().map(Mined::kind).distinct().toList()) {
            List<Mined> pos = mined.stream().filter(x -> x.kind().equals(kind) && x.example().correct()).toList();
            List<Mined> neg = new ArrayList<>(mined.stream().filter(x -> x.kind().equals(kind) && !x.example().correct()).toList());
            neg.sort(Comparator.comparingDouble((Mined x) -> Double.isNaN(x.score()) ? -1 : x.score()).reversed());
            out.addAll(pos);
            out.addAll(neg.subList(0, Math.min(neg.size(), pos.size())));
        }
        Collections.shuffle(out, rnd);
        return out;
    }

    /** The distinct prefixes of the chains, grouped by prompt (first occurrence order). */
    static Map<String, List<OwnChains.Prefix>> distinctPrefixes(List<OwnChains.Sample> chains) {
        Map<String, Map<String, OwnChains.Prefix>> seen = new LinkedHashMap<>();
        for (OwnChains.Sample s : chains) {
            Map<String, OwnChains.Prefix> m = seen.computeIfAbsent(s.user(), k -> new LinkedHashMap<>());
            for (OwnChains.Prefix p : OwnChains.prefixes(s)) {
                m.putIfAbsent(p.example().chainSoFar(), p);
            }
        }
        Map<String, List<OwnChains.Prefix>> out = new LinkedHashMap<>();
        seen.forEach((u, m) -> out.put(u, List.copyOf(m.values())));
        return out;
    }

    /**
     * The examples kept for one prompt: per kind (answer line, step line) up to {@code perPuzzle} negatives,
     * highest self-check first (what the model wrongly believes), and as many positives, lowest self-check
     * first. Answer-line positives the model did not produce are filled with correct chains of the puzzle.
     */
    static List<Mined> select(String user, List<Scored> scored, int perPuzzle, Random rnd) {
        List<Mined> out = new ArrayList<>();
        for (boolean answer : new boolean[] {false, true}) {
            List<Scored> neg = new ArrayList<>();
            List<Scored> pos = new ArrayList<>();
            for (Scored s : scored) {
                if (s.prefix().answer() == answer) {
                    (s.prefix().example().correct() ? pos : neg).add(s);
                }
            }
            neg.sort(Comparator.comparingDouble(Scored::score).reversed());
            pos.sort(Comparator.comparingDouble(Scored::score));
            int n = Math.min(perPuzzle, neg.size());
            String kind = answer ? "answer" : "step";
            for (Scored s : neg.subList(0, n)) {
                out.add(new Mined(s.prefix().example(), kind, s.prefix().verdict().name(), "own", s.score()));
            }
            // as many positives (at least one where the model made no mistake of this kind), least believed first
            for (Scored s : pos.subList(0, Math.min(Math.max(n, 1), pos.size()))) {
                out.add(new Mined(s.prefix().example(), kind, "OK", "own", s.score()));
            }
            int missing = n - Math.min(n, pos.size());
            if (answer && missing > 0) {
                out.addAll(solutions(user, missing, rnd));
            }
        }
        return out;
    }

    /** {@code count} distinct correct whole chains of the prompt's puzzle (fewer if it has fewer). */
    static List<Mined> solutions(String user, int count, Random rnd) {
        List<Integer> numbers = Game24Chain.parsePrompt(user).orElseThrow();
        Map<String, Mined> out = new LinkedHashMap<>();
        for (int tries = 0; tries < 4 * count && out.size() < count; tries++) {
            String text = Game24Chain.sample(numbers, rnd).orElseThrow().text() + "\n";
            ChainCheck check = SelfChecks.verify(user, text);
            if (!check.allCorrect()) {
                throw new IllegalStateException("a sampled solution does not verify: " + text);
            }
            out.putIfAbsent(text, new Mined(new SelfCheckExample(user, text, true), "answer", "OK", "solution", Double.NaN));
        }
        return List.copyOf(out.values());
    }

    // ---------------------------------------------------------------- the file

    public static void write(Path out, List<Mined> mined) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Mined x : mined) {
            ObjectNode n = JSON.createObjectNode();
            n.put("user", x.example().user());
            n.put("chainSoFar", x.example().chainSoFar());
            n.put("correct", x.example().correct());
            n.put("kind", x.kind());
            n.put("verdict", x.verdict());
            n.put("source", x.source());
            if (!Double.isNaN(x.score())) {
                n.put("score", Math.round(x.score() * 1e4) / 1e4);
            }
            sb.append(JSON.writeValueAsString(n)).append('\n');
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, sb);
    }

    /** A mined file with what the miner recorded (score NaN where it wrote none). */
    public static List<Mined> readMined(Path in) throws IOException {
        List<SelfCheckExample> ex = read(in);
        List<String> lines = Files.readAllLines(in).stream().filter(l -> !l.isBlank()).toList();
        List<Mined> out = new ArrayList<>();
        for (int i = 0; i < ex.size(); i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            out.add(new Mined(ex.get(i), n.path("kind").asText("step"), n.path("verdict").asText(""),
                    n.path("source").asText("own"), n.has("score") ? n.get("score").asDouble() : Double.NaN));
        }
        return out;
    }

    /** The self-check examples of a mined file, in file order; a benchmark puzzle in it is an error. */
    public static List<SelfCheckExample> read(Path in) throws IOException {
        List<SelfCheckExample> out = new ArrayList<>();
        for (TaskExample e : OwnSolutions.read(in)) {        // one reader of training files, benchmark refusal included
            if (!(e instanceof SelfCheckExample check)) {
                throw new IllegalArgumentException(in + " holds a chain example, not a self-check: " + e.user());
            }
            out.add(check);
        }
        return out;
    }

    // ---------------------------------------------------------------- measuring

    /** The self-check on the model's own samples for the given (validation) puzzles; see the class comment. */
    /**
     * The model's checks of {@code examples}: read directly at the verdict position when it answers at once (as
     * every measurement before generative checks was), else through the engine, which lets it write first.
     */
    static double[] checks(OwnChains.Served m, List<SelfCheckExample> examples, NDManager manager) {
        return m.lm().profile().checkReasoningTokens() > 0
                ? OwnChains.scoreOnEngine(m, examples, CONCURRENCY)
                : OwnChains.score(m.model(), examples, 64, manager);
    }

    public static Map<String, Object> measure(OwnChains.Served m, List<Game24Puzzle> puzzles, int samples, long seed,
                                              NDManager manager) {
        for (Game24Puzzle p : puzzles) {
            if (TaskDatasets.isBenchmark(p.numbers())) {
                throw new IllegalArgumentException("benchmark puzzle " + p.text() + " must not be measured on");
            }
        }
        List<String> users = puzzles.stream().map(p -> Game24Chain.prompt(p.numbers())).toList();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("puzzles", puzzles.size());
        r.put("samplesPerPuzzle", samples);
        r.put("seed", seed);
        List<OwnChains.Sample> greedy = OwnChains.sample(m, users, 1, 0, 0, MAX_NEW_TOKENS, CONCURRENCY);
        r.put("greedySolved", greedy.stream().filter(OwnChains.Sample::answerValid).count());
        r.put("temperature", measureTemperature());
        r.put("checkReasoningTokens", m.lm().profile().checkReasoningTokens());
        List<OwnChains.Sample> chains = OwnChains.sample(m, users, samples, measureTemperature(), seed, MAX_NEW_TOKENS, CONCURRENCY);
        r.put("sampleAnswerValid", round(chains.stream().filter(OwnChains.Sample::answerValid).count() / (double) chains.size()));

        // every distinct prefix once per prompt
        List<OwnChains.Prefix> flat = distinctPrefixes(chains).values().stream().flatMap(List::stream).toList();
        double[] s = checks(m, flat.stream().map(OwnChains.Prefix::example).toList(), manager);
        r.put("all", separation(flat, s, x -> true));
        r.put("stepLines", separation(flat, s, x -> !x.answer()));
        // the step lines a judge of the newest step alone could get right: right ones and first mistakes (a line
        // after an earlier mistake is wrong by inheritance above, whatever it does)
        r.put("stepLinesRightOrFirstMistake", separation(flat, s,
                x -> !x.answer() && (x.example().correct() || x.newError())));
        r.put("answerLines", separation(flat, s, OwnChains.Prefix::answer));
        // the same lines judged along their chain: the product of the checks of every line so far, the chance that
        // no line is wrong if the checks were independent (a process reward model's score of a partial solution,
        // Lightman et al. 2023; beam's path score and best-of-n's chain score are built from the same checks)
        Map<String, Double> byText = checksByText(flat, s);
        double[] along = alongChain(flat, s, byText);
        r.put("stepLinesAlongChain", separation(flat, along, x -> !x.answer()));
        r.put("answerLinesAlongChain", separation(flat, along, OwnChains.Prefix::answer));
        r.put("firstLine", separation(flat, s, x -> x.lines() == 1));
        Map<String, String> byVerdict = new LinkedHashMap<>();
        for (ChainCheck.Verdict v : ChainCheck.Verdict.values()) {
            List<Double> xs = new ArrayList<>();
            for (int i = 0; i < flat.size(); i++) {
                OwnChains.Prefix p = flat.get(i);
                if (p.verdict() == v && (v == ChainCheck.Verdict.OK || p.newError())) {
                    xs.add(s[i]);
                }
            }
            if (!xs.isEmpty()) {
                byVerdict.put(v.name(), String.format(Locale.ROOT, "n=%d mean=%.3f", xs.size(),
                        xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
            }
        }
        r.put("newErrorsByVerdict", byVerdict);

        // best-of-k replayed on the samples: score every complete chain, pick the highest per puzzle
        List<Double> full = new ArrayList<>();
        List<OwnChains.Sample> fullSamples = new ArrayList<>();
        List<SelfCheckExample> fullChecks = new ArrayList<>();
        for (OwnChains.Sample c : chains) {
            List<OwnChains.Prefix> ps = OwnChains.prefixes(c);
            fullSamples.add(c);
            fullChecks.add(ps.isEmpty() ? new SelfCheckExample(c.user(), "\n", false) : ps.get(ps.size() - 1).example());
        }
        double[] fs = checks(m, fullChecks, manager);
        for (double x : fs) {
            full.add(x);
        }
        boolean[] valid = new boolean[fs.length];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = fullSamples.get(i).answerValid();
        }
        r.put("wholeChainAucVsAnswerValid", round(OwnChains.auc(fs, valid)));
        r.put("wholeChainCalibration", calibration(fs, valid, 10));
        // the same chains scored by their weakest step: the minimum self-check over every prefix (PRM-style)
        double[] minScore = new double[fs.length];
        for (int i = 0; i < fs.length; i++) {
            double mn = fs[i];
            for (OwnChains.Prefix p : OwnChains.prefixes(fullSamples.get(i))) {
                mn = Math.min(mn, byText.getOrDefault(key(p.example()), mn));
            }
            minScore[i] = mn;
        }
        r.put("minOverStepsAucVsAnswerValid", round(OwnChains.auc(minScore, valid)));
        // and by the geometric mean of its steps' checks, which is what beam ranks chains by
        double[] geoMean = new double[fs.length];
        for (int i = 0; i < fs.length; i++) {
            double logSum = Math.log(Math.max(1e-6, fs[i]));
            int count = 1;
            for (OwnChains.Prefix p : OwnChains.prefixes(fullSamples.get(i))) {
                Double x = byText.get(key(p.example()));
                if (x != null && !p.example().chainSoFar().equals(fullChecks.get(i).chainSoFar())) {
                    logSum += Math.log(Math.max(1e-6, x));
                    count++;
                }
            }
            geoMean[i] = Math.exp(logSum / count);
        }
        r.put("meanLogOverStepsAucVsAnswerValid", round(OwnChains.auc(geoMean, valid)));
        r.put("meanLogOverStepsCalibration", calibration(geoMean, valid, 10));
        r.put("minOverStepsCalibration", calibration(minScore, valid, 10));
        r.put("bestOfReplayedMinOverSteps", replay(minScore, valid, puzzles.size(), samples));
        Map<String, Object> bestOf = new LinkedHashMap<>();
        for (int k : new int[] {1, 4, 8, 16, 32}) {
            if (k > samples) {
                continue;
            }
            int picked = 0;
            int oracle = 0;
            double random = 0;
            for (int p = 0; p < puzzles.size(); p++) {
                boolean any = false;
                int right = 0;
                for (int j = 0; j < k; j++) {
                    any |= valid[p * samples + j];
                    right += valid[p * samples + j] ? 1 : 0;
                }
                picked += valid[bestOfK(fs, p, samples, k)] ? 1 : 0;
                oracle += any ? 1 : 0;
                random += right / (double) k;
            }
            bestOf.put("k" + k, String.format(Locale.ROOT, "picked %d, random %.1f, oracle %d of %d",
                    picked, random, oracle, puzzles.size()));
        }
        r.put("bestOfReplayed", bestOf);
        return r;
    }

    /** A check question's prompt and chain so far, as one map key. */
    private static String key(SelfCheckExample e) {
        return key(e.user(), e.chainSoFar());
    }

    private static String key(String user, String chainSoFar) {
        return user + "\u0000" + chainSoFar;
    }

    /** Each prefix's check, by {@link #key}. */
    static Map<String, Double> checksByText(List<OwnChains.Prefix> prefixes, double[] checks) {
        Map<String, Double> byText = new HashMap<>();
        for (int i = 0; i < prefixes.size(); i++) {
            byText.put(key(prefixes.get(i).example()), checks[i]);
        }
        return byText;
    }

    /**
     * Each prefix's check times the checks of its shorter prefixes (the chain so far cut after each earlier line),
     * looked up in {@code byText} ({@link #checksByText}); an earlier prefix not there counts as 1.
     */
    static double[] alongChain(List<OwnChains.Prefix> prefixes, double[] checks, Map<String, Double> byText) {
        double[] out = new double[checks.length];
        for (int i = 0; i < checks.length; i++) {
            SelfCheckExample e = prefixes.get(i).example();
            String text = e.chainSoFar();
            double product = checks[i];
            for (int cut = text.indexOf('\n'); cut >= 0 && cut < text.length() - 1; cut = text.indexOf('\n', cut + 1)) {
                product *= byText.getOrDefault(key(e.user(), text.substring(0, cut + 1)), 1.0);
            }
            out[i] = product;
        }
        return out;
    }

    /** AUC of {@code score} over the examples at {@code indices} of {@code mined}, labelled by their correctness. */
    private static double aucOver(List<Integer> indices, IntToDoubleFunction score, List<Mined> mined) {
        double[] s = new double[indices.size()];
        boolean[] y = new boolean[indices.size()];
        for (int j = 0; j < s.length; j++) {
            s[j] = score.applyAsDouble(indices.get(j));
            y[j] = mined.get(indices.get(j)).example().correct();
        }
        return OwnChains.auc(s, y);
    }

    /** Among the first k samples of puzzle p (samples laid out puzzle by puzzle), the index of the highest score. */
    private static int bestOfK(double[] score, int p, int samples, int k) {
        int best = p * samples;
        for (int j = 1; j < k; j++) {
            if (score[p * samples + j] > score[best]) {
                best = p * samples + j;
            }
        }
        return best;
    }

    /** Best-of-k replayed on samples laid out puzzle by puzzle: the highest score picked per puzzle. */
    static Map<String, String> replay(double[] score, boolean[] valid, int puzzles, int samples) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k : new int[] {1, 4, 8, 16, 32}) {
            if (k > samples) {
                continue;
            }
            int picked = 0;
            for (int p = 0; p < puzzles; p++) {
                picked += valid[bestOfK(score, p, samples, k)] ? 1 : 0;
            }
            out.put("k" + k, "picked " + picked + " of " + puzzles);
        }
        return out;
    }

    /** AUC, accuracy at 0.5 and mean scores of the prefixes that pass {@code which}. */
    static Map<String, Object> separation(List<OwnChains.Prefix> prefixes, double[] scores,
                                          Predicate<OwnChains.Prefix> which) {
        List<Double> s = new ArrayList<>();
        List<Boolean> y = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            if (which.test(prefixes.get(i))) {
                s.add(scores[i]);
                y.add(prefixes.get(i).example().correct());
            }
        }
        double[] sa = s.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] ya = new boolean[y.size()];
        int pos = 0;
        int right = 0;
        double meanPos = 0;
        double meanNeg = 0;
        for (int i = 0; i < ya.length; i++) {
            ya[i] = y.get(i);
            pos += ya[i] ? 1 : 0;
            right += (sa[i] > 0.5) == ya[i] ? 1 : 0;
            if (ya[i]) {
                meanPos += sa[i];
            } else {
                meanNeg += sa[i];
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("n", ya.length);
        r.put("positives", pos);
        r.put("auc", round(OwnChains.auc(sa, ya)));
        r.put("accuracy", round(ya.length == 0 ? Double.NaN : right / (double) ya.length));
        r.put("meanScorePos", round(pos == 0 ? Double.NaN : meanPos / pos));
        r.put("meanScoreNeg", round(ya.length == pos ? Double.NaN : meanNeg / (ya.length - pos)));
        r.put("calibration", calibration(sa, ya, 10));
        return r;
    }

    /**
     * Reliability diagram data: predicted P(yes) in {@code bins} equal-width bins, each with its count, mean
     * prediction and the fraction actually right (empty bins left out).
     */
    static List<Map<String, Object>> calibration(double[] score, boolean[] right, int bins) {
        int[] n = new int[bins];
        double[] sum = new double[bins];
        int[] yes = new int[bins];
        for (int i = 0; i < score.length; i++) {
            int b = Math.min(bins - 1, Math.max(0, (int) (score[i] * bins)));
            n[b]++;
            sum[b] += score[i];
            yes[b] += right[i] ? 1 : 0;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (n[b] > 0) {
                Map<String, Object> bin = new LinkedHashMap<>();
                bin.put("from", round(b / (double) bins));
                bin.put("to", round((b + 1) / (double) bins));
                bin.put("n", n[b]);
                bin.put("meanPredicted", round(sum[b] / n[b]));
                bin.put("fractionRight", round(yes[b] / (double) n[b]));
                out.add(bin);
            }
        }
        return out;
    }

    private static double round(double x) {
        return Double.isNaN(x) ? x : Math.round(x * 1e4) / 1e4;
    }
}

package dev.ponder.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.cli.ExistingPath;
import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.progress.ProgressBar;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Searches;
import dev.ponder.tasks.Game24Checker;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.TaskDatasets;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Test-time scaling on the Tree-of-Thoughts Game-of-24 benchmark (ranks 901-1000 of 24.csv): every strategy at
 * every searchBudget, each answer checked exactly (each number once, exact fractions, equals 24). Runs the
 * puzzles of one configuration concurrently so the engine batches them. Results go to
 * {@code <out>/game24.jsonl} (one line per configuration, appended, so an interrupted run resumes), then a
 * table and plots.
 *
 * <p>Usage: {@code Game24Eval <checkpoint> [out-dir] [strategies] [budgets] [concurrency] [puzzles]}, e.g.
 * {@code Game24Eval model/src/main/resources/models/ponder-tiny docs/eval greedy,best-of-n,self-consistency,beam,mcts 1,2,4,8,16,32,64 16 100}.
 *
 * <p>Search settings are tuned on the validation split, never on the benchmark: {@code -Deval.split=validation}
 * runs the 100 validation puzzles instead; {@code -Deval.temperature} (default 1.0) and
 * {@code -Deval.likelihoodWeight} (default 0.5) set the proposal temperature and the likelihood weight of beam, best-of-n and mcts,
 * {@code -Deval.leafEvaluation} (SELF_CHECK or ROLLOUT) how mcts values a leaf, {@code -Deval.rankAnswerCheck=true}
 * whether mcts and best-of-n also rank finished chains by their answer line's own check, {@code -Deval.redraws}
 * (default 0) how many times per proposal a step identical to a sibling's is drawn again, {@code -Deval.distinct}
 * (default 0.1, the engine's) the mass down to which sibling proposals sample without replacement (0: off).
 * {@code -Deval.checkReasoning} how many tokens a self-check may write before its verdict (default: the checkpoint's).
 * {@code -Deval.reportOnly=true} rewrites the table and charts from {@code game24.jsonl} without running searches.
 */
@Command(name = "Game24Eval", mixinStandardHelpOptions = true,
        description = {"Game-of-24 accuracy against searchBudget (ranks 901-1000 of 24.csv) for every strategy and budget.",
                "JVM properties: -Deval.split=validation runs the validation puzzles instead; -Deval.temperature (1.0),"
                        + " -Deval.likelihoodWeight (0.5), -Deval.leafEvaluation (SELF_CHECK|ROLLOUT) and"
                        + " -Deval.rankAnswerCheck=true and -Deval.redraws (0) and -Deval.distinct (0.1) set the search; -Deval.reportOnly=true rewrites the table and charts"
                        + " from game24.jsonl only."})
public final class Game24Eval implements Callable<Integer> {

    /** One configuration's outcome over the puzzles. */
    record Outcome(String strategy, int budget, int puzzles, int solved, long generatedTokens, long selfChecks,
                   long modelCalls, double wallSeconds, long expandedNodes, long proposedChildren,
                   long distinctChildren, long computedTokens) {

        /** The same outcome with the tokens the engine computed for it (prefill, steps, checks, redraws). */
        Outcome withComputedTokens(long tokens) {
            return new Outcome(strategy, budget, puzzles, solved, generatedTokens, selfChecks, modelCalls, wallSeconds,
                    expandedNodes, proposedChildren, distinctChildren, tokens);
        }

        /** Distinct next steps per node expanded two or more ways (NaN when none was, or not counted). */
        double distinctPerExpanded() {
            return expandedNodes == 0 ? Double.NaN : (double) distinctChildren / expandedNodes;
        }

        /** Next steps proposed per such node. */
        double proposedPerExpanded() {
            return expandedNodes == 0 ? Double.NaN : (double) proposedChildren / expandedNodes;
        }

        double accuracy() {
            return (double) solved / puzzles;
        }

        double tokensPerPuzzle() {
            return (double) generatedTokens / puzzles;
        }
    }

    @Parameters(index = "0", paramLabel = "<checkpoint>", converter = ExistingPath.class,
            description = "the checkpoint to evaluate")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<out-dir>", defaultValue = "docs/eval",
            description = "where game24.jsonl (appended; a rerun resumes), the table and the charts go (default: ${DEFAULT-VALUE})")
    private Path out;

    @Parameters(index = "2", arity = "0..1", split = ",", paramLabel = "<strategies>",
            defaultValue = "greedy,best-of-n,self-consistency,beam,mcts",
            description = "search strategies, comma-separated (default: ${DEFAULT-VALUE})")
    private List<String> strategies;

    @Parameters(index = "3", arity = "0..1", split = ",", paramLabel = "<budgets>", defaultValue = "1,2,4,8,16,32,64",
            description = "searchBudgets, comma-separated (default: ${DEFAULT-VALUE})")
    private int[] budgets;

    @Parameters(index = "4", arity = "0..1", defaultValue = "16",
            description = "puzzles searched at once, at most (fewer at large budgets) (default: ${DEFAULT-VALUE})")
    private int concurrency;

    @Parameters(index = "5", arity = "0..1", paramLabel = "<puzzles>", defaultValue = "100",
            description = "the first this many puzzles are run (default: ${DEFAULT-VALUE})")
    private int limit;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Game24Eval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        Path jsonl = out.resolve("game24.jsonl");
        Map<String, Outcome> done = Results.read(jsonl);
        boolean validation = "validation".equals(System.getProperty("eval.split"));
        List<Game24Puzzle> puzzles = (validation
                ? new TaskDatasets(0).puzzles(TaskDatasets.Split.VALIDATION) : TaskDatasets.benchmarkPuzzles()).subList(0, limit);
        try (LanguageModel lm = load(dir);
             Engine engine = engine(lm)) {
            for (String strategy : strategies) {
                for (int budget : budgets) {
                    if (strategy.equals("greedy") && budget > 1) {
                        continue;   // greedy carries one chain whatever the budget
                    }
                    String key = strategy + "@" + budget;
                    if (Boolean.getBoolean("eval.reportOnly")
                            || (done.containsKey(key) && done.get(key).puzzles() == puzzles.size())) {
                        System.err.println("skip " + key + " (already in " + jsonl + ")");
                        continue;
                    }
                    Outcome o = run(lm, engine, strategy, budget, puzzles, parallel(budget, concurrency));
                    done.put(key, o);
                    Files.writeString(jsonl, Results.line(o) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    System.err.printf(Locale.ROOT, "%-18s budget %2d: %3d/%d solved (%.0f%%), %.0f tokens/puzzle, %.0f s%n",
                            strategy, budget, o.solved(), o.puzzles(), 100 * o.accuracy(), o.tokensPerPuzzle(), o.wallSeconds());
                }
            }
        }
        Game24Report.write(out, new ArrayList<>(done.values()), dir, String.join(",", strategies),
                Arrays.stream(budgets).mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElse(""), concurrency, limit);
        return 0;
    }

    static Outcome run(LanguageModel lm, Engine engine, String strategy, int budget, List<Game24Puzzle> puzzles,
                       int concurrency) {
        long before = engine.metrics().snapshot().tokensComputed();
        Outcome o = run(strategy, budget, puzzles, concurrency, p -> solve(lm, engine, strategy, budget, p));
        return o.withComputedTokens(engine.metrics().snapshot().tokensComputed() - before);
    }

    /** Runs one configuration over the items, {@code concurrency} at a time, with a progress bar. */
    static <T> Outcome run(String strategy, int budget, List<T> items, int concurrency,
                           Function<T, Uni<Solved>> solve) {
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(System.err, 10);
        AtomicInteger finished = new AtomicInteger();
        long[] totals = new long[7];   // solved, tokens, self-checks, model calls, expanded, proposed, distinct
        Multi.createFrom().iterable(items)
                .onItem().transformToUni(p -> solve.apply(p)
                        .invoke(r -> {
                            synchronized (totals) {
                                totals[0] += r.solved ? 1 : 0;
                                totals[1] += r.result.usage().generatedTokens();
                                totals[2] += r.result.usage().selfChecks();
                                totals[3] += r.result.usage().modelCalls();
                                totals[4] += r.result.usage().expandedNodes();
                                totals[5] += r.result.usage().proposedChildren();
                                totals[6] += r.result.usage().distinctChildren();
                            }
                            bar.update(strategy + "@" + budget, finished.incrementAndGet(), items.size(), null, t0);
                        }))
                .merge(concurrency)
                .collect().asList()
                .await().atMost(Duration.ofHours(2));
        return new Outcome(strategy, budget, items.size(), (int) totals[0], totals[1], totals[2], totals[3],
                (System.nanoTime() - t0) / 1e9, totals[4], totals[5], totals[6], 0);
    }

    /**
     * A checkpoint for evaluation on the configured kernel; {@code -Deval.checkReasoning=N} overrides how many tokens
     * its self-check may write before the verdict (its ponder.json's {@code selfCheck.reasoningTokens}; 0: at once).
     */
    public static LanguageModel load(Path dir) {
        LanguageModel lm = LanguageModel.load(dir).withConfiguredKernel();
        String n = System.getProperty("eval.checkReasoning");
        return n == null ? lm : lm.withProfile(lm.profile().withCheckReasoningTokens(Integer.parseInt(n.trim())));
    }

    /** The engine the evaluations run their searches on: 16 sequences a pass, a 4 GiB KV pool. */
    public static Engine engine(LanguageModel lm) {
        return new Engine(lm, new EngineConfig(16, 4L << 30, 4096, 512, true));
    }

    /**
     * {@code session} checking final answers to {@code question} in a fresh context where the checkpoint's ponder.json
     * has an answer check ({@code -Deval.answerCheck=false} turns it off; {@code -Deval.answerCheckTokens} overrides
     * how many tokens it may write).
     */
    static SearchSession withAnswerCheck(LanguageModel lm, SearchSession session, String question) {
        var prompt = lm.answerCheckPrompt(question);
        if (prompt != null && !"false".equals(System.getProperty("eval.answerCheck"))) {
            session.answerCheck(prompt, Integer.getInteger("eval.answerCheckTokens", lm.profile().answerCheck().reasoningTokens()));
        }
        return session;
    }

    /** Items searched at once, at most {@code cap}: fewer at large budgets, so their KV fits the pool. */
    static int parallel(int budget, int cap) {
        return Math.max(2, Math.min(cap, 512 / budget));
    }

    /** Redraws of identical proposals per sample: {@code -Deval.redraws}, default 0 (see SearchSession). */
    static int redraws() {
        return Integer.getInteger("eval.redraws", 0);
    }

    /** Sibling proposals without replacement down to this mass: {@code -Deval.distinct}, default the engine's (SearchSession). */
    static double distinct() {
        return Double.parseDouble(System.getProperty("eval.distinct", String.valueOf(SearchSession.DEFAULT_DISTINCT_SIBLINGS)));
    }

    /** Proposal temperature: {@code -Deval.temperature}, default 1.0. */
    static double temperature() {
        return Double.parseDouble(System.getProperty("eval.temperature", "1.0"));
    }

    /** Nucleus sampling of every proposal: {@code -Deval.topP}, default 1 (the whole distribution, as the API's default). */
    static double topP() {
        return Double.parseDouble(System.getProperty("eval.topP", "1.0"));
    }

    /** The likelihood weight of beam, best-of-n and mcts scores: {@code -Deval.likelihoodWeight}, default 0.5. */
    static double likelihoodWeight() {
        return Double.parseDouble(System.getProperty("eval.likelihoodWeight", "0.5"));
    }

    /** The search settings in words, for the report. */
    static String settings() {
        return String.format(Locale.ROOT, "proposals at temperature %s%s, sibling proposals without replacement down to mass %s, "
                        + "beam, best-of-n and mcts likelihood weight %s, mcts leaves valued by %s", temperature(),
                topP() < 1 ? " and top-p " + topP() : "", distinct(), likelihoodWeight(),
                leafEvaluation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The {@code -Deval.*} search settings given on the command line (not the split), as they were written. */
    static String settingProperties() {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("eval.temperature", "eval.topP", "eval.likelihoodWeight", "eval.leafEvaluation", "eval.rankAnswerCheck",
                "eval.redraws", "eval.distinct")) {
            String v = System.getProperty(k);
            if (v != null) {
                sb.append(sb.isEmpty() ? "" : " ").append("-D").append(k).append('=').append(v);
            }
        }
        return sb.toString();
    }

    /** mcts leaf values: {@code -Deval.leafEvaluation=SELF_CHECK|ROLLOUT}; the search library's default otherwise. */
    static SearchConfig.LeafEvaluation leafEvaluation() {
        String v = System.getProperty("eval.leafEvaluation");
        return v == null ? SearchConfig.builder().build().leafEvaluation() : SearchConfig.LeafEvaluation.valueOf(v);
    }

    /** One item's search and whether its answer checked out. */
    record Solved(SearchResult result, boolean solved) {
    }

    static Uni<Solved> solve(LanguageModel lm, Engine engine, String strategy, int budget, Game24Puzzle p) {
        String question = "Use " + p.text() + " to make 24.";
        int[] ids = lm.encodePrompt(lm.renderChat(List.of(ChatMessage.user(question))));
        SearchConfig cfg = SearchConfig.builder().budget(budget).seed(p.rank())
                .temperature(temperature())
                .likelihoodWeight(likelihoodWeight())
                .leafEvaluation(leafEvaluation())
                .rankAnswerCheck(Boolean.getBoolean("eval.rankAnswerCheck"))
                .maxStepTokens(48).maxChainTokens(200).maxDepth(6).build();
        return Uni.createFrom().deferred(() -> {
            SearchSession session = withAnswerCheck(lm, engine.openSession(ids).redrawDuplicates(redraws())
                    .distinctSiblings(distinct()).topP(topP()), question);
            return Searches.result(strategy, new Problem("24-" + p.rank(), question), cfg, session)
                    .eventually(session::close);
        }).map(r -> new Solved(r, r.answer() != null && Game24Checker.check(p.text(), r.answer()).valid()));
    }

    /** Reads and writes result lines. */
    static final class Results {

        static String line(Outcome o) {
            return String.format(Locale.ROOT, "{\"strategy\": \"%s\", \"budget\": %d, \"puzzles\": %d, \"solved\": %d, "
                            + "\"accuracy\": %.4f, \"generatedTokens\": %d, \"tokensPerPuzzle\": %.1f, \"selfChecks\": %d, "
                            + "\"modelCalls\": %d, \"wallSeconds\": %.1f, \"expandedNodes\": %d, \"proposedChildren\": %d, "
                            + "\"distinctChildren\": %d, \"computedTokens\": %d}",
                    o.strategy(), o.budget(), o.puzzles(), o.solved(), o.accuracy(), o.generatedTokens(),
                    o.tokensPerPuzzle(), o.selfChecks(), o.modelCalls(), o.wallSeconds(), o.expandedNodes(),
                    o.proposedChildren(), o.distinctChildren(), o.computedTokens());
        }

        /** One result line; lines written before expansions were counted read as none. */
        static Outcome outcome(JsonNode n) {
            return new Outcome(n.get("strategy").asText(), n.get("budget").asInt(), n.get("puzzles").asInt(),
                    n.get("solved").asInt(), n.get("generatedTokens").asLong(), n.get("selfChecks").asLong(),
                    n.get("modelCalls").asLong(), n.get("wallSeconds").asDouble(), n.path("expandedNodes").asLong(0),
                    n.path("proposedChildren").asLong(0), n.path("distinctChildren").asLong(0),
                    n.path("computedTokens").asLong(0));
        }

        static Map<String, Outcome> read(Path jsonl) throws IOException {
            Map<String, Outcome> out = new LinkedHashMap<>();
            if (!Files.exists(jsonl)) {
                return out;
            }
            var json = new ObjectMapper();
            for (String l : Files.readAllLines(jsonl)) {
                if (l.isBlank()) {
                    continue;
                }
                Outcome o = outcome(json.readTree(l));
                out.put(o.strategy() + "@" + o.budget(), o);
            }
            return out;
        }
    }
}

package dev.ponder.bench.peer;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.cli.ExistingPath;
import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Searches;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * ponder's engine against llama.cpp on the same searches, in one process:
 * {@code bin/run dev.ponder.bench.peer.PeerBenchmark <checkpoint-dir> [repeats] [out-dir] [threads]}.
 *
 * <p>The checkpoint is exported to GGUF (F32) and checked first ({@link PeerCheck}). Then every repeat runs
 * best-of-8 and beam-8 (budget 8, same seeds, same Game-of-24 validation prompts) through ponder's engine
 * twice, alternating which goes first: on ponder's own model ({@code TransformerRunner}) and on llama.cpp
 * ({@link LlamaCppRunner}). The searches, the step layer and the scheduler are the same code; only the
 * forward passes and the KV memory differ.
 * speedup = llama.cpp wall time / ponder wall time, per repeat (ratios within one repeat), median over
 * repeats; per strategy and overall (both strategies' times summed).
 */
@Command(name = "PeerBenchmark", mixinStandardHelpOptions = true,
        description = "ponder's engine against llama.cpp on the same best-of-8 and beam-8 searches, in one process.")
public final class PeerBenchmark implements Callable<Integer> {

    static final List<String> STRATEGIES = List.of("best-of-n", "beam");
    static final int PROMPTS = 4;
    static final Duration WAIT = Duration.ofMinutes(10);
    static final String PEER_NAME = "llama.cpp (de.kherud:llama 4.2.0)";

    @Parameters(index = "0", paramLabel = "<checkpoint-dir>", converter = ExistingPath.class,
            description = "the ponder checkpoint both engines run (exported to GGUF for llama.cpp)")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", defaultValue = "5",
            description = "timed repeats; the median speedup is reported (default: ${DEFAULT-VALUE})")
    private int repeats;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<out-dir>", defaultValue = "docs/benchmarks",
            description = "where peer.md goes and engine.json gets its \"peer\" key (default: ${DEFAULT-VALUE})")
    private Path out;

    @Parameters(index = "3", arity = "0..1", defaultValue = "2",
            description = "compute threads of each engine (default: ${DEFAULT-VALUE})")
    private int threads;

    private PeerBenchmark() {
    }

    /** The search settings both engines run (Game24Eval's limits, budget 8). */
    static SearchConfig config(long seed) {
        return SearchConfig.builder().budget(8).seed(seed).temperature(1.0).maxStepTokens(48).maxChainTokens(200)
                .maxDepth(6).build();
    }

    public static void main(String[] args) {
        // a failure prints its stack trace and gives status 1 (picocli's default)
        int status = new CommandLine(new PeerBenchmark()).execute(args);
        // de.kherud:llama 4.2.0 attaches its server thread to the JVM and never detaches it, so a JVM that
        // loaded a LlamaModel (PeerCheck does) cannot end by itself
        System.exit(status);
    }

    @Override
    public Integer call() throws IOException {
        Path gguf = Files.createTempFile("ponder-peer-", ".gguf");
        try (LanguageModel loaded = LanguageModel.load(dir)) {
            // ponder's cached passes on the kernel the service would pick (PONDER_MODEL_KERNEL, auto by default)
            LanguageModel lm = loaded.withConfiguredKernel();
            System.err.println("ponder kernel: " + lm.transformer().kernel());
            // both engines compute with the same number of threads
            JniUtils.setNumThreads(threads);
            GgufExport.export(lm, gguf);
            List<Game24Puzzle> puzzles = new TaskDatasets(TrainConfig.defaults().dataSeed())
                    .puzzles(TaskDatasets.Split.VALIDATION).subList(0, PROMPTS);
            List<String> rendered = new ArrayList<>();
            for (Game24Puzzle p : puzzles) {
                rendered.add(lm.renderChat(List.of(ChatMessage.user("Use " + p.text() + " to make 24."))));
            }
            LlamaCppRunner.Settings settings = new LlamaCppRunner.Settings(threads, 8192, 2048, 256, 8);
            try (Engine engine = new Engine(lm, EngineConfig.defaults());
                 Engine peer = new Engine(new LlamaCppRunner(gguf, settings, lm.profile()), EngineConfig.defaults())) {
                PeerCheck.Result check = PeerCheck.run(lm, gguf, engine, peer, rendered, 200);
                System.err.println("check: " + check);
                Runs runs = measure(lm, engine, peer, puzzles, rendered, repeats);
                write(out, dir, lm, repeats, threads, puzzles, check, runs);
            }
        } finally {
            Files.deleteIfExists(gguf);
        }
        return 0;
    }

    /**
     * Wall times in ms: [repeat][strategy] summed over prompts, per engine; generated tokens per engine and
     * strategy in the first repeat; and per engine and strategy over all timed repeats {forward passes,
     * tokens computed, ms inside forward passes}.
     */
    record Runs(double[][] ponder, double[][] peer, long[] ponderTokens, long[] peerTokens, int sameChains, int searches,
                double[][] ponderWork, double[][] peerWork) {
    }

    static Runs measure(LanguageModel lm, Engine engine, Engine peer, List<Game24Puzzle> puzzles,
                        List<String> rendered, int repeats) {
        int s = STRATEGIES.size();
        double[][] ponder = new double[repeats][s];
        double[][] llama = new double[repeats][s];
        long[] ponderTokens = new long[s];
        long[] peerTokens = new long[s];
        int same = 0;
        int searches = 0;
        double[][] ponderWork = new double[s][3];
        double[][] peerWork = new double[s][3];
        // warm-up: every search once on both (JIT, allocator, prompt caches), not timed
        for (int k = 0; k < s; k++) {
            for (int i = 0; i < puzzles.size(); i++) {
                runPonder(lm, engine, STRATEGIES.get(k), puzzles.get(i), rendered.get(i));
                runPeer(peer, STRATEGIES.get(k), puzzles.get(i), rendered.get(i));
            }
        }
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < s; k++) {
                for (int i = 0; i < puzzles.size(); i++) {
                    String strategy = STRATEGIES.get(k);
                    Timed a;
                    Timed b;
                    if ((r + i) % 2 == 0) {
                        a = runPonder(lm, engine, strategy, puzzles.get(i), rendered.get(i));
                        b = runPeer(peer, strategy, puzzles.get(i), rendered.get(i));
                    } else {
                        b = runPeer(peer, strategy, puzzles.get(i), rendered.get(i));
                        a = runPonder(lm, engine, strategy, puzzles.get(i), rendered.get(i));
                    }
                    ponder[r][k] += a.ms();
                    llama[r][k] += b.ms();
                    for (int w = 0; w < 3; w++) {
                        ponderWork[k][w] += a.work()[w];
                        peerWork[k][w] += b.work()[w];
                    }
                    if (r == 0) {
                        ponderTokens[k] += a.result().usage().generatedTokens();
                        peerTokens[k] += b.result().usage().generatedTokens();
                        same += a.result().chain().text().equals(b.result().chain().text()) ? 1 : 0;
                        searches++;
                    }
                }
                System.err.printf(Locale.ROOT, "repeat %d/%d %s: ponder %.0f ms, llama.cpp %.0f ms%n", r + 1, repeats,
                        STRATEGIES.get(k), ponder[r][k], llama[r][k]);
            }
        }
        return new Runs(ponder, llama, ponderTokens, peerTokens, same, searches, ponderWork, peerWork);
    }

    /** One search: wall ms, its result, and {forward passes, tokens computed, ms in forward passes}. */
    record Timed(double ms, SearchResult result, double[] work) {
    }

    /** Searches that failed and were run again (see {@link #runPonder}), and why. */
    static final AtomicInteger RETRIES = new AtomicInteger();
    static final Set<String> ERRORS = new ConcurrentSkipListSet<>();

    /** One search on ponder's own model; the prompt is tokenized by ponder. */
    static Timed runPonder(LanguageModel lm, Engine engine, String strategy, Game24Puzzle p, String rendered) {
        return runWithRetries("ponder", engine, lm.encodePrompt(rendered), strategy, p, rendered);
    }

    /** One search on llama.cpp; the peer tokenizes with llama.cpp itself (PeerCheck shows the ids equal ponder's). */
    static Timed runPeer(Engine peer, String strategy, Game24Puzzle p, String rendered) {
        return runWithRetries("llama.cpp", peer, peer.runner().encode(rendered), strategy, p, rendered);
    }

    /**
     * A search that fails is run again (at most twice more); the failures are counted and reported, and only
     * the successful run is timed.
     */
    static Timed runWithRetries(String name, Engine engine, int[] ids, String strategy, Game24Puzzle p, String rendered) {
        for (int attempt = 0; ; attempt++) {
            try {
                return runOnce(name, engine, ids, strategy, p, rendered);
            } catch (IllegalStateException e) {
                if (attempt == 2) {
                    throw e;
                }
                RETRIES.incrementAndGet();
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                ERRORS.add(name + ": " + root.getMessage());
                System.err.println("retrying after " + e.getMessage() + ": " + root.getMessage());
            }
        }
    }

    static Timed runOnce(String name, Engine engine, int[] ids, String strategy, Game24Puzzle p, String rendered) {
        var before = engine.metrics().snapshot();
        long t0 = System.nanoTime();
        SearchResult result;
        try (SearchSession session = engine.openSession(ids)) {
            result = Searches.result(strategy, problem(p, rendered), config(p.rank()), session).await().atMost(WAIT);
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + ": " + strategy + " on " + p.text() + " failed", e);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        var d = engine.metrics().snapshot().minus(before);
        return new Timed(ms, result, new double[] {d.passes(), d.tokensComputed(), d.modelNanos() / 1e6});
    }

    static Problem problem(Game24Puzzle p, String rendered) {
        return new Problem("24-" + p.rank(), rendered);
    }

    private static double sum(double[][] ms, int strategy) {
        double t = 0;
        for (double[] r : ms) {
            t += r[strategy];
        }
        return t;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void write(Path out, Path dir, LanguageModel lm, int repeats, int threads, List<Game24Puzzle> puzzles,
                              PeerCheck.Result check, Runs runs) throws IOException {
        int s = STRATEGIES.size();
        double[] overall = new double[repeats];
        double[][] ratio = new double[s][repeats];
        double[][] ponderMs = new double[s][repeats];
        double[][] peerMs = new double[s][repeats];
        for (int r = 0; r < repeats; r++) {
            double a = 0;
            double b = 0;
            for (int k = 0; k < s; k++) {
                ratio[k][r] = runs.peer()[r][k] / runs.ponder()[r][k];
                ponderMs[k][r] = runs.ponder()[r][k];
                peerMs[k][r] = runs.peer()[r][k];
                a += runs.ponder()[r][k];
                b += runs.peer()[r][k];
            }
            overall[r] = b / a;
        }
        Map<String, Double> speedups = new LinkedHashMap<>();
        speedups.put("speedup", median(overall));
        speedups.put("bestOfN", median(ratio[0]));
        speedups.put("beam", median(ratio[1]));

        // engine.json: set "peer", keep everything else
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(out);
        Path file = out.resolve("engine.json");
        ObjectNode root = Files.isRegularFile(file) ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
        ObjectNode peer = root.putObject("peer");
        peer.put("name", PEER_NAME);
        speedups.forEach((k, v) -> peer.put(k, Math.round(v * 1e4) / 1e4));
        json.writeValue(file.toFile(), root);

        StringBuilder md = new StringBuilder();
        md.append("# Peer benchmark: ponder's engine against llama.cpp\n\n");
        md.append(String.format(Locale.ROOT, "Checkpoint `%s` (%s, %,d parameters, vocabulary %d), fp32 on the CPU "
                        + "(%d cores), %d threads for each engine. Medians of %d repeats; every ratio is taken within "
                        + "one repeat.%n%n", dir, lm.config().architecture(), lm.config().parameterCount(),
                lm.config().vocabSize(), Runtime.getRuntime().availableProcessors(), threads, repeats));
        md.append("Command: `bin/run dev.ponder.bench.peer.PeerBenchmark ").append(dir).append(' ').append(repeats)
                .append("`\n\n");
        md.append("## Setup\n\n");
        md.append("- Searches: `best-of-n` and `beam` with `SearchConfig.builder().budget(8).seed(rank).temperature(1.0)"
                + ".maxStepTokens(48).maxChainTokens(200).maxDepth(6)`, on the first ").append(puzzles.size())
                .append(" Game-of-24 validation puzzles (")
                .append(String.join(", ", puzzles.stream().map(Game24Puzzle::text).toList()))
                .append("), each prompt `renderChat(user(\"Use a b c d to make 24.\"))`. One repeat = every search of "
                        + "both strategies on both engines, alternating which engine goes first; a warm-up round "
                        + "runs first, untimed.\n");
        md.append("- ponder: `new Engine(lm, EngineConfig.defaults())` (continuous batching, paged KV shared between "
                + "branches, prefix cache), one `SearchSession` per search, closed after it; cached passes on the "
                + lm.transformer().kernel().name().toLowerCase(Locale.ROOT) + " kernel (`ponder.model.kernel=auto`, "
                + "as the service picks).\n");
        md.append("- llama.cpp: the same checkpoint exported to GGUF (F32, `GgufExport`) and run by the llama.cpp "
                + "build inside `de.kherud:llama:4.2.0` (b4916, CPU) through its C API (`LlamaCppRunner`): one "
                + "context (8192 KV cells in f16, llama.cpp's default; n_batch 2048; KV defragmentation at 10% as in "
                + "llama-server), every branch a sequence of the unified KV cache, forks by "
                + "`llama_kv_self_seq_cp` (shared cells, nothing recomputed), all active sequences packed into one "
                + "`llama_decode` per pass, finished sequences kept for reuse like the server's `cache_prompt`.\n");
        md.append("- One step layer: both are `new Engine(runner, EngineConfig.defaults())` over the `ModelRunner` "
                + "interface (`TransformerRunner` and `LlamaCppRunner`), so branches, step ending and settling, seeds, "
                + "self-checks and the scheduler are the same code; only forward passes and KV memory differ.\n");
        md.append("- Why not the binding's server API: with `n_probs > 0` de.kherud:llama 4.2.0 aborts the JVM "
                + "(its JNI code looks up `probs`/`tok_str`, keys its bundled server no longer writes; "
                + "`GGML_ASSERT(it != m_data.m_value.object->end())` in json.hpp), and without token probabilities "
                + "there is no step log-likelihood and no P(yes)/P(no) self-check. Its server path is used for the "
                + "tokenization and greedy-text checks below.\n\n");
        md.append("## Same model, same searches\n\n");
        md.append(String.format(Locale.ROOT, "- Tokenization of the %d prompts equals ponder's: C API %d/%d, "
                        + "binding (`LlamaModel.encode`) %d/%d.%n", check.prompts(), check.tokenizationC(),
                check.prompts(), check.tokenizationBinding(), check.prompts()));
        md.append(String.format(Locale.ROOT, "- Greedy continuations (%d tokens) equal ponder's `Generator` token for "
                        + "token: llama.cpp via the peer %d/%d, ponder's engine %d/%d; the binding's own greedy "
                        + "completion gives the same text %d/%d.%n", check.greedyTokens(), check.greedyPeer(),
                check.prompts(), check.greedyEngine(), check.prompts(), check.greedyBindingText(), check.prompts()));
        md.append(String.format(Locale.ROOT, "- On those greedy chains: max |self-check difference| %.2e, max "
                + "|chain log-likelihood difference| %.2e.%n", check.maxSelfCheckDiff(), check.maxLogProbDiff()));
        md.append(String.format(Locale.ROOT, "- In the first timed repeat the engines generated %d / %d tokens "
                        + "(best-of-n) and %d / %d (beam), ponder / llama.cpp; %d of %d searches returned the same "
                        + "chain (sampling at temperature 1 amplifies float differences between the two runtimes).%n%n",
                runs.ponderTokens()[0], runs.peerTokens()[0], runs.ponderTokens()[1], runs.peerTokens()[1],
                runs.sameChains(), runs.searches()));
        if (RETRIES.get() > 0) {
            md.append(String.format(Locale.ROOT, "- The engines failed %d searches (%s) and ran them again; only "
                    + "the successful runs are timed.%n%n", RETRIES.get(), String.join("; ", ERRORS)));
        }
        md.append("## Results\n\n");
        md.append("| strategy | ponder ms (median) | llama.cpp ms (median) | speedup = llama.cpp / ponder (median of per-repeat ratios) |\n");
        md.append("|---|---|---|---|\n");
        for (int k = 0; k < s; k++) {
            md.append(String.format(Locale.ROOT, "| %s (budget 8) | %.0f | %.0f | %.2f |%n", STRATEGIES.get(k),
                    median(ponderMs[k]), median(peerMs[k]), median(ratio[k])));
        }
        md.append(String.format(Locale.ROOT, "| overall | | | **%.2f** |%n%n", median(overall)));
        md.append("Where the time goes, per repeat (means over the timed repeats):\n\n");
        md.append("| strategy | engine | forward passes | tokens computed | ms in forward passes | share of wall time |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (int k = 0; k < s; k++) {
            double[] pw = runs.ponderWork()[k];
            double[] lw = runs.peerWork()[k];
            md.append(String.format(Locale.ROOT, "| %s | ponder | %.0f | %.0f | %.0f | %.2f |%n", STRATEGIES.get(k),
                    pw[0] / repeats, pw[1] / repeats, pw[2] / repeats, pw[2] / sum(runs.ponder(), k)));
            md.append(String.format(Locale.ROOT, "| %s | llama.cpp | %.0f | %.0f | %.0f | %.2f |%n", STRATEGIES.get(k),
                    lw[0] / repeats, lw[1] / repeats, lw[2] / repeats, lw[2] / sum(runs.peer(), k)));
        }
        md.append('\n');
        md.append("Times are summed over the prompts of one repeat. `docs/benchmarks/engine.json` key `peer`: ")
                .append(json.writeValueAsString(peer).replace("\n", " ").replaceAll(" +", " ")).append(". Goal: > 1.\n");
        Files.writeString(out.resolve("peer.md"), md);
        System.out.print(md);
    }
}

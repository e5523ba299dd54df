package dev.ponder.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.cli.ExistingPath;
import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.EngineMetrics;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.Kernel;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.Precision;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Searches;
import dev.ponder.search.StepDelimiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The engine against its naive mode (no sharing, one sequence per pass), measured as ratios in one run:
 * recomputation and KV memory of a width-8 beam search over a 256-token prompt, decode throughput of 8 and
 * 32 concurrent branches against one, and the share of wall time spent outside forward passes; then ms per decode
 * step of 1 / 8 / 32 branches sharing a 256 / 1024 / 4096-token prefix. On the kernel the service picks and, as the
 * baseline in the same run, on torch.
 * Usage: {@code EngineBenchmark <checkpoint-dir> [out-dir] [repeats]}.
 */
@Command(name = "EngineBenchmark", mixinStandardHelpOptions = true,
        description = "The engine against its naive mode: recomputation, KV memory, decode throughput, prefix scaling.")
public final class EngineBenchmark implements Callable<Integer> {

    static final Duration WAIT = Duration.ofMinutes(10);

    /** Branches and shared-prefix lengths of the scaling table. */
    static final int[] BRANCHES = {1, 8, 32};
    static final int[] PREFIXES = {256, 1024, 4096};

    @Parameters(index = "0", paramLabel = "<checkpoint-dir>", converter = ExistingPath.class,
            description = "the Hugging Face checkpoint to measure")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<out-dir>", defaultValue = "docs/benchmarks",
            description = "where engine.md and engine.json go (default: ${DEFAULT-VALUE})")
    private Path out;

    @Parameters(index = "2", arity = "0..1", defaultValue = "5",
            description = "runs per figure; the medians are reported (default: ${DEFAULT-VALUE})")
    private int repeats;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EngineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();
        try (LanguageModel loaded = LanguageModel.load(dir, Precision.configured())) {
            // the kernel the service picks (PONDER_MODEL_KERNEL, auto by default) gives the top-level figures;
            // the torch kernel, measured in the same run, is the baseline beside them
            Kernel served = Kernel.configured(loaded.transformer().dtype(), loaded.config());
            List<Kernel> kernels = served == Kernel.TORCH ? List.of(Kernel.TORCH) : List.of(served, Kernel.TORCH);
            Map<Kernel, Map<String, Object>> byKernel = new LinkedHashMap<>();
            Map<Kernel, double[][]> scaling = new LinkedHashMap<>();
            for (Kernel k : kernels) {
                LanguageModel lm = loaded.withKernel(k);
                System.err.println("kernel " + k);
                byKernel.put(k, measure(lm, repeats));
                scaling.put(k, scaling(lm, Math.max(1, repeats / 2)));
            }
            results.put("kernel", served.name().toLowerCase(Locale.ROOT));
            results.put("contextTokens", 256 + 64);
            results.putAll(byKernel.get(served));
            if (served != Kernel.TORCH) {
                results.put("torch", byKernel.get(Kernel.TORCH));
            }
            md.append("# Engine benchmark\n\n");
            md.append(String.format(Locale.ROOT, "Checkpoint `%s` (%s, %,d parameters), %s on the %s (%d cores), "
                            + "cached passes on the **%s** kernel (`ponder.model.kernel=auto`), with the torch kernel "
                            + "measured in the same run as the baseline. Every figure is a median of %d runs; ratios "
                            + "are taken within one run.%n%n",
                    dir, loaded.config().architecture(), loaded.config().parameterCount(),
                    loaded.transformer().dtype().name().toLowerCase(Locale.ROOT),
                    ai.djl.engine.Engine.getInstance().defaultDevice().isGpu() ? "GPU" : "CPU",
                    Runtime.getRuntime().availableProcessors(), served.name().toLowerCase(Locale.ROOT), repeats));
            md.append("Command: `bin/run dev.ponder.bench.EngineBenchmark ").append(dir).append(" docs/benchmarks ")
                    .append(repeats).append("`\n\n");
            md.append("| key | ").append(served.name().toLowerCase(Locale.ROOT)).append(" kernel | ")
                    .append(served == Kernel.TORCH ? "" : "torch kernel | ").append("goal | what |\n|---|---|")
                    .append(served == Kernel.TORCH ? "" : "---|").append("---|---|\n");
            Map<String, Object> torch = served == Kernel.TORCH ? null : byKernel.get(Kernel.TORCH);
            row(md, results, torch, "recomputeRatio", "<= 1.05", "beam (width 8, 3 children each) over a 256-token prompt: tokens computed / distinct tokens in the tree");
            row(md, results, torch, "naiveRecomputeRatio", "about 8", "the same search on the naive engine");
            row(md, results, torch, "kvMemoryRatio", "<= 0.35", "peak KV blocks of that search / the naive engine's");
            row(md, results, torch, "beamSpeedupVsNaive", "", "naive wall time / engine wall time for that search");
            row(md, results, torch, "decodeSpeedup8", ">= 4", "decode tokens/s with 8 concurrent branches / one sequence");
            row(md, results, torch, "decodeSpeedup32", ">= 10", "decode tokens/s with 32 concurrent branches / one sequence");
            row(md, results, torch, "schedulerOverhead", "<= 0.10", "share of wall time outside forward passes at batch >= 8 (worse of 8 and 32)");
            row(md, results, torch, "decodeTokPerS1", "", "tokens/s, one sequence (256-token prompt, 64 new tokens: context up to 320)");
            row(md, results, torch, "decodeTokPerS8", "", "tokens/s, 8 branches");
            row(md, results, torch, "decodeTokPerS32", "", "tokens/s, 32 branches");
            md.append("\n## Scaling with a shared prefix\n\nms per decode step (one pass, one new token per branch), "
                    + "for k branches forked from one prompt of P tokens (the prompt in the paged cache once, shared), "
                    + "time inside the model over the passes of a run of ").append(SCALING_STEPS)
                    .append(" steps, median of ").append(Math.max(1, repeats / 2)).append(" runs.\n\n| kernel | P | k = 1 | k = 8 | k = 32 | k = 32 / k = 1 |\n|---|---|---|---|---|---|\n");
            Map<String, Object> scalingJson = new LinkedHashMap<>();
            for (var e : scaling.entrySet()) {
                String name = e.getKey().name().toLowerCase(Locale.ROOT);
                for (int pi = 0; pi < PREFIXES.length; pi++) {
                    double[] ms = e.getValue()[pi];
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.1f |%n", name, PREFIXES[pi],
                            ms[0], ms[1], ms[2], ms[2] / ms[0]));
                    for (int bi = 0; bi < BRANCHES.length; bi++) {
                        scalingJson.put(name + ".p" + PREFIXES[pi] + ".k" + BRANCHES[bi], ms[bi]);
                    }
                }
            }
            results.put("scalingMsPerStep", scalingJson);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("engine.md"), md);
        // keep keys other benchmarks own (PeerBenchmark writes "peer")
        var mapper = new ObjectMapper();
        Path jsonFile = out.resolve("engine.json");
        var node = Files.exists(jsonFile) ? (ObjectNode) mapper.readTree(jsonFile.toFile())
                : mapper.createObjectNode();
        results.forEach((k, v) -> node.set(k, json(mapper, v)));
        mapper.writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), node);
        System.out.print(md);
        return 0;
    }

    private static JsonNode json(ObjectMapper mapper, Object v) {
        if (v instanceof Double d) {
            return mapper.getNodeFactory().numberNode(Math.round(d * 10_000) / 10_000.0);
        }
        if (v instanceof Map<?, ?> m) {
            var o = mapper.createObjectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), json(mapper, x)));
            return o;
        }
        return mapper.valueToTree(v);
    }

    /** The engine figures of one kernel: recomputation, KV memory and speed of a beam search; decode throughput. */
    static Map<String, Object> measure(LanguageModel lm, int repeats) {
        Map<String, Object> results = new LinkedHashMap<>();
        int[] prompt = prompt256(lm);
        EngineConfig shared = new EngineConfig(16, 1L << 30, 2048, 256, true);
        List<double[]> beam = new ArrayList<>();     // {computed, tree, peakBlocks, wallMs}
        List<double[]> naive = new ArrayList<>();
        try (Engine e = new Engine(lm, shared); Engine n = new Engine(lm, shared.naive())) {
            for (int r = 0; r < repeats; r++) {
                beam.add(beamRun(e, prompt, 100 + r));
                naive.add(beamRun(n, prompt, 100 + r));
                System.err.printf(Locale.ROOT, "beam run %d/%d: shared computed %.0f of %.0f tree tokens, naive %.0f%n",
                        r + 1, repeats, beam.get(r)[0], beam.get(r)[1], naive.get(r)[0]);
            }
            double[] recompute = new double[repeats];
            double[] naiveRecompute = new double[repeats];
            double[] memory = new double[repeats];
            double[] speed = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                recompute[r] = beam.get(r)[0] / beam.get(r)[1];
                naiveRecompute[r] = naive.get(r)[0] / naive.get(r)[1];
                memory[r] = beam.get(r)[2] / naive.get(r)[2];
                speed[r] = naive.get(r)[3] / beam.get(r)[3];
            }
            results.put("recomputeRatio", ModelBenchmark.median(recompute));
            results.put("naiveRecomputeRatio", ModelBenchmark.median(naiveRecompute));
            results.put("kvMemoryRatio", ModelBenchmark.median(memory));
            results.put("beamSpeedupVsNaive", ModelBenchmark.median(speed));

            // decode throughput: k concurrent branches of one prompt, 64 tokens each, no step delimiter
            Map<Integer, double[]> decode = new LinkedHashMap<>();
            for (int k : BRANCHES) {
                double[] tps = new double[repeats];
                double[] overhead = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    double[] d = decodeRun(e, prompt, k, 64, 200 + r);
                    tps[r] = d[0];
                    overhead[r] = d[1];
                }
                decode.put(k, new double[] {ModelBenchmark.median(tps), ModelBenchmark.median(overhead)});
                System.err.printf(Locale.ROOT, "decode k=%d: %.0f tok/s, outside-model share %.3f%n", k,
                        decode.get(k)[0], decode.get(k)[1]);
            }
            results.put("decodeTokPerS1", decode.get(1)[0]);
            results.put("decodeTokPerS8", decode.get(8)[0]);
            results.put("decodeTokPerS32", decode.get(32)[0]);
            results.put("decodeSpeedup8", decode.get(8)[0] / decode.get(1)[0]);
            results.put("decodeSpeedup32", decode.get(32)[0] / decode.get(1)[0]);
            results.put("schedulerOverhead8", decode.get(8)[1]);
            results.put("schedulerOverhead32", decode.get(32)[1]);
            results.put("schedulerOverhead", Math.max(decode.get(8)[1], decode.get(32)[1]));
        }
        return results;
    }

    static final int SCALING_STEPS = 16;

    /** ms per decode step, [prefix][branches]: k branches of a P-token prompt decoding SCALING_STEPS tokens. */
    static double[][] scaling(LanguageModel lm, int repeats) {
        double[][] ms = new double[PREFIXES.length][BRANCHES.length];
        EngineConfig cfg = new EngineConfig(16, 1L << 30, 2048, 256, true);
        try (Engine e = new Engine(lm, cfg)) {
            for (int pi = 0; pi < PREFIXES.length; pi++) {
                int[] prompt = new int[PREFIXES[pi]];
                SplittableRandom r = new SplittableRandom(PREFIXES[pi]);
                for (int i = 0; i < prompt.length; i++) {
                    prompt[i] = 5 + r.nextInt(lm.config().vocabSize() - 5);
                }
                for (int bi = 0; bi < BRANCHES.length; bi++) {
                    double[] runs = new double[repeats];
                    for (int rep = 0; rep < repeats; rep++) {
                        runs[rep] = stepMs(e, prompt, BRANCHES[bi], 300 + rep);
                    }
                    ms[pi][bi] = ModelBenchmark.median(runs);
                    System.err.printf(Locale.ROOT, "scaling %s P=%d k=%d: %.2f ms per step%n", lm.transformer().kernel(),
                            PREFIXES[pi], BRANCHES[bi], ms[pi][bi]);
                }
            }
        }
        return ms;
    }

    /** Median ms inside the model per decode pass while k branches of {@code prompt} decode. */
    static double stepMs(Engine engine, int[] prompt, int k, long seed) {
        try (SearchSession s = engine.openSession(prompt)) {
            Chain root = Chain.of(new Problem("bench", "scaling"));
            Sampling settle = new Sampling(1.0, seed, 1, 10_000, new StepDelimiter("\u0000never"));
            s.propose(root, 1, settle).await().atMost(WAIT);          // prefill outside the timed part
            EngineMetrics.Snapshot before = engine.metrics().snapshot();
            s.propose(root, k, new Sampling(1.0, seed, SCALING_STEPS, 10_000, new StepDelimiter("\u0000never")))
                    .await().atMost(WAIT);
            EngineMetrics.Snapshot d = engine.metrics().snapshot().minus(before);
            return d.modelNanos() / 1e6 / Math.max(1, d.passes());
        }
    }

    private static String fmt(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(v);
    }

    private static void row(StringBuilder md, Map<String, Object> r, Map<String, Object> torch, String key, String goal,
                            String what) {
        Object v = r.get(key);
        md.append("| `").append(key).append("` | ").append(v == null ? "" : fmt(v)).append(" | ");
        if (torch != null) {
            md.append(fmt(torch.get(key))).append(" | ");
        }
        md.append(goal).append(" | ").append(what).append(" |\n");
    }

    /** A chat prompt of exactly 256 tokens: a Game-of-24 question after a long system message. */
    static int[] prompt256(LanguageModel lm) {
        String question = "Use 4 9 10 13 to make 24.";
        StringBuilder system = new StringBuilder();
        int[] ids = lm.encodePrompt(lm.renderChat(List.of(ChatMessage.user(question))));
        while (ids.length < 256) {
            system.append(system.length() % 7 == 0 ? ' ' : (char) ('a' + system.length() % 26));
            ids = lm.encodePrompt(lm.renderChat(List.of(ChatMessage.system(system.toString()), ChatMessage.user(question))));
        }
        while (ids.length > 256) {
            system.setLength(system.length() - 1);
            ids = lm.encodePrompt(lm.renderChat(List.of(ChatMessage.system(system.toString()), ChatMessage.user(question))));
        }
        return ids;
    }

    /** One beam search; returns {tokens computed, distinct tree tokens, peak KV blocks, wall ms}. */
    static double[] beamRun(Engine engine, int[] prompt, long seed) {
        engine.clearPrefixCache();
        EngineMetrics.Snapshot before = engine.metrics().snapshot();
        engine.metrics().resetPeak();
        SearchConfig cfg = SearchConfig.builder().budget(24).beamWidth(8).seed(seed).temperature(1.0)
                .maxStepTokens(24).maxChainTokens(96).maxDepth(4).build();
        long t0 = System.nanoTime();
        SearchResult result;
        try (SearchSession s = engine.openSession(prompt)) {
            result = Searches.result("beam", new Problem("bench", "24"), cfg, s).await().atMost(WAIT);
        }
        double wallMs = (System.nanoTime() - t0) / 1e6;
        EngineMetrics.Snapshot d = engine.metrics().snapshot().minus(before);
        if (result == null) {
            throw new IllegalStateException("no result");
        }
        return new double[] {d.tokensComputed(), d.treeTokens(), engine.metrics().peakUsedBlocks(), wallMs};
    }

    /** k branches decoding 64 tokens each; returns {decode tokens/s, share of wall time outside the model}. */
    static double[] decodeRun(Engine engine, int[] prompt, int k, int tokens, long seed) {
        try (SearchSession s = engine.openSession(prompt)) {
            Chain root = Chain.of(new Problem("bench", "decode"));
            Sampling settle = new Sampling(1.0, seed, 1, 10_000, new StepDelimiter("\u0000never"));
            s.propose(root, 1, settle).await().atMost(WAIT);          // prefill outside the timed part
            Sampling sampling = new Sampling(1.0, seed, tokens, 10_000, new StepDelimiter("\u0000never"));
            EngineMetrics.Snapshot before = engine.metrics().snapshot();
            long t0 = System.nanoTime();
            var steps = s.propose(root, k, sampling).await().atMost(WAIT);
            long wall = System.nanoTime() - t0;
            EngineMetrics.Snapshot d = engine.metrics().snapshot().minus(before);
            int generated = steps.stream().mapToInt(st -> st.tokenCount()).sum();
            return new double[] {generated / (wall / 1e9), 1.0 - (double) d.modelNanos() / wall};
        }
    }
}

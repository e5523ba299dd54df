package dev.ponder.bench;

import dev.ponder.cli.ExistingPath;
import dev.ponder.model.Generator;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.Precision;
import dev.ponder.model.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Prefill and decode throughput of one checkpoint at batch 1, 8 and 32 on the plain runtime (no engine),
 * medians of repeated runs. Usage: {@code ModelBenchmark <checkpoint-dir> <out-dir> [promptTokens] [newTokens] [repeats]}.
 * Writes {@code model-<name>.md} and {@code model-<name>.json}.
 */
@Command(name = "ModelBenchmark", mixinStandardHelpOptions = true,
        description = "Prefill and decode throughput of a checkpoint at batch 1, 8 and 32 on the plain runtime (no engine).")
public final class ModelBenchmark implements Callable<Integer> {

    record Row(int batch, double prefillTokPerS, double decodeTokPerS, double decodeStepMs) {
    }

    @Parameters(index = "0", paramLabel = "<checkpoint-dir>", converter = ExistingPath.class,
            description = "the Hugging Face checkpoint to measure")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<out-dir>", defaultValue = "docs/benchmarks",
            description = "where model-<name>.md and .json go (default: ${DEFAULT-VALUE})")
    private Path out;

    @Parameters(index = "2", arity = "0..1", defaultValue = "64",
            description = "random tokens per prompt (default: ${DEFAULT-VALUE})")
    private int promptTokens;

    @Parameters(index = "3", arity = "0..1", defaultValue = "32",
            description = "greedy new tokens per sequence (default: ${DEFAULT-VALUE})")
    private int newTokens;

    @Parameters(index = "4", arity = "0..1", defaultValue = "5",
            description = "runs per batch size; the medians are reported (default: ${DEFAULT-VALUE})")
    private int repeats;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        try (LanguageModel lm = LanguageModel.load(dir, Precision.configured())) {
            Generator gen = new Generator(lm.transformer(), lm.manager());
            SplittableRandom rnd = new SplittableRandom(1);
            int vocab = lm.config().vocabSize();
            List<Row> rows = new ArrayList<>();
            gen.generate(List.of(randomPrompt(rnd, vocab, promptTokens)), 4, SamplingParams.greedy(), null);  // warm-up
            for (int batch : new int[] {1, 8, 32}) {
                double[] prefill = new double[repeats];
                double[] decode = new double[repeats];
                double[] stepMs = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    List<int[]> prompts = new ArrayList<>();
                    for (int b = 0; b < batch; b++) {
                        prompts.add(randomPrompt(rnd, vocab, promptTokens));
                    }
                    gen.generate(prompts, newTokens, SamplingParams.greedy(), null);  // no stop: exactly newTokens each
                    Generator.Stats s = gen.lastStats();
                    prefill[r] = s.prefillTokens() / (s.prefillNanos() / 1e9);
                    decode[r] = s.decodeTokens() / (s.decodeNanos() / 1e9);
                    stepMs[r] = s.decodeNanos() / 1e6 / (newTokens - 1);
                    System.err.printf(Locale.ROOT, "batch %2d run %d/%d: prefill %.0f tok/s, decode %.0f tok/s%n",
                            batch, r + 1, repeats, prefill[r], decode[r]);
                }
                rows.add(new Row(batch, median(prefill), median(decode), median(stepMs)));
            }
            write(out, lm, rows, promptTokens, newTokens, repeats);
        }
        return 0;
    }

    static int[] randomPrompt(SplittableRandom rnd, int vocab, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = 3 + rnd.nextInt(Math.max(1, vocab - 3));
        }
        return p;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void write(Path out, LanguageModel lm, List<Row> rows, int promptTokens, int newTokens, int repeats)
            throws IOException {
        Files.createDirectories(out);
        String name = lm.name();
        StringBuilder md = new StringBuilder();
        md.append("# Model throughput: ").append(name).append("\n\n");
        md.append(String.format(Locale.ROOT, "%s, %,d parameters, %d layers, d=%d, fp32 on %s (%d cores). "
                        + "Prompts of %d random tokens, %d greedy new tokens per sequence; medians of %d runs.%n%n",
                lm.config().architecture(), lm.config().parameterCount(), lm.config().numLayers(),
                lm.config().hiddenSize(), lm.manager().getDevice(), Runtime.getRuntime().availableProcessors(),
                promptTokens, newTokens, repeats));
        md.append("Command: `").append(BenchCommands.model(lm.dir())).append("`\n\n");
        md.append("| batch | prefill tok/s | decode tok/s | decode step ms | decode speedup vs batch 1 |\n|---|---|---|---|---|\n");
        StringBuilder json = new StringBuilder("{\n  \"model\": \"" + name + "\",\n  \"rows\": [\n");
        double base = rows.get(0).decodeTokPerS();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.2f |%n", r.batch(), r.prefillTokPerS(),
                    r.decodeTokPerS(), r.decodeStepMs(), r.decodeTokPerS() / base));
            json.append(String.format(Locale.ROOT,
                    "    {\"batch\": %d, \"prefillTokPerS\": %.1f, \"decodeTokPerS\": %.1f, \"decodeStepMs\": %.3f}%s%n",
                    r.batch(), r.prefillTokPerS(), r.decodeTokPerS(), r.decodeStepMs(), i + 1 < rows.size() ? "," : ""));
        }
        json.append("  ]\n}\n");
        Files.writeString(out.resolve("model-" + name + ".md"), md);
        Files.writeString(out.resolve("model-" + name + ".json"), json);
        System.out.print(md);
    }
}

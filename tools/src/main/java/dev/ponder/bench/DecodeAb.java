package dev.ponder.bench;

import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.LanguageModel;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.StepDelimiter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Decode throughput of the engine as it is built, one JSON line on standard output: k branches of one
 * 256-token prompt (or {@code --prompt} tokens) decode 128 tokens each, for k = 1, 8 and 32, median tokens/s over the repeats. It uses only
 * the engine's oldest public calls, so {@code bin/ab} compiles this one file against an older commit too and
 * compares the two builds on the same machine, run after run.
 */
@Command(name = "DecodeAb", mixinStandardHelpOptions = true,
        description = "Decode tokens/s at 1, 8 and 32 branches of one prompt, as one JSON line.")
public final class DecodeAb implements Callable<Integer> {

    static final int[] BRANCHES = {1, 8, 32};
    static final int TOKENS = 128;

    @Parameters(index = "0", paramLabel = "<checkpoint-dir>", description = "the checkpoint to run")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", defaultValue = "7", description = "repeats per k (default: ${DEFAULT-VALUE})")
    private int repeats;

    @Option(names = "--prompt", defaultValue = "256", description = "prompt tokens the branches share (default: ${DEFAULT-VALUE})")
    private int promptTokens;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DecodeAb()).execute(args));
    }

    @Override
    public Integer call() {
        try (LanguageModel loaded = LanguageModel.load(dir)) {
            LanguageModel lm = loaded.withConfiguredKernel();
            int[] prompt = new int[promptTokens];
            SplittableRandom r = new SplittableRandom(promptTokens);
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = 5 + r.nextInt(lm.config().vocabSize() - 5);
            }
            StringBuilder json = new StringBuilder("{\"kernel\": \"" + lm.transformer().kernel() + "\", \"prompt\": "
                    + promptTokens);
            try (Engine e = new Engine(lm, new EngineConfig(16, 1L << 30, 2048, 256, true))) {
                for (int k : BRANCHES) {
                    decode(e, prompt, k, 2);                               // warm-up (JIT), not reported
                }
                for (int k : BRANCHES) {
                    double[] tps = new double[repeats];
                    for (int rep = 0; rep < repeats; rep++) {
                        tps[rep] = decode(e, prompt, k, 100 + rep);
                    }
                    Arrays.sort(tps);
                    json.append(String.format(Locale.ROOT, ", \"decodeTokPerS%d\": %.1f", k, tps[repeats / 2]));
                }
            }
            System.out.println(json.append("}"));
        }
        return 0;
    }

    /** Tokens/s while k branches of the prompt decode TOKENS tokens each (the prompt's prefill not timed). */
    static double decode(Engine engine, int[] prompt, int k, long seed) {
        StepDelimiter never = new StepDelimiter("\u0000never");
        try (SearchSession s = engine.openSession(prompt)) {
            Chain root = Chain.of(new Problem("ab", "decode"));
            s.propose(root, 1, new Sampling(1.0, seed, 1, 10_000, never)).await().indefinitely();
            long t0 = System.nanoTime();
            s.propose(root, k, new Sampling(1.0, seed, TOKENS, 10_000, never)).await().indefinitely();
            return k * TOKENS / ((System.nanoTime() - t0) / 1e9);
        }
    }
}

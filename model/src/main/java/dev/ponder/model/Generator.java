package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Plain batched generation: every prompt gets a contiguous range of KV slots, all prompts are prefilled in
 * one pass, then all unfinished sequences decode together, one token each per pass. The engine's paged,
 * shared cache is the production path; this one serves tests, benchmarks and the trainer's samples.
 */
public final class Generator {

    /** What one sequence produced. */
    public record Output(int[] tokens, double[] logProbs, boolean stopped) {
    }

    /** Timing of one {@link #generate} call, for benchmarks. */
    public record Stats(long prefillNanos, int prefillTokens, long decodeNanos, int decodeTokens) {
    }

    private final Transformer model;
    private final NDManager manager;
    private Stats lastStats;

    public Generator(Transformer model, NDManager manager) {
        this.model = model;
        this.manager = manager;
    }

    public Stats lastStats() {
        return lastStats;
    }

    public List<Output> generate(List<int[]> prompts, int maxNewTokens, SamplingParams sampling, IntPredicate stop) {
        int b = prompts.size();
        int capacity = prompts.stream().mapToInt(p -> p.length).max().orElse(0) + maxNewTokens;
        int vocab = model.config().vocabSize();
        List<List<Integer>> out = new ArrayList<>();
        List<List<Double>> logps = new ArrayList<>();
        boolean[] done = new boolean[b];
        boolean[] stopped = new boolean[b];
        int[] length = new int[b];
        int[] next = new int[b];
        SplittableRandom[] rng = new SplittableRandom[b];
        long prefillNs;
        long decodeNs = 0;
        int decodeTokens = 0;
        try (KvPool kv = model.newKvPool(manager, b * capacity, 1)) {
            // prefill: all prompts in one pass, logits of each last token
            List<SequenceInput> batch = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                out.add(new ArrayList<>());
                logps.add(new ArrayList<>());
                rng[i] = new SplittableRandom(sampling.seed() + 0x9E3779B97F4A7C15L * i);
                batch.add(new SequenceInput(prompts.get(i), 0, slots(i, capacity, prompts.get(i).length)));
                length[i] = prompts.get(i).length;
            }
            long t0 = System.nanoTime();
            float[] logits = run(batch, kv);
            prefillNs = System.nanoTime() - t0;
            List<Integer> active = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                active.add(i);
            }
            while (true) {
                // choose each active sequence's next token from its row of logits
                List<Integer> still = new ArrayList<>();
                for (int r = 0; r < active.size(); r++) {
                    int i = active.get(r);
                    Sampler.Choice c = Sampler.sample(logits, r * vocab, vocab, sampling, rng[i]);
                    out.get(i).add(c.token());
                    logps.get(i).add(c.logProb());
                    if (stop != null && stop.test(c.token())) {
                        stopped[i] = true;
                    } else if (out.get(i).size() < maxNewTokens) {
                        still.add(i);
                        next[i] = c.token();
                    }
                }
                if (still.isEmpty()) {
                    break;
                }
                // decode: one new token per unfinished sequence
                batch.clear();
                for (int i : still) {
                    batch.add(new SequenceInput(new int[] {next[i]}, length[i], slots(i, capacity, length[i] + 1)));
                    length[i]++;
                }
                long t1 = System.nanoTime();
                logits = run(batch, kv);
                decodeNs += System.nanoTime() - t1;
                decodeTokens += still.size();
                active = still;
            }
        }
        lastStats = new Stats(prefillNs, prompts.stream().mapToInt(p -> p.length).sum(), decodeNs, decodeTokens);
        List<Output> result = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            result.add(new Output(out.get(i).stream().mapToInt(Integer::intValue).toArray(),
                    logps.get(i).stream().mapToDouble(Double::doubleValue).toArray(), stopped[i]));
        }
        return result;
    }

    private float[] run(List<SequenceInput> batch, KvPool kv) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = model.forward(scope, new ForwardBatch(batch, ForwardBatch.Logits.LAST), kv);
            return logits.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static int[] slots(int seq, int capacity, int count) {
        int[] s = new int[count];
        for (int j = 0; j < count; j++) {
            s[j] = seq * capacity + j;
        }
        return s;
    }
}

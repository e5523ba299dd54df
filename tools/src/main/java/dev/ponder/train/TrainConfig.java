package dev.ponder.train;

import dev.ponder.tasks.TaskDatasets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every knob of one training run (nanoGPT style: one flat record, overridable as {@code --name=value}).
 *
 * @param dModel        model width d
 * @param layers        decoder blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads (grouped-query attention)
 * @param intermediate  SwiGLU width
 * @param steps         optimizer steps
 * @param batchTokens   examples are added to a batch until it holds at least this many tokens
 * @param lr            peak learning rate
 * @param minLr         floor of the cosine decay
 * @param warmup        linear warmup steps
 * @param weightDecay   decoupled weight decay on matrices (AdamW)
 * @param beta1         AdamW first-moment decay
 * @param beta2         AdamW second-moment decay
 * @param gradClip      global gradient-norm clip (0 disables)
 * @param evalInterval  steps between validation losses and state checkpoints
 * @param evalExamples  validation examples per evaluation
 * @param samplePuzzles validation puzzles greedy-decoded at the end (0 skips)
 * @param seed          initialization and batch order
 * @param dataSeed      the TaskDatasets seed that fixes the train/validation split
 * @param stopAfter     stop (resumably) after this step even though the schedule runs to {@code steps}; 0 runs all
 * @param outDir        the Hugging Face checkpoint written at the end
 * @param stateDir      resumable trainer state (weights, AdamW moments, step, RNG), written every evalInterval
 * @param storage       safetensors dtype of the exported weights: F32, F16 or BF16
 * @param init          fine-tuning: a Hugging Face checkpoint whose weights and tokenizer a fresh run starts from
 *                      (its architecture overrides dModel .. intermediate); empty: random initialization
 * @param mined         fine-tuning: a JSON-lines file of self-check examples ({@link SelfCheckMining}) mixed into
 *                      the task stream; empty: none
 * @param minedShare    the share of training examples drawn from {@code mined}
 * @param mix           proportions of Game-of-24 chains, Game-of-24 self-checks, arithmetic chains, arithmetic
 *                      self-checks, then optionally Game-of-24 state values, whole chains, answers rechecked and
 *                      board slips ({@link TaskDatasets.Mix}) in the training stream, comma-separated (validation always uses
 *                      {@link Batches#MIX}, so validation losses of runs with different mixes compare)
 */
public record TrainConfig(int dModel, int layers, int heads, int kvHeads, int intermediate,
                          int steps, int batchTokens, double lr, double minLr, int warmup, double weightDecay,
                          double beta1, double beta2, double gradClip, int evalInterval, int evalExamples,
                          int samplePuzzles, long seed, long dataSeed, int stopAfter, Path outDir, Path stateDir,
                          String storage, String init, String mined, double minedShare, String mix) {

    /** The mix of the first shipped run (and of runs whose saved state predates the mix setting). */
    public static final String FIRST_MIX = "0.35,0.35,0.15,0.15";

    /** The shipped ponder-tiny run. */
    public static TrainConfig defaults() {
        return new TrainConfig(192, 6, 4, 2, 512, 4000, 4096, 2e-3, 2e-4, 100, 0.1, 0.9, 0.99, 1.0, 100, 256,
                20, 1337, 0, 0, Path.of("model/src/main/resources/models/ponder-tiny"), Path.of("/tmp/ponder-tiny-state"), "F16",
                "", "", 0.0, "0.5,0.3,0.1,0.1");
    }

    /** The training stream's proportions, parsed from {@link #mix}. */
    public TaskDatasets.Mix taskMix() {
        String[] p = mix.split(",");
        if (p.length < 4 || p.length > 8) {
            throw new IllegalArgumentException("mix needs 4 to 8 comma-separated proportions: " + mix);
        }
        return new TaskDatasets.Mix(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
                Double.parseDouble(p[2].trim()), Double.parseDouble(p[3].trim()),
                p.length >= 5 ? Double.parseDouble(p[4].trim()) : 0,
                p.length >= 6 ? Double.parseDouble(p[5].trim()) : 0,
                p.length >= 7 ? Double.parseDouble(p[6].trim()) : 0,
                p.length == 8 ? Double.parseDouble(p[7].trim()) : 0);
    }

    /** True when a fresh run starts from the weights of {@code init} (fine-tuning). */
    public boolean fineTune() {
        return !init.isBlank();
    }

    /** Peak lr, linear warmup, then cosine decay to minLr at the last step (Loshchilov and Hutter 2017). */
    public double learningRate(int step) {
        if (step < warmup) {
            return lr * (step + 1) / warmup;
        }
        double progress = Math.min(1.0, (double) (step - warmup) / Math.max(1, steps - warmup));
        return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (lr - minLr);
    }

    /** Applies {@code --name=value} overrides (record component names). */
    public TrainConfig with(String... args) {
        Map<String, String> v = asMap();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + a);
            }
            String key = a.substring(2, a.indexOf('='));
            if (!v.containsKey(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + v.keySet());
            }
            v.put(key, a.substring(a.indexOf('=') + 1));
        }
        return fromMap(v);
    }

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (var c : TrainConfig.class.getRecordComponents()) {
            try {
                m.put(c.getName(), String.valueOf(c.getAccessor().invoke(this)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    public static TrainConfig fromMap(Map<String, String> v) {
        return new TrainConfig(i(v, "dModel"), i(v, "layers"), i(v, "heads"), i(v, "kvHeads"), i(v, "intermediate"),
                i(v, "steps"), i(v, "batchTokens"), d(v, "lr"), d(v, "minLr"), i(v, "warmup"), d(v, "weightDecay"),
                d(v, "beta1"), d(v, "beta2"), d(v, "gradClip"), i(v, "evalInterval"), i(v, "evalExamples"),
                i(v, "samplePuzzles"), Long.parseLong(v.get("seed")), Long.parseLong(v.get("dataSeed")),
                i(v, "stopAfter"), Path.of(v.get("outDir")), Path.of(v.get("stateDir")), v.get("storage"),
                v.getOrDefault("init", ""), v.getOrDefault("mined", ""),
                Double.parseDouble(v.getOrDefault("minedShare", "0.0")),      // absent in states saved before fine-tuning
                v.getOrDefault("mix", FIRST_MIX));                            // absent in states saved before the mix setting
    }

    private static int i(Map<String, String> v, String k) {
        return Integer.parseInt(v.get(k));
    }

    private static double d(Map<String, String> v, String k) {
        return Double.parseDouble(v.get(k));
    }
}

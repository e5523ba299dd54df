package dev.ponder.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ponder.model.ForwardBatch;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.SequenceInput;
import dev.ponder.model.Transformer;
import dev.ponder.progress.ProgressBar;
import dev.ponder.tasks.TaskExample;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training loop, in the manner of nanoGPT's train.py: for each step, a batch, forward and backward
 * through the runtime's {@link Transformer}, global-norm clipping, an AdamW update at the warmup + cosine
 * learning rate; every evalInterval steps a validation loss and a resumable state checkpoint.
 */
public final class Trainer {

    /** One logged point of the loss curve; valLoss is NaN between evaluations. */
    public record Row(int step, double trainLoss, double valLoss, double lr, double seconds) {
    }

    private final TrainConfig cfg;
    private final CharTokenizer tok;
    private final ModelConfig model;
    private final NDManager manager;
    private final Batches batches;
    private final List<List<TokenizedExample>> validation;
    private final Map<String, float[]> host;       // master copy of the weights, updated by AdamW
    private final Map<String, NDArray> device;     // the same values as autograd leaves
    private final Map<String, Boolean> decay = new LinkedHashMap<>();
    private final Transformer transformer;
    private final AdamW adam;
    private final List<Row> history = new ArrayList<>();
    private int step;
    private double elapsed;
    private final ProgressLine progressLine = new ProgressLine();

    /** A fresh run from seeded initial weights, or the state saved in {@code state} when it is not null. */
    public Trainer(TrainConfig cfg, CharTokenizer tok, Batches batches, NDManager manager, TrainState.Saved state) {
        this(cfg, tok, batches, manager, state, null);
    }

    /**
     * As above; a fresh run (no {@code state}) starts from {@code initial} weights when they are given
     * (fine-tuning, with fresh AdamW moments and the schedule from step 0).
     */
    public Trainer(TrainConfig cfg, CharTokenizer tok, Batches batches, NDManager manager, TrainState.Saved state,
                   Map<String, float[]> initial) {
        this.cfg = cfg;
        this.tok = tok;
        this.model = TinyLlama.config(cfg, tok.vocabSize());
        this.manager = manager;
        this.batches = batches;
        this.validation = batches.validation();
        this.adam = new AdamW(cfg.beta1(), cfg.beta2());
        if (state == null && initial != null) {
            this.host = new LinkedHashMap<>();
            TinyLlama.shapes(model).forEach((k, sh) -> host.put(k, initial.get(k).clone()));
        } else if (state == null) {
            this.host = TinyLlama.init(model, cfg.seed());
        } else {
            this.host = state.params();
            adam.restore(state.firstMoments(), state.secondMoments(), state.step());
            this.step = state.step();
            this.elapsed = state.elapsedSeconds();
            history.addAll(state.history());
        }
        this.device = TinyLlama.toArrays(model, host, manager);
        TinyLlama.shapes(model).forEach((k, s) -> decay.put(k, s.dimension() >= 2));
        this.transformer = new Transformer(model, TinyLlama.weights(model, device));
    }

    public ModelConfig modelConfig() {
        return model;
    }

    public Transformer transformer() {
        return transformer;
    }

    public Map<String, float[]> weights() {
        return host;
    }

    public List<Row> history() {
        return history;
    }

    public int step() {
        return step;
    }

    /**
     * Trains until cfg.steps (or cfg.stopAfter), saving state every evalInterval steps and at the end; shows
     * step/total, loss, last validation loss, lr, tok/s and time left on {@code progress} unless it is null.
     */
    public void run(ProgressBar progress) throws IOException {
        int end = cfg.stopAfter() > 0 ? Math.min(cfg.stopAfter(), cfg.steps()) : cfg.steps();
        while (step < end) {
            long t0 = System.nanoTime();
            double lr = cfg.learningRate(step);
            List<TokenizedExample> batch = batches.train(step);
            double loss = trainStep(batch, lr);
            double seconds = (System.nanoTime() - t0) / 1e9;
            elapsed += seconds;
            step++;
            boolean eval = step % cfg.evalInterval() == 0 || step == end;
            double val = eval ? validationLoss() : Double.NaN;
            history.add(new Row(step, loss, val, lr, elapsed));
            if (progress != null) {
                progressLine.show(progress, step, cfg.steps(), loss, val, lr, tokens(batch), seconds, elapsed);
            }
            if (eval) {
                TrainState.save(cfg.stateDir(), cfg, tok, host, adam, step, elapsed, history);
            }
        }
    }

    /** One optimizer step; returns the batch's mean loss before the update. */
    double trainStep(List<TokenizedExample> batch, double lr) {
        double loss;
        try (NDManager scope = manager.newSubManager()) {
            NDArray l;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                l = lossSum(scope, batch, true);                                           // scalar mean NLL
                gc.backward(l);
            }
            loss = l.getFloat();
        }
        // read and zero the gradients, clip by global norm, update the host weights, copy them back
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (var e : device.entrySet()) {
            try (NDArray g = e.getValue().getGradient()) {
                grads.put(e.getKey(), g.toFloatArray());
                g.subi(g);
            }
        }
        double norm = AdamW.globalNorm(grads);
        double scale = cfg.gradClip() > 0 && norm > cfg.gradClip() ? cfg.gradClip() / norm : 1.0;
        adam.step(host, grads, decay, lr, cfg.weightDecay(), scale);
        for (var e : device.entrySet()) {
            e.getValue().set(FloatBuffer.wrap(host.get(e.getKey())));
        }
        return loss;
    }

    /** Mean loss per target token over {@code examples} (no gradients), in batches of about batchTokens. */
    public double meanLoss(List<? extends TaskExample> examples) {
        return meanLossOver(Batches.packed(examples, tok, cfg.batchTokens()));
    }

    /** Mean loss over the fixed validation set (no gradients). */
    public double validationLoss() {
        return meanLossOver(validation);
    }

    private double meanLossOver(List<List<TokenizedExample>> batches) {
        double sum = 0;
        long count = 0;
        for (List<TokenizedExample> b : batches) {
            try (NDManager scope = manager.newSubManager()) {
                sum += lossSum(scope, b, false).getFloat();
            }
            count += b.stream().mapToInt(TokenizedExample::lossPositions).sum();
        }
        return sum / count;
    }

    /**
     * Cross-entropy of the next token over the loss positions of a packed ragged batch: log-softmax over the
     * logits [R, V], weighted by a host-built matrix that is 1 (or 1/count for the mean) at each scored
     * position's target id and 0 elsewhere.
     */
    NDArray lossSum(NDManager scope, List<TokenizedExample> batch, boolean mean) {
        List<SequenceInput> seqs = new ArrayList<>();
        int rows = 0;
        int positions = 0;
        for (TokenizedExample e : batch) {
            seqs.add(SequenceInput.uncached(e.inputs()));
            rows += e.tokens().length - 1;
            positions += e.lossPositions();
        }
        int v = model.vocabSize();
        float w = mean ? 1f / positions : 1f;
        float[] pick = new float[rows * v];
        int r = 0;
        for (TokenizedExample e : batch) {
            int[] t = e.tokens();
            for (int i = 0; i + 1 < t.length; i++, r++) {
                if (i + 1 >= e.lossFrom()) {
                    pick[r * v + t[i + 1]] = w;                                            // target of row r
                }
            }
        }
        NDArray logits = transformer.forward(scope, new ForwardBatch(seqs, ForwardBatch.Logits.ALL), null); // [R, V]
        NDArray weights = scope.create(pick, new Shape(rows, v));                          // [R, V]
        return logits.logSoftmax(-1).mul(weights).sum().neg();                            // scalar
    }

    private static int tokens(List<TokenizedExample> batch) {
        return batch.stream().mapToInt(e -> e.tokens().length - 1).sum();
    }

    /** The training figures on the progress bar: speed smoothed over steps, the last validation loss. */
    private static final class ProgressLine {
        private double lastVal = Double.NaN;
        private double tokPerSec = Double.NaN;
        private double secPerStep = Double.NaN;

        void show(ProgressBar bar, int step, int total, double loss, double val, double lr, int tokens, double seconds,
                  double elapsed) {
            // exponential moving averages smooth the speed estimate
            tokPerSec = Double.isNaN(tokPerSec) ? tokens / seconds : 0.9 * tokPerSec + 0.1 * tokens / seconds;
            secPerStep = Double.isNaN(secPerStep) ? seconds : 0.9 * secPerStep + 0.1 * seconds;
            boolean evaluated = !Double.isNaN(val);
            if (evaluated) {
                lastVal = val;
            }
            String details = String.format(Locale.ROOT, "loss %.4f | val %.4f | lr %.2e | %.0f tok/s | %.2f s/step",
                    loss, lastVal, lr, tokPerSec, secPerStep);
            bar.update(null, step, total, details, elapsed, secPerStep * (total - step), evaluated);
        }
    }
}

package dev.ponder.bench.peer;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.ponder.engine.Engine;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.Generator;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.SamplingParams;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.StepDelimiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that llama.cpp runs the exported checkpoint as ponder does, prompt by prompt: tokenization (the
 * binding's server path and the C API), greedy continuations (exact tokens: ponder's {@link Generator},
 * ponder's engine on ponder's model, the same engine on llama.cpp, and the text of the binding's own greedy
 * completion), and the self-check probability and log-likelihood of the greedy chain on both runners.
 */
public final class PeerCheck {

    static final Duration WAIT = Duration.ofMinutes(5);

    /** What matched, over {@code prompts} prompts. */
    public record Result(int prompts, int tokenizationC, int tokenizationBinding, int greedyPeer, int greedyEngine,
                         int greedyBindingText, int greedyTokens, double maxSelfCheckDiff, double maxLogProbDiff) {

        public boolean exact() {
            return tokenizationC == prompts && tokenizationBinding == prompts && greedyPeer == prompts
                    && greedyEngine == prompts;
        }
    }

    private PeerCheck() {
    }

    /** Tokenization and greedy text through the binding's own (server) API; {@code out[i]} = {tokens equal, text equal}. */
    static boolean[][] binding(LanguageModel lm, Path gguf, List<String> rendered, List<String> greedyTexts, int n) {
        boolean[][] out = new boolean[rendered.size()][2];
        try (LlamaModel m = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setThreads(2)
                .setCtxSize(4 * lm.config().maxPositions()).setParallel(1).disableLog())) {
            for (int i = 0; i < rendered.size(); i++) {
                out[i][0] = Arrays.equals(m.encode(rendered.get(i)), lm.encodePrompt(rendered.get(i)));
                String text = m.complete(new InferenceParameters(rendered.get(i)).setTemperature(0).setNPredict(n)
                        .setCachePrompt(false).setSeed(1));
                out[i][1] = text.equals(greedyTexts.get(i));
            }
        }
        return out;
    }

    public static Result run(LanguageModel lm, Path gguf, Engine engine, Engine peer, List<String> rendered,
                             int greedyTokens) {
        Generator gen = new Generator(lm.transformer(), lm.manager());
        int eos = lm.tokenizer().eosId();
        List<String> greedyTexts = new ArrayList<>();
        List<int[]> greedy = new ArrayList<>();
        for (String r : rendered) {
            int[] t = gen.generate(List.of(lm.encodePrompt(r)), greedyTokens, SamplingParams.greedy(), x -> x == eos)
                    .get(0).tokens();
            int cut = 0;
            while (cut < t.length && t[cut] != eos) {
                cut++;
            }
            greedy.add(Arrays.copyOf(t, cut));
            greedyTexts.add(lm.tokenizer().decode(greedy.get(greedy.size() - 1), true));
        }
        boolean[][] binding = binding(lm, gguf, rendered, greedyTexts, greedyTokens);
        int tokC = 0;
        int tokB = 0;
        int gPeer = 0;
        int gEngine = 0;
        int gText = 0;
        double maxCheck = 0;
        double maxLogProb = 0;
        Sampling sampling = new Sampling(0, 1, greedyTokens, greedyTokens, StepDelimiter.NEWLINE);
        for (int i = 0; i < rendered.size(); i++) {
            int[] ids = lm.encodePrompt(rendered.get(i));
            tokC += Arrays.equals(peer.runner().encode(rendered.get(i)), ids) ? 1 : 0;
            tokB += binding[i][0] ? 1 : 0;
            gText += binding[i][1] ? 1 : 0;
            Chain root = Chain.of(new Problem("check-" + i, rendered.get(i)));
            Chain a;
            double ca;
            try (SearchSession m = peer.openSession(ids)) {
                a = m.complete(root, sampling).await().atMost(WAIT);
                ca = m.selfCheck(List.of(a)).await().atMost(WAIT).get(0);
            }
            Chain b;
            double cb;
            try (SearchSession s = engine.openSession(ids)) {
                b = s.complete(root, sampling).await().atMost(WAIT);
                cb = s.selfCheck(List.of(b)).await().atMost(WAIT).get(0);
            }
            gPeer += Arrays.equals(tokens(a), greedy.get(i)) ? 1 : 0;
            gEngine += Arrays.equals(tokens(b), greedy.get(i)) ? 1 : 0;
            if (Arrays.equals(tokens(a), tokens(b))) {
                maxCheck = Math.max(maxCheck, Math.abs(ca - cb));
                maxLogProb = Math.max(maxLogProb, Math.abs(a.logProb() - b.logProb()));
            } else {
                maxCheck = Double.NaN;
            }
        }
        return new Result(rendered.size(), tokC, tokB, gPeer, gEngine, gText, greedyTokens, maxCheck, maxLogProb);
    }

    static int[] tokens(Chain c) {
        return c.steps().stream().flatMapToInt(s -> Arrays.stream(s.tokens())).toArray();
    }
}

package dev.ponder.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ponder.model.ForwardBatch;
import dev.ponder.model.Generator;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.SamplingParams;
import dev.ponder.model.SequenceInput;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import dev.ponder.search.StepDelimiter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine against the plain runtime on a checkpoint in InternLM3's format: the same greedy tokens
 * through forked, paged branches; self-check scores equal to a full uncached forward; prefix reuse; and the
 * pool back to its starting state after finished and cancelled work.
 */
class EngineTest {

    static LanguageModel model;
    static Engine engine;
    static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Path.of("../model/src/test/resources/models/internlm3-tiny"));
        engine = new Engine(model, new EngineConfig(16, 4L << 20, 512, 64, true));
    }

    @AfterAll
    static void close() {
        engine.close();
        model.close();
    }

    static int[] prompt(String question) {
        return model.encodePrompt(model.renderChat(List.of(ChatMessage.user(question))));
    }

    static Sampling greedy(int stepTokens, int chainTokens) {
        return new Sampling(0, 7, stepTokens, chainTokens, StepDelimiter.NEWLINE);
    }

    @Test
    void greedyStepsThroughForkedBranchesMatchPlainGeneration() {
        int[] ids = prompt("What is 5^10?");
        var plain = new Generator(model.transformer(), model.manager())
                .generate(List.of(ids), 40, SamplingParams.greedy(), model.generation()::isEos).get(0);
        try (SearchSession s = engine.openSession(ids)) {
            Chain chain = Chain.of(new Problem("p", "What is 5^10?"));
            List<Integer> tokens = new ArrayList<>();
            while (!chain.terminal() && tokens.size() < 40) {
                // three identical greedy forks per step exercise sharing and copy-on-write
                List<Step> steps = s.propose(chain, 3, greedy(6, 40)).await().atMost(WAIT);
                assertEquals(3, steps.size());
                assertEquals(steps.get(0), steps.get(1));
                chain = chain.append(steps.get(0));
                for (int t : steps.get(0).tokens()) {
                    tokens.add(t);
                }
            }
            int[] expected = Arrays.stream(plain.tokens()).filter(t -> !model.generation().isEos(t)).toArray();
            assertArrayEquals(expected, tokens.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /**
     * The tiny model with a context long enough that no rescaling applies: dynamic NTK RoPE rescales every
     * position of an uncached pass once it passes max_position_embeddings, while cached keys keep their
     * rotation (as in transformers' generate).
     */
    static LanguageModel unscaled() {
        var c = model.config();
        var unscaled = new dev.ponder.model.ModelConfig(c.architecture(), c.vocabSize(), c.hiddenSize(),
                c.intermediateSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(), c.rmsNormEps(),
                c.ropeTheta(), c.ropeScaling(), 4096, c.tieEmbeddings(), c.qkvBias(), c.outputBias(), c.mlpBias());
        return new LanguageModel(model.name(), model.dir(), unscaled,
                new dev.ponder.model.Transformer(unscaled, model.transformer().weights()), model.tokenizer(),
                model.chatTemplate(), model.generation(), model.profile(), model.manager());
    }

    /** The tokens a self-check of {@code chain} reads: the prompt, the chain's steps and the check question. */
    static List<Integer> checkInput(int[] ids, Chain chain) {
        List<Integer> all = new ArrayList<>();
        Arrays.stream(ids).forEach(all::add);
        chain.steps().forEach(st -> Arrays.stream(st.tokens()).forEach(all::add));
        List<Step> steps = chain.steps();
        if (!steps.isEmpty() && steps.get(steps.size() - 1).terminal()
                && !steps.get(steps.size() - 1).text().endsWith("\n")) {
            Arrays.stream(model.tokenizer().encode("\n")).forEach(all::add);   // a final line gets its newline first
        }
        Arrays.stream(model.tokenizer().encode(model.profile().selfCheckSuffix())).forEach(all::add);
        return all;
    }

    /** P(yes) of the self-check of {@code chain} computed by one full uncached forward pass. */
    static double uncachedCheck(LanguageModel lm, int[] ids, Chain chain) {
        int yes = model.tokenizer().encode("yes")[0];
        int no = model.tokenizer().encode("no")[0];
        List<Integer> all = checkInput(ids, chain);
        float[] logits;
        try (NDManager scope = model.manager().newSubManager()) {
            logits = lm.transformer().forward(scope, new ForwardBatch(List.of(SequenceInput.uncached(
                    all.stream().mapToInt(Integer::intValue).toArray())), ForwardBatch.Logits.LAST), null).toFloatArray();
        }
        return 1 / (1 + Math.exp(logits[no] - logits[yes]));
    }

    @Test
    void selfCheckEqualsAFullUncachedForward() {
        LanguageModel lm = unscaled();
        int[] ids = prompt("Use 4 9 10 13 to make 24.");
        try (Engine e = new Engine(lm, new EngineConfig(16, 1L << 20, 512, 64, true));
             SearchSession s = e.openSession(ids)) {
            Chain root = Chain.of(new Problem("p", "24"));
            List<Step> first = s.propose(root, 2, new Sampling(1.0, 3, 5, 40, StepDelimiter.NEWLINE)).await().atMost(WAIT);
            List<Chain> chains = List.of(root, root.append(first.get(0)), root.append(first.get(1)));
            List<Double> scores = s.selfCheck(chains).await().atMost(WAIT);
            for (int i = 0; i < chains.size(); i++) {
                assertEquals(uncachedCheck(lm, ids, chains.get(i)), scores.get(i), 1e-4, "chain " + i);
            }
        }
    }

    /**
     * A generative check by full uncached passes: greedy tokens after the question until a line starts with yes or
     * no (or {@code budget} tokens are written), P(yes) read there; {@code written[0]} gets the tokens written.
     */
    static double uncachedGenerativeCheck(LanguageModel lm, int[] ids, Chain chain, int budget, int[] written) {
        return uncachedVerdict(lm, checkInput(ids, chain), budget, written);
    }

    /** The verdict after {@code input} by full uncached passes, the model writing up to {@code budget} tokens first. */
    static double uncachedVerdict(LanguageModel lm, List<Integer> input, int budget, int[] written) {
        int yes = model.tokenizer().encode("yes")[0];
        int no = model.tokenizer().encode("no")[0];
        List<Integer> all = new ArrayList<>(input);
        List<Integer> out = new ArrayList<>();
        while (true) {
            float[] logits;
            try (NDManager scope = model.manager().newSubManager()) {
                logits = lm.transformer().forward(scope, new ForwardBatch(List.of(SequenceInput.uncached(
                        all.stream().mapToInt(Integer::intValue).toArray())), ForwardBatch.Logits.LAST), null).toFloatArray();
            }
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                best = logits[i] > logits[best] ? i : best;
            }
            boolean lineStart = out.isEmpty()
                    || model.tokenizer().decode(new int[] {out.get(out.size() - 1)}, true).endsWith("\n");
            if (out.size() == budget || (lineStart && (best == yes || best == no))) {
                written[0] = out.size();
                return 1 / (1 + Math.exp(logits[no] - logits[yes]));
            }
            out.add(best);
            all.add(best);
        }
    }

    @Test
    void aGenerativeCheckWritesGreedilyUntilALineStartsWithItsVerdict() {
        LanguageModel lm = unscaled();
        LanguageModel reasoning = lm.withProfile(lm.profile().withCheckReasoningTokens(7));
        int[] ids = prompt("Use 4 9 10 13 to make 24.");
        try (Engine e = new Engine(reasoning, new EngineConfig(16, 1L << 20, 512, 64, true));
             SearchSession s = e.openSession(ids)) {
            Chain root = Chain.of(new Problem("p", "24"));
            List<Step> first = s.propose(root, 2, new Sampling(1.0, 3, 5, 40, StepDelimiter.NEWLINE)).await().atMost(WAIT);
            List<Chain> chains = List.of(root.append(first.get(0)), root.append(first.get(1)));
            long before = e.metrics().snapshot().tokensComputed();
            List<Double> scores = s.selfCheck(chains).await().atMost(WAIT);
            long computed = e.metrics().snapshot().tokensComputed() - before;
            int writtenInAll = 0;
            for (int i = 0; i < chains.size(); i++) {
                int[] written = new int[1];
                assertEquals(uncachedGenerativeCheck(lm, ids, chains.get(i), 7, written), scores.get(i), 1e-4, "chain " + i);
                writtenInAll += written[0];
            }
            // the untrained model rarely starts with yes or no, so it works first; the engine fed what it wrote
            assertTrue(writtenInAll > 0, "no check wrote anything, so this test shows nothing");
            int suffix = model.tokenizer().encode(model.profile().selfCheckSuffix()).length;
            assertTrue(computed >= 2L * suffix + writtenInAll, computed + " tokens computed");
        }
        assertEquals(0, lm.withProfile(lm.profile()).profile().checkReasoningTokens());
    }

    @Test
    void answerChecksReadTheVerdictAfterAFreshPromptAsFullUncachedPassesDo() throws Exception {
        LanguageModel lm = unscaled();
        int[] ids = prompt("Use 4 9 10 13 to make 24.");
        List<String> answers = List.of("(10 - 4) * (13 - 9)", "4 * 9 - 13 + 10");
        java.util.function.Function<String, int[]> check = a -> prompt("Use 4 9 10 13 to make 24.\ncheck " + a);
        try (Engine e = new Engine(lm, new EngineConfig(16, 1L << 20, 512, 64, true))) {
            try (SearchSession s = e.openSession(ids)) {
                org.junit.jupiter.api.Assertions.assertFalse(s.checksAnswers());
                assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                        () -> s.checkAnswers(answers).subscribeAsCompletionStage().join())
                        .getCause() instanceof UnsupportedOperationException, "no answer check configured");
                s.answerCheck(check, 6);
                assertTrue(s.checksAnswers());
                List<Double> scores = s.checkAnswers(answers).await().atMost(WAIT);
                int writtenInAll = 0;
                for (int i = 0; i < answers.size(); i++) {
                    int[] written = new int[1];
                    List<Integer> input = Arrays.stream(check.apply(answers.get(i))).boxed().toList();
                    assertEquals(uncachedVerdict(lm, input, 6, written), scores.get(i), 1e-4, answers.get(i));
                    writtenInAll += written[0];
                }
                assertTrue(writtenInAll > 0, "no check wrote anything, so this test shows nothing");
            }
            // every check's blocks went back when its verdict was read
            long deadline = System.currentTimeMillis() + 10_000;
            e.clearPrefixCache();
            while (e.kvStats().freeBlocks() != e.kvStats().totalBlocks() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
                e.clearPrefixCache();
            }
            assertEquals(e.kvStats().totalBlocks(), e.kvStats().freeBlocks(), "every block back");
        }
    }

    @Test
    void chainsWhoseBranchesWereReleasedAreStillSelfChecked() throws Exception {
        // A rollout lets its intermediate steps go; checking them afterwards (best-of-n judging each step of
        // a finished chain) cuts a fork of the finished chain back to them, and once that is released too,
        // recomputes them from the prompt. Both give the uncached forward's value, with and without sharing.
        LanguageModel lm = unscaled();
        int[] ids = prompt("Use 4 9 10 13 to make 24.");
        for (boolean sharing : new boolean[] {true, false}) {
            try (Engine e = new Engine(lm, new EngineConfig(16, 1L << 20, 512, 64, sharing))) {
                Chain root = Chain.of(new Problem("p", "24"));
                try (SearchSession s = e.openSession(ids)) {
                    Chain done = s.complete(root, new Sampling(1.0, 11, 6, 30, StepDelimiter.NEWLINE)).await().atMost(WAIT);
                    assertTrue(done.depth() >= 3, "a rollout of several steps: " + done.depth());
                    // the steps before the last, whose branches the rollout released
                    List<Chain> prefixes = new ArrayList<>();
                    for (int d = 1; d < done.depth(); d++) {
                        prefixes.add(done.prefix(d));
                    }
                    List<Double> cut = s.selfCheck(prefixes).await().atMost(WAIT);
                    s.release(done);
                    List<Double> recomputed = s.selfCheck(prefixes).await().atMost(WAIT);
                    for (int d = 0; d < prefixes.size(); d++) {
                        double want = uncachedCheck(lm, ids, prefixes.get(d));
                        assertEquals(want, cut.get(d), 1e-4, "sharing " + sharing + ", cut back to depth " + (d + 1));
                        assertEquals(want, recomputed.get(d), 1e-4, "sharing " + sharing + ", recomputed at depth " + (d + 1));
                    }
                }
                e.clearPrefixCache();
                long deadline = System.currentTimeMillis() + 10_000;
                while (e.kvStats().freeBlocks() != e.kvStats().totalBlocks() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                    e.clearPrefixCache();
                }
                assertEquals(e.kvStats().totalBlocks(), e.kvStats().freeBlocks(), "every block back, sharing " + sharing);
            }
        }
    }

    @Test
    void aRepeatedPromptReusesTheCachedPrefix() {
        int[] ids = prompt("What is 7^12? Think step by step and check every product twice before answering.");
        Sampling s1 = greedy(4, 8);
        Chain root = Chain.of(new Problem("p", "q"));
        try (SearchSession a = engine.openSession(ids)) {
            a.propose(root, 1, s1).await().atMost(WAIT);
        }
        long before = engine.metrics().tokensComputed.sum();
        try (SearchSession b = engine.openSession(ids)) {
            b.propose(root, 1, s1).await().atMost(WAIT);
        }
        long computed = engine.metrics().tokensComputed.sum() - before;
        // only the prompt's last partial block (plus the one step) is computed again
        assertTrue(computed < 16 + 8, "computed " + computed + " tokens for a cached " + ids.length + "-token prompt");
    }

    @Test
    void finishedAndCancelledWorkLeavesNoBlocksBehind() throws Exception {
        int free = engine.kvStats().freeBlocks() + engine.kvStats().evictableBlocks();
        int[] ids = prompt("Use 1 2 3 4 to make 24.");
        SearchSession s = engine.openSession(ids);
        Chain root = Chain.of(new Problem("p", "q"));
        s.propose(root, 4, new Sampling(1.0, 1, 8, 64, StepDelimiter.NEWLINE)).await().atMost(WAIT);
        // a long proposal, cancelled while it runs
        Uni<List<Step>> longRun = s.propose(root, 8, new Sampling(1.0, 2, 10_000, 10_000, new StepDelimiter("@@never@@")));
        Cancellable c = longRun.subscribe().with(x -> { }, e -> { });
        Thread.sleep(200);
        c.cancel();
        s.close();
        engine.clearPrefixCache();
        long deadline = System.currentTimeMillis() + 10_000;
        while (engine.kvStats().freeBlocks() != engine.kvStats().totalBlocks() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            engine.clearPrefixCache();
        }
        assertEquals(engine.kvStats().totalBlocks(), engine.kvStats().freeBlocks(),
                "every block back in the pool (was " + free + " free or evictable before)");
    }
}

package dev.ponder.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import dev.ponder.search.StepDelimiter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proposals that differ, on the embedded model, whose first Game-of-24 steps concentrate on a few moves: the same
 * call with redraws allowed, or with siblings sampled without replacement, returns more distinct steps, still k of
 * them, and gives every block back.
 */
class DistinctProposalsTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static LanguageModel model;
    static Engine engine;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Path.of("../model/src/main/resources/models/ponder-tiny"));
        engine = new Engine(model, new EngineConfig(16, 16L << 20, 2048, 256, true));
    }

    @AfterAll
    static void close() {
        engine.close();
        model.close();
    }

    /** Distinct texts among the k steps proposed for the root with {@code redraws} redraws per sample. */
    static int distinct(int redraws, int k) {
        return distinct(redraws, 0, k);
    }

    /** The same, with sibling proposals sampled without replacement down to {@code mass}. */
    static int distinct(int redraws, double mass, int k) {
        String q = "Use 4 9 10 13 to make 24.";
        int[] ids = model.encodePrompt(model.renderChat(List.of(ChatMessage.user(q))));
        Sampling sampling = new Sampling(0.7, 11, 48, 200, StepDelimiter.NEWLINE);
        try (SearchSession s = engine.openSession(ids).redrawDuplicates(redraws).distinctSiblings(mass)) {
            List<Step> steps = s.propose(Chain.of(new Problem("p", q)), k, sampling).await().atMost(WAIT);
            assertEquals(k, steps.size(), "k steps whatever the redraws");
            Set<String> texts = new HashSet<>();
            steps.forEach(st -> texts.add(st.text()));
            return texts.size();
        }
    }

    @Test
    void redrawsMakeTheStepsDiffer() {
        int plain = distinct(0, 16);
        int redrawn = distinct(3, 16);
        assertTrue(plain < 16, "the model repeats itself when sampled 16 times: " + plain + " distinct");
        assertTrue(redrawn > plain, "redraws: " + redrawn + " distinct, without: " + plain);
        engine.clearPrefixCache();
        long deadline = System.currentTimeMillis() + 5_000;
        while (engine.kvStats().freeBlocks() != engine.kvStats().totalBlocks() && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
            engine.clearPrefixCache();
        }
        assertEquals(engine.kvStats().totalBlocks(), engine.kvStats().freeBlocks(), "every redrawn fork gave its blocks back");
    }

    @Test
    void siblingsSampledWithoutReplacementDifferInOnePass() {
        long computedBefore = engine.metrics().tokensComputed.sum();
        int plain = distinct(0, 0, 16);
        long plainTokens = engine.metrics().tokensComputed.sum() - computedBefore;
        engine.clearPrefixCache();
        computedBefore = engine.metrics().tokensComputed.sum();
        int spread = distinct(0, 0.05, 16);
        long spreadTokens = engine.metrics().tokensComputed.sum() - computedBefore;
        assertTrue(spread > plain, "without replacement: " + spread + " distinct, independent: " + plain);
        // no redraw: the same 16 lanes, so about the same tokens (steps may differ in length)
        assertTrue(spreadTokens < 2 * plainTokens, spreadTokens + " tokens against " + plainTokens);
    }

    @Test
    void negativeRedrawsAreRefused() {
        try (SearchSession s = engine.openSession(new int[] {1, 2, 3})) {
            assertThrows(IllegalArgumentException.class, () -> s.redrawDuplicates(-1));
            assertThrows(IllegalArgumentException.class, () -> s.distinctSiblings(1.0));
            assertThrows(IllegalArgumentException.class, () -> s.distinctSiblings(-0.1));
        }
    }
}

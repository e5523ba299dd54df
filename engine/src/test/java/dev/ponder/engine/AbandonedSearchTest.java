package dev.ponder.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import dev.ponder.search.StepDelimiter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A search that ends (fails, is cancelled) while the engine still prefills its prompt closes its session under
 * that work. Only that work may fail: a search batched beside it goes on (once, one such closed branch failed
 * every task of the pass).
 */
class AbandonedSearchTest {

    static LanguageModel model;
    static Engine engine;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Path.of("../model/src/test/resources/models/internlm3-tiny"));
        // 8 tokens per pass: a long prompt takes many passes to prefill
        engine = new Engine(model, new EngineConfig(16, 4L << 20, 8, 64, true));
    }

    @AfterAll
    static void close() {
        engine.close();
        model.close();
    }

    @Test
    void closingASessionMidPrefillLeavesTheOtherSearchAlone() throws Exception {
        SearchSession abandoned = engine.openSession(prompt("1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 = ? ".repeat(8)));
        SearchSession other = engine.openSession(prompt("9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1 = ? ".repeat(8)));
        Sampling sampling = new Sampling(0, 7, 4, 8, StepDelimiter.NEWLINE);
        abandoned.propose(Chain.of(new Problem("a", "a")), 2, sampling).subscribe().with(x -> { }, f -> { });
        CompletableFuture<List<Step>> steps = other.propose(Chain.of(new Problem("b", "b")), 2, sampling)
                .subscribeAsCompletionStage();
        abandoned.close();   // while its root is still being prefilled
        assertEquals(2, steps.get(60, TimeUnit.SECONDS).size(), "the other search's call completes");
        other.close();
        long giveUp = System.currentTimeMillis() + 30_000;
        while (engine.kvStats().usedBlocks() != engine.kvStats().evictableBlocks()) {
            assertTrue(System.currentTimeMillis() < giveUp, "blocks still held: " + engine.kvStats());
            Thread.sleep(20);
        }
    }

    static int[] prompt(String question) {
        return model.encodePrompt(model.renderChat(List.of(ChatMessage.user(question))));
    }
}

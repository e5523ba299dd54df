package dev.ponder.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Problem;
import dev.ponder.search.ResultChecks;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.SearchEvent;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Searches;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every strategy of the search library runs end to end on the real runtime through the engine. */
class StrategiesOnEngineTest {

    static LanguageModel model;
    static Engine engine;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Path.of("../model/src/test/resources/models/internlm3-tiny"));
        engine = new Engine(model, new EngineConfig(16, 8L << 20, 512, 64, true));
    }

    @AfterAll
    static void close() {
        engine.close();
        model.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"greedy", "best-of-n", "weighted-best-of-n", "self-consistency", "beam", "mcts", "auto"})
    void runsAndReportsUsage(String strategy) {
        int[] ids = model.encodePrompt(model.renderChat(List.of(ChatMessage.user("Use 4 9 10 13 to make 24."))));
        SearchConfig cfg = SearchConfig.builder().budget(4).seed(11).temperature(1.0).maxStepTokens(6)
                .maxChainTokens(24).maxDepth(4).build();
        List<SearchEvent> events;
        try (SearchSession s = engine.openSession(ids)) {
            events = Searches.run(strategy, new Problem("p", "Use 4 9 10 13 to make 24."), cfg, s)
                    .collect().asList().await().atMost(Duration.ofSeconds(120));
        }
        SearchResult r = ResultChecks.assertSound(strategy, cfg, events);
        if (strategy.equals("auto")) {
            assertEquals("best-of-n", r.strategy(), "auto at budget 4");
        }
        assertTrue(r.usage().generatedTokens() > 0, strategy + " generated tokens");
        assertTrue(r.usage().modelCalls() > 0, strategy + " model calls");
        assertTrue(r.usage().nodes() > 0, strategy + " nodes");
        if (List.of("best-of-n", "weighted-best-of-n", "beam", "mcts").contains(strategy)) {
            assertTrue(r.usage().selfChecks() > 0, strategy + " self-checks");
        }
        engine.clearPrefixCache();
        assertEquals(engine.kvStats().totalBlocks(), engine.kvStats().freeBlocks(), strategy + " left blocks behind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"best-of-n", "self-consistency", "beam", "mcts"})
    void identicalChainsShareOneBranch(String strategy) {
        // at temperature 0 every rollout and every child is the same chain: one branch, several holds
        int[] ids = model.encodePrompt(model.renderChat(List.of(ChatMessage.user("Use 1 2 3 4 to make 24."))));
        SearchConfig cfg = SearchConfig.builder().budget(4).seed(3).temperature(0).maxStepTokens(6)
                .maxChainTokens(24).maxDepth(4).weightedVotes(true).build();
        for (int i = 0; i < 3; i++) {
            try (SearchSession s = engine.openSession(ids)) {
                List<SearchEvent> events = Searches.run(strategy, new Problem("p", "q"), cfg, s)
                        .collect().asList().await().atMost(Duration.ofSeconds(120));
                ResultChecks.assertSound(strategy, cfg, events);
                assertTrue(s.sharedHolds() > 0, strategy + ": identical chains each kept a branch of their own");
            }
        }
        engine.clearPrefixCache();
        assertEquals(engine.kvStats().totalBlocks(), engine.kvStats().freeBlocks(), strategy + " left blocks behind");
    }
}

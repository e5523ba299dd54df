package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Cancellation, deadlines, failures and reproducibility. */
class ControlTest {

    private static final Problem PROBLEM = new Problem("p", "q");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);

    @AfterAll
    static void shutdown() {
        POOL.shutdownNow();
    }

    private static ScriptedModel.Script tree() {
        return new ScriptedModel.RandomTree(42, 6);
    }

    @Test
    void cancellingStopsModelCallsAndCancelsThoseInFlight() {
        // Answer the first step, then hold every proposal below the root.
        ScriptedModel model = new ScriptedModel(new ScriptedModel.FixedTree(0.5)
                .options("", new ScriptedModel.Option("a", -1, false), new ScriptedModel.Option("b", -1, false))
                .options("a", new ScriptedModel.Option("a2", -1, false))
                .options("b", new ScriptedModel.Option("b2", -1, false)))
                .holdProposeWhen(c -> c.depth() >= 1);
        AssertSubscriber<SearchEvent> sub = Searches.run("beam", PROBLEM, SearchConfig.ofBudget(4), model)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        // Both beams are now proposing.
        assertEquals(2, model.held.size());
        int callsAtCancel = model.modelCalls();
        sub.cancel();
        assertEquals(2, model.cancelled.get(), "both in-flight proposals saw the cancellation");
        // The engine answers anyway: nothing new may start (no self-check of the answers, no next step).
        model.releaseHeld();
        assertEquals(callsAtCancel, model.modelCalls());
        assertFalse(sub.getItems().stream().anyMatch(e -> e instanceof SearchEvent.Finished));
    }

    @Test
    void cancellingTheResultUniCancelsTheSearch() {
        ScriptedModel model = new ScriptedModel(tree()).holdCompleteWhen(c -> true);
        Cancellable c = Searches.result("best-of-n", PROBLEM, SearchConfig.ofBudget(5), model)
                .subscribe().with(r -> { });
        assertEquals(5, model.held.size(), "all five rollouts in flight together");
        c.cancel();
        assertEquals(5, model.cancelled.get());
        model.releaseHeld();
        assertEquals(5, model.modelCalls(), "no self-check started after cancellation");
    }

    @Test
    void cancellingMctsWhileItsSelfCheckIsInFlight() {
        ScriptedModel model = new ScriptedModel(tree()).holdSelfChecks();
        AssertSubscriber<SearchEvent> sub = Searches.run("mcts", PROBLEM, SearchConfig.ofBudget(32), model)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertEquals(1, model.held.size(), "the first leaf's self-check is in flight");
        int calls = model.modelCalls();
        sub.cancel();
        assertEquals(1, model.cancelled.get());
        model.releaseHeld();
        assertEquals(calls, model.modelCalls(), "no simulation started after cancellation");
    }

    @Test
    void deadlineCutsShortWithTheBestSoFar() {
        // The first two steps are answered; proposals at depth 2 never are, so only the deadline ends it.
        ScriptedModel model = new ScriptedModel(new ScriptedModel.Script() {
            @Override
            public List<ScriptedModel.Option> children(List<String> path) {
                int d = path.size();
                return List.of(new ScriptedModel.Option("s" + d + "a", -0.5, false),
                        new ScriptedModel.Option("s" + d + "b", -1.0, false));
            }

            @Override
            public double check(List<String> path) {
                return path.isEmpty() ? 0.5 : path.get(path.size() - 1).endsWith("a") ? 0.8 : 0.3;
            }
        }).holdProposeWhen(c -> c.depth() >= 2);
        SearchConfig cfg = SearchConfig.builder().budget(4).deadline(Duration.ofSeconds(2)).build();
        List<SearchEvent> events = Searches.run("beam", PROBLEM, cfg, model)
                .collect().asList().await().atMost(Duration.ofSeconds(10));
        EventChecks.assertValidTree(events);
        SearchResult r = EventChecks.result(events);
        assertTrue(r.cutShort());
        assertEquals(2, r.chain().depth(), "the best chain of the last completed step");
        assertEquals("s0a\ns1a\n", r.chain().text());
        assertTrue(model.cancelled.get() > 0, "held proposals were cancelled");
        assertEquals(model.held.size(), model.cancelled.get());
    }

    @Test
    void deadlineKeepsTheChainsThatArrivedInOrder() {
        // Rollouts 0 and 1 come back; rollout 2 hangs, so 3 and 4 are never released.
        int[] calls = {0};
        ScriptedModel model = new ScriptedModel(tree()).holdCompleteWhen(c -> calls[0]++ == 2);
        SearchConfig cfg = SearchConfig.builder().budget(5).deadline(Duration.ofSeconds(2)).build();
        List<SearchEvent> events = Searches.run("best-of-n", PROBLEM, cfg, model)
                .collect().asList().await().atMost(Duration.ofSeconds(10));
        EventChecks.assertValidTree(events);
        SearchResult r = EventChecks.result(events);
        assertTrue(r.cutShort());
        assertTrue(r.chain().depth() > 0, "a chain that arrived before the deadline");
        assertEquals(2, r.alternatives().stream().mapToInt(Alternative::votes).sum(), "the two chains that arrived");
    }

    @Test
    void aModelFailureFailsTheStreamWithoutFinished() {
        IllegalStateException boom = new IllegalStateException("GPU on fire");
        ScriptedModel model = new ScriptedModel(tree()).failSelfCheckWith(boom);
        AssertSubscriber<SearchEvent> sub = Searches.run("beam", PROBLEM, SearchConfig.ofBudget(4), model)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        sub.awaitFailure(Duration.ofSeconds(5));
        assertSame(boom, sub.getFailure());
        assertFalse(sub.getItems().stream().anyMatch(e -> e instanceof SearchEvent.Finished));
    }

    @Test
    void aSeedReproducesTheSearchEvenWithResultsOnManyThreads() {
        for (String strategy : Strategies.names()) {
            SearchConfig cfg = SearchConfig.builder().budget(9).seed(1234).build();
            List<SearchEvent> once = EventChecks.collect(
                    Searches.run(strategy, PROBLEM, cfg, new ScriptedModel(tree()).deliverOn(POOL)));
            List<SearchEvent> twice = EventChecks.collect(
                    Searches.run(strategy, PROBLEM, cfg, new ScriptedModel(tree()).deliverOn(POOL)));
            assertEquals(EventChecks.withoutTiming(once), EventChecks.withoutTiming(twice), strategy);
        }
    }

    @Test
    void anotherSeedSamplesOtherChains() {
        SearchConfig a = SearchConfig.builder().budget(8).seed(1).temperature(1.0).build();
        SearchConfig b = a.toBuilder().seed(2).build();
        List<SearchEvent> one = EventChecks.collect(Searches.run("self-consistency", PROBLEM, a, new ScriptedModel(tree())));
        List<SearchEvent> two = EventChecks.collect(Searches.run("self-consistency", PROBLEM, b, new ScriptedModel(tree())));
        assertNotEquals(EventChecks.withoutTiming(one), EventChecks.withoutTiming(two));
    }
}

package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Properties of every strategy over random step trees (seeded loops, see {@link Props}). */
class SearchPropertiesTest {

    private static final Problem PROBLEM = new Problem("p", "q");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void shutdown() {
        POOL.shutdownNow();
    }

    private static Gen<String> strategies() {
        return Gen.of(Strategies.names());
    }

    private static SearchConfig config(int budget, long seed, int beamWidth, int parallel, boolean rollout,
                                       boolean weighted, int maxDepth) {
        return SearchConfig.builder().budget(budget).seed(seed).beamWidth(beamWidth).mctsParallel(parallel)
                .leafEvaluation(rollout ? SearchConfig.LeafEvaluation.ROLLOUT : SearchConfig.LeafEvaluation.SELF_CHECK)
                .weightedVotes(weighted).maxDepth(maxDepth).maxChainTokens(40).build();
    }

    record TreeCase(String strategy, int budget, long treeSeed, long seed, int beamWidth, int parallel,
                    boolean rollout, boolean weighted, int maxDepth) {
    }

    /** The budget holds, the events form a valid tree, and the usage matches what the model saw. */
    @Test
    void budgetHoldsAndEventsFormAValidTree() {
        Gen<String> strategy = strategies();
        Gen<Integer> budget = Gen.integers(1, 12);
        Gen<Integer> beamWidth = Gen.integers(0, 4);
        Gen<Integer> parallel = Gen.integers(1, 4);
        Gen<Integer> maxDepth = Gen.integers(1, 7);
        Gen<TreeCase> cases = r -> new TreeCase(strategy.next(r), budget.next(r), r.nextLong(), r.nextLong(),
                beamWidth.next(r), parallel.next(r), r.nextBoolean(), r.nextBoolean(), maxDepth.next(r));
        Props.forAll("budgetHoldsAndEventsFormAValidTree", 300, cases, c -> budgetHoldsAndEventsFormAValidTree(
                c.strategy(), c.budget(), c.treeSeed(), c.seed(), c.beamWidth(), c.parallel(), c.rollout(), c.weighted(),
                c.maxDepth()));
    }

    private static void budgetHoldsAndEventsFormAValidTree(String strategy, int budget, long treeSeed, long seed,
                                                           int beamWidth, int parallel, boolean rollout,
                                                           boolean weighted, int maxDepth) {
        ScriptedModel model = new ScriptedModel(new ScriptedModel.RandomTree(treeSeed, 5));
        SearchConfig cfg = config(budget, seed, beamWidth, parallel, rollout, weighted, maxDepth);
        List<SearchEvent> events = EventChecks.collect(Searches.run(strategy, PROBLEM, cfg, model));
        EventChecks.assertValidTree(events);
        SearchResult r = EventChecks.result(events);
        assertBudget(r.strategy(), budget, cfg, model, events);

        // What was spent is what the model saw.
        Usage u = r.usage();
        assertEquals(model.modelCalls(), u.modelCalls(), "model calls");
        assertEquals(model.chainsChecked.get(), u.selfChecks(), "self-checks count chains");
        assertEquals(model.tokensReturned.get(), u.generatedTokens(), "generated tokens");
        assertTrue(!r.cutShort());

        // Exactly the pruned nodes are released, and none of them is on the result's path.
        List<String> prunedIds = events.stream().filter(e -> e instanceof SearchEvent.NodePruned)
                .map(e -> ((SearchEvent.NodePruned) e).nodeId()).toList();
        assertEquals(prunedIds.size(), model.released.size(), "one release per pruned node");
        prunedIds.forEach(id -> assertTrue(!r.path().contains(id), "pruned node on the best path"));
        Map<String, String> texts = new HashMap<>();
        texts.put(SearchEvent.ROOT, "");
        events.stream().filter(e -> e instanceof SearchEvent.NodeProposed p && p.parentId() != null)
                .map(e -> (SearchEvent.NodeProposed) e)
                .forEach(p -> texts.put(p.nodeId(), texts.get(p.parentId()) + p.step().text()));
        assertEquals(prunedIds.stream().map(texts::get).toList(),
                model.released.stream().map(Chain::text).toList(), "released chains are the pruned nodes'");
    }

    private static void assertBudget(String strategy, int n, SearchConfig cfg, ScriptedModel model,
                                     List<SearchEvent> events) {
        assertTrue(model.completeCalls.get() <= n, "rollouts within budget");
        switch (strategy) {
            case "greedy" -> {
                model.proposeCalls.forEach(c -> assertEquals(1, c.k(), "greedy proposes one step"));
                assertEquals(0, model.selfCheckCalls.get());
                assertEquals(0, model.completeCalls.get());
            }
            case "best-of-n", "weighted-best-of-n" -> {
                assertEquals(0, model.proposeCalls.size());
                // one self-check call per rollout, judging each of its chains-so-far
                assertTrue(model.selfCheckCalls.get() <= n);
                assertTrue(model.chainsChecked.get() <= n * 5, "one check per step of each rollout (the tree is 5 deep)");
            }
            case "self-consistency" -> {
                assertEquals(0, model.proposeCalls.size());
                assertTrue(model.chainsChecked.get() <= n);
            }
            case "beam" -> {
                // Candidates proposed for one step, over all beams, never exceed N.
                Map<Integer, Integer> perDepth = new HashMap<>();
                synchronized (model.proposeCalls) {
                    model.proposeCalls.forEach(c -> perDepth.merge(c.depth(), c.k(), Integer::sum));
                }
                perDepth.forEach((d, k) -> assertTrue(k <= n, "step " + d + " proposed " + k + " > " + n));
            }
            case "mcts" -> {
                assertTrue(model.proposeCalls.size() <= n, "N expansions at most");
                // Each expansion values its (at most k) new children; one final rollout may be checked.
                assertTrue(model.chainsChecked.get() <= n * cfg.mctsExpansions() + 1,
                        "one evaluation per new child at most");
                model.proposeCalls.forEach(c -> assertEquals(cfg.mctsExpansions(), c.k()));
            }
            default -> throw new AssertionError("unexpected strategy " + strategy);
        }
        if (!strategy.equals("mcts")) {
            // Chains carried side by side: never more than N nodes at one depth.
            Map<Integer, Integer> nodesPerDepth = new HashMap<>();
            for (SearchEvent e : events) {
                if (e instanceof SearchEvent.NodeProposed p && p.depth() > 0) {
                    nodesPerDepth.merge(p.depth(), 1, Integer::sum);
                }
            }
            nodesPerDepth.forEach((d, k) -> assertTrue(k <= n, "depth " + d + " has " + k + " nodes > " + n));
        }
    }

    record SeedCase(String strategy, int budget, long treeSeed, long seed, int parallel, boolean rollout) {
    }

    /** Same seed, same events, even when results arrive on several threads in varying order. */
    @Test
    void aSeedReproducesTheEvents() {
        Gen<String> strategy = strategies();
        Gen<Integer> budget = Gen.integers(1, 10);
        Gen<Integer> parallel = Gen.integers(1, 4);
        Gen<SeedCase> cases = r -> new SeedCase(strategy.next(r), budget.next(r), r.nextLong(), r.nextLong(),
                parallel.next(r), r.nextBoolean());
        Props.forAll("aSeedReproducesTheEvents", 60, cases, c -> aSeedReproducesTheEvents(
                c.strategy(), c.budget(), c.treeSeed(), c.seed(), c.parallel(), c.rollout()));
    }

    private static void aSeedReproducesTheEvents(String strategy, int budget, long treeSeed, long seed, int parallel,
                                                 boolean rollout) {
        SearchConfig cfg = config(budget, seed, 0, parallel, rollout, false, 6);
        List<SearchEvent> sync = EventChecks.collect(Searches.run(strategy, PROBLEM, cfg,
                new ScriptedModel(new ScriptedModel.RandomTree(treeSeed, 5))));
        List<SearchEvent> threaded = EventChecks.collect(Searches.run(strategy, PROBLEM, cfg,
                new ScriptedModel(new ScriptedModel.RandomTree(treeSeed, 5)).deliverOn(POOL)));
        assertEquals(EventChecks.withoutTiming(sync), EventChecks.withoutTiming(threaded));
    }
}

package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.search.ScriptedModel.FixedTree;
import dev.ponder.search.ScriptedModel.Option;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StrategiesTest {

    private static final Problem PROBLEM = new Problem("p1", "What is the answer?");

    /**
     * The most likely first step ("A") leads to the wrong answer 5; the less likely "B" leads to 7, and
     * the self-check says so.
     */
    private static FixedTree trap() {
        return new FixedTree(0.5)
                .options("", new Option("A", -0.2, false), new Option("B", -1.8, false))
                .options("A", new Option("A1 so \\boxed{5}", -0.1, true))
                .options("B", new Option("B1 so \\boxed{7}", -0.1, true))
                .check("A", 0.2).check("A / A1 so \\boxed{5}", 0.1)
                .check("B", 0.9).check("B / B1 so \\boxed{7}", 0.95);
    }

    private static SearchResult run(String strategy, ScriptedModel model, SearchConfig cfg) {
        List<SearchEvent> events = EventChecks.collect(Searches.run(strategy, PROBLEM, cfg, model));
        EventChecks.assertValidTree(events);
        return EventChecks.result(events);
    }

    @Test
    void greedyFollowsTheLikelyStepIntoTheWrongAnswer() {
        SearchResult r = run("greedy", new ScriptedModel(trap()), SearchConfig.ofBudget(1));
        assertEquals("5", r.answer());
        assertEquals("A\nA1 so \\boxed{5}\n", r.chain().text());
        assertEquals(0, r.usage().selfChecks());
    }

    @Test
    void beamFindsTheChainGreedyMisses() {
        ScriptedModel model = new ScriptedModel(trap());
        SearchResult r = run("beam", model, SearchConfig.builder().budget(4).seed(3).build());
        assertEquals("beam", r.strategy());
        assertEquals("7", r.answer());
        assertTrue(r.chain().terminal());
        assertEquals(List.of("root", r.path().get(1), r.path().get(2)), r.path());
        assertEquals(model.chainsChecked.get(), r.usage().selfChecks());
    }

    @Test
    void usageCountsHowManyOfANodesProposalsDiffer() {
        // one option per node: every proposal for a node is the same step, so each expanded node has one
        // distinct child however many were asked for
        FixedTree tree = new FixedTree(0.5)
                .options("", new Option("A", -0.1, false))
                .options("A", new Option("A1 so \\boxed{5}", -0.1, true));
        ScriptedModel model = new ScriptedModel(tree);
        Usage u = run("beam", model, SearchConfig.builder().budget(4).seed(3).build()).usage();
        assertTrue(u.expandedNodes() >= 1, "beam expands the root k ways: " + u);
        assertEquals(u.expandedNodes(), u.distinctChildren(), "one distinct child per expanded node: " + u);
        assertTrue(u.proposedChildren() >= 2 * u.expandedNodes(), "each expanded node got two or more proposals: " + u);
        // two options at the root: at most two distinct children there
        Usage two = run("beam", new ScriptedModel(trap()), SearchConfig.builder().budget(4).seed(3).build()).usage();
        assertTrue(two.distinctChildren() > two.expandedNodes(), "the trap's root has two options: " + two);
        assertTrue(two.distinctChildren() <= two.proposedChildren(), two.toString());
    }

    @Test
    void beamWeighsEveryStepsSelfCheckNotOnlyTheLast() {
        // "A" is a doubtful step whose ending looks fine on its own; "B" is sound all along. Scored by the last
        // self-check alone A's chain (0.97) would beat B's (0.9); accumulated over the steps, B's wins.
        FixedTree tree = new FixedTree(0.5)
                .options("", new Option("A", -0.7, false), new Option("B", -0.7, false))
                .options("A", new Option("A1 so \\boxed{5}", -0.1, true))
                .options("B", new Option("B1 so \\boxed{7}", -0.1, true))
                .check("A", 0.05).check("A / A1 so \\boxed{5}", 0.97)
                .check("B", 0.8).check("B / B1 so \\boxed{7}", 0.9);
        SearchResult r = run("beam", new ScriptedModel(tree), SearchConfig.builder().budget(4).beamWidth(2).seed(3).build());
        assertEquals("7", r.answer());
    }

    @Test
    void mctsFindsTheChainGreedyMisses() {
        SearchResult r = run("mcts", new ScriptedModel(trap()), SearchConfig.builder().budget(16).seed(5).build());
        assertEquals("7", r.answer());
        assertTrue(r.chain().terminal());
        assertTrue(r.alternatives().stream().anyMatch(a -> "7".equals(a.answer())));
    }

    @Test
    void mctsAnswersEvenWhenItsBudgetEndsBeforeAnyChainFinished() {
        // Budget 1 expands the root once; the better-valued child "B" is rolled out once to give an answer.
        ScriptedModel model = new ScriptedModel(trap());
        SearchResult r = run("mcts", model, SearchConfig.builder().budget(1).seed(5).build());
        assertEquals("7", r.answer());
        assertTrue(r.chain().terminal());
        assertEquals(1, model.proposeCalls.size());
        assertEquals(1, model.completeCalls.get());
    }

    @Test
    void mctsKeepsExpandingAfterItFoundAnAnswer() {
        // A finished chain is revisited without spending budget, so every unit of budget asks for new steps.
        // (Before, revisits of a well-valued answer counted as simulations and the tree stopped growing.)
        ScriptedModel model = new ScriptedModel(new ScriptedModel.RandomTree(7, 6));
        SearchResult r = run("mcts", model, SearchConfig.builder().budget(24).seed(2).mctsParallel(1).build());
        assertEquals(24, model.proposeCalls.size());
        assertTrue(r.chain().terminal());
    }

    /** Eight first steps, equally likely; only the sixth leads to an answer the self-check trusts. */
    private static FixedTree wide() {
        FixedTree t = new FixedTree(0.2);
        Option[] first = new Option[8];
        for (int i = 0; i < 8; i++) {
            first[i] = new Option("s" + i, Math.log(0.125), false);
            t.options("s" + i, new Option("s" + i + " so \\boxed{" + i + "}", -0.1, true));
        }
        return t.options("", first).check("s5", 0.95).check("s5 / s5 so \\boxed{5}", 0.95);
    }

    @Test
    void mctsWidensTheRootItKeepsReturningTo() {
        ScriptedModel model = new ScriptedModel(wide());
        List<SearchEvent> events = EventChecks.collect(Searches.run("mcts", PROBLEM,
                SearchConfig.builder().budget(16).seed(3).mctsParallel(1).build(), model));
        long rootChildren = events.stream().filter(e -> e instanceof SearchEvent.NodeProposed n && "root".equals(n.parentId())).count();
        assertTrue(rootChildren > 3, "more first steps than one proposal of 3 gives: " + rootChildren);
        assertEquals("5", EventChecks.result(events).answer());
    }

    @Test
    void mctsStopsWideningANodeWhoseProposalsBringNothingNew() {
        // two first steps only: after one proposal that adds nothing, the root is never asked again
        ScriptedModel model = new ScriptedModel(new FixedTree(0.5)
                .options("", new Option("a", -0.5, false), new Option("b", -0.9, false))
                .options("a", new Option("a so \\boxed{1}", -0.1, true))
                .options("b", new Option("b so \\boxed{2}", -0.1, true)));
        run("mcts", model, SearchConfig.builder().budget(16).seed(1).mctsParallel(1).build());
        long atRoot = model.proposeCalls.stream().filter(c -> c.depth() == 0).count();
        assertTrue(atRoot <= 3, "the root was asked " + atRoot + " times");
    }

    /** Two chains: steps the check trusts and an answer line it doubts, or the other way round. */
    private static FixedTree trustedStepsDoubtedAnswer() {
        return new FixedTree(0.5)
                .options("", new Option("a", -0.5, false), new Option("b", -0.5, false))
                .options("a", new Option("a so \\boxed{1}", -0.1, true))
                .options("b", new Option("b so \\boxed{2}", -0.1, true))
                .check("a", 0.95).check("a / a so \\boxed{1}", 0.2)
                .check("b", 0.4).check("b / b so \\boxed{2}", 0.99);
    }

    @Test
    void mctsRanksFinishedChainsByTheirStepsUnlessAskedToWeighTheAnswerLine() {
        SearchConfig cfg = SearchConfig.builder().budget(8).seed(1).mctsParallel(1).build();
        assertEquals("1", run("mcts", new ScriptedModel(trustedStepsDoubtedAnswer()), cfg).answer());
        assertEquals("2", run("mcts", new ScriptedModel(trustedStepsDoubtedAnswer()),
                cfg.toBuilder().rankAnswerCheck(true).build()).answer());
    }

    @Test
    void bestOfNRanksAChainByItsWeakestStep() {
        // a: a sure first step, then a doubtful one (mean log check -0.18); b: two fair steps (-0.22, and 0.8 at worst)
        FixedTree tree = new FixedTree(0.5)
                .options("", new Option("a", -0.5, false), new Option("b", -0.5, false))
                .options("a", new Option("a2", -0.1, false))
                .options("b", new Option("b2", -0.1, false))
                .options("a / a2", new Option("a so \\boxed{1}", -0.1, true))
                .options("b / b2", new Option("b so \\boxed{2}", -0.1, true))
                .check("a", 0.999).check("a / a2", 0.7)
                .check("b", 0.8).check("b / b2", 0.8);
        SearchConfig cfg = SearchConfig.builder().budget(8).seed(3).temperature(1.0).likelihoodWeight(0).build();
        SearchResult r = run("best-of-n", new ScriptedModel(tree), cfg);
        assertEquals(2, r.alternatives().size(), "this seed samples both chains");
        assertEquals("2", r.answer(), "a's mean is higher, but its second step is the weakest of all");
        assertEquals(0.8, r.score(), 1e-12);
        SearchResult w = run("weighted-best-of-n", new ScriptedModel(tree), cfg);
        int ones = w.alternatives().stream().filter(x -> "1".equals(x.answer())).mapToInt(Alternative::votes).sum();
        int twos = w.alternatives().stream().filter(x -> "2".equals(x.answer())).mapToInt(Alternative::votes).sum();
        assertEquals(ones * 0.7 >= twos * 0.8 ? "1" : "2", w.answer(), "votes weighted by the weakest steps");
        assertEquals(Math.max(ones * 0.7, twos * 0.8) / (ones * 0.7 + twos * 0.8), w.score(), 1e-9);
    }

    @Test
    void bestOfNPicksAmongItsBestAnswersByTheirFreshContextCheck() {
        // the trap's chains, both sampled; the answer check doubts 7, the steps' checks trust it
        SearchConfig cfg = SearchConfig.builder().budget(8).seed(3).temperature(1.0).build();
        java.util.function.ToDoubleFunction<String> doubts7 = a -> a.equals("7") ? 0.05 : 0.9;
        SearchResult plain = run("best-of-n", new ScriptedModel(trap()), cfg);
        assertEquals("7", plain.answer(), "without answer checks the steps' checks pick 7");

        ScriptedModel model = new ScriptedModel(trap()).checkingAnswers(doubts7);
        SearchResult r = run("best-of-n", model, cfg);
        assertEquals("5", r.answer());
        assertEquals(List.of("7", "5"), model.answersChecked, "each distinct answer once, the best first");
        double five = plain.alternatives().stream().filter(a -> a.answer().equals("5")).findFirst().orElseThrow().score();
        assertEquals(five * 0.9, r.score(), 1e-12, "score * check^1");
        assertEquals(List.of("5", "7"), r.alternatives().stream().map(Alternative::answer).toList());
        assertEquals(plain.usage().selfChecks() + 2, r.usage().selfChecks(), "answer checks count as self-checks");

        ScriptedModel topOnly = new ScriptedModel(trap()).checkingAnswers(doubts7);
        SearchResult one = run("best-of-n", topOnly, cfg.toBuilder().answerCheckTop(1).build());
        assertEquals("7", one.answer(), "only the best answer is checked, and it has no rival");
        assertEquals(List.of("7"), topOnly.answersChecked);

        ScriptedModel off = new ScriptedModel(trap()).checkingAnswers(doubts7);
        assertEquals("7", run("best-of-n", off, cfg.toBuilder().answerCheckWeight(0).build()).answer());
        assertEquals(List.of(), off.answersChecked, "weight 0: no answer is checked");

        SearchResult w = run("weighted-best-of-n", new ScriptedModel(trap()).checkingAnswers(doubts7), cfg);
        assertEquals("5", w.answer(), "weighted: the vote weights times the check");
    }

    @Test
    void bestOfNJudgesEveryStepOfItsChainsUnlessAskedToWeighTheAnswerLine() {
        // the checks alone (no likelihood term), as weighted best-of-n always weighs
        SearchConfig cfg = SearchConfig.builder().budget(8).seed(3).temperature(1.0).likelihoodWeight(0).build();
        SearchConfig withAnswer = cfg.toBuilder().rankAnswerCheck(true).build();
        ScriptedModel model = new ScriptedModel(trustedStepsDoubtedAnswer());
        SearchResult r = run("best-of-n", model, cfg);
        assertEquals("1", r.answer());
        assertEquals(0.95, r.score(), 1e-12, "a's step alone: its answer line is left out");
        assertEquals(16, model.chainsChecked.get(), "both lines of each of the 8 rollouts");
        assertEquals(8, model.selfCheckCalls.get(), "one call per rollout");
        SearchResult r2 = run("best-of-n", new ScriptedModel(trustedStepsDoubtedAnswer()), withAnswer);
        assertEquals("2", r2.answer());
        assertEquals(0.4, r2.score(), 1e-12, "the weaker of b's two lines");

        // weighted: each chain weighs its score, so the sums follow the same rule
        for (SearchConfig c : List.of(cfg, withAnswer)) {
            SearchResult w = run("weighted-best-of-n", new ScriptedModel(trustedStepsDoubtedAnswer()), c);
            double a = c.rankAnswerCheck() ? 0.2 : 0.95;   // the weakest line of each
            double b = 0.4;
            int ones = w.alternatives().stream().filter(x -> "1".equals(x.answer())).mapToInt(Alternative::votes).sum();
            int twos = w.alternatives().stream().filter(x -> "2".equals(x.answer())).mapToInt(Alternative::votes).sum();
            assertEquals(8, ones + twos);
            assertTrue(ones > 0 && twos > 0, "this seed samples both chains");
            assertEquals(ones * a >= twos * b ? "1" : "2", w.answer());
            assertEquals(Math.max(ones * a, twos * b) / (ones * a + twos * b), w.score(), 1e-9);
        }
    }

    @Test
    void mctsWithRolloutsFindsIt() {
        SearchConfig cfg = SearchConfig.builder().budget(12).seed(5)
                .leafEvaluation(SearchConfig.LeafEvaluation.ROLLOUT).build();
        ScriptedModel model = new ScriptedModel(trap());
        SearchResult r = run("mcts", model, cfg);
        assertEquals("7", r.answer());
        assertTrue(model.completeCalls.get() > 0, "rollouts used complete()");
    }

    /** "1" is the single most likely chain, but "2" is stated by three chains that together are likelier. */
    private static FixedTree split() {
        return new FixedTree(0.5)
                .options("", new Option("A so \\boxed{1}", Math.log(0.4), true),
                        new Option("B so \\boxed{2}", Math.log(0.2), true),
                        new Option("C so \\boxed{ 2 }", Math.log(0.2), true),
                        new Option("D so \\boxed{2}", Math.log(0.2), true))
                .check("A so \\boxed{1}", 0.95);
    }

    @Test
    void selfConsistencyPicksTheMajorityAnswer() {
        ScriptedModel model = new ScriptedModel(split()).deliverOn(Runnable::run);
        SearchConfig cfg = SearchConfig.builder().budget(15).seed(11).temperature(1.0).build();
        List<SearchEvent> events = EventChecks.collect(Searches.run("self-consistency", PROBLEM, cfg, model));
        EventChecks.assertValidTree(events);
        SearchResult r = EventChecks.result(events);
        // Count the answers of the sampled chains independently of the strategy.
        Map<String, Long> counts = events.stream()
                .filter(e -> e instanceof SearchEvent.NodeProposed p && p.step() != null && p.step().terminal())
                .map(e -> Answers.normalize(((SearchEvent.NodeProposed) e).step().answer()))
                .collect(Collectors.groupingBy(a -> a, Collectors.counting()));
        assertEquals(15, counts.values().stream().mapToLong(Long::longValue).sum());
        String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals("2", majority, "this seed samples answer 2 most often");
        assertEquals("2", Answers.normalize(r.answer()));
        assertEquals(counts.get("2") / 15.0, r.score(), 1e-9);
        assertEquals(counts.get("2").intValue(), r.alternatives().get(0).votes());
        assertEquals(0, r.usage().selfChecks(), "counted votes need no self-check");
        assertEquals(15, model.completeCalls.get());
    }

    @Test
    void weightedVotesFollowTheSelfCheck() {
        SearchConfig cfg = SearchConfig.builder().budget(15).seed(11).temperature(1.0).weightedVotes(true).build();
        SearchResult r = run("self-consistency", new ScriptedModel(split()), cfg);
        // Each "1" chain weighs 0.95, each "2" chain 0.5: with the counts above "1" wins the weighted vote.
        assertEquals("1", r.answer());
        assertEquals(15, r.usage().selfChecks());
    }

    /** Two chains the check trusts almost equally; the model was far surer of writing "x". */
    private static FixedTree nearTie() {
        return new FixedTree(0.5)
                .options("", new Option("x", Math.log(0.7), false), new Option("y", Math.log(0.3), false))
                .options("x", new Option("x so \\boxed{1}", 0, true))
                .options("y", new Option("y so \\boxed{2}", 0, true))
                .check("x", 0.98).check("y", 0.99);
    }

    @Test
    void bestOfNBreaksNearTiesOfTheCheckByHowSureTheModelWasOfItsChain() {
        SearchConfig checksOnly = SearchConfig.builder().budget(8).seed(4).temperature(1.0).likelihoodWeight(0).build();
        SearchResult byChecks = run("best-of-n", new ScriptedModel(nearTie()), checksOnly);
        assertEquals(2, byChecks.alternatives().size(), "this seed samples both chains");
        assertEquals("2", byChecks.answer(), "the checks alone prefer y (0.99 against 0.98)");

        SearchConfig withLikelihood = checksOnly.toBuilder().likelihoodWeight(0.5).build();
        SearchResult r = run("best-of-n", new ScriptedModel(nearTie()), withLikelihood);
        assertEquals("1", r.answer(), "x: nearly as trusted, far likelier");
        assertEquals(Math.exp(0.5 * r.chain().normalizedLogProb() + 0.5 * Math.log(0.98)), r.score(), 1e-12);

        // weighted best-of-n weighs its votes by the checks alone, whatever the weight
        SearchResult weighted = run("weighted-best-of-n", new ScriptedModel(nearTie()), withLikelihood);
        SearchResult weightedChecksOnly = run("weighted-best-of-n", new ScriptedModel(nearTie()), checksOnly);
        assertEquals(weightedChecksOnly.answer(), weighted.answer());
        assertEquals(weightedChecksOnly.score(), weighted.score(), 1e-12);
    }

    @Test
    void mctsPicksAmongFinishedChainsByTheirChecksAndLikelihood() {
        SearchConfig checksOnly = SearchConfig.builder().budget(8).seed(1).mctsParallel(1).likelihoodWeight(0).build();
        SearchResult byChecks = run("mcts", new ScriptedModel(nearTie()), checksOnly);
        assertEquals(2, byChecks.alternatives().size(), "both chains finished");
        assertEquals("2", byChecks.answer(), "the checks alone prefer y (0.99 against 0.98)");
        SearchResult r = run("mcts", new ScriptedModel(nearTie()), checksOnly.toBuilder().likelihoodWeight(0.5).build());
        assertEquals("1", r.answer(), "x: nearly as trusted, far likelier");
        assertEquals(0.5 * r.chain().normalizedLogProb() + 0.5 * Math.log(0.98), r.score(), 1e-12);
    }

    @Test
    void bestOfNPicksTheHighestSelfCheckAndWeightedSumsByAnswer() {
        FixedTree tree = new FixedTree(0.5)
                .options("", new Option("A so \\boxed{1}", Math.log(0.5), true),
                        new Option("B so \\boxed{2}", Math.log(0.5), true))
                .check("A so \\boxed{1}", 0.9).check("B so \\boxed{2}", 0.6);
        SearchConfig cfg = SearchConfig.builder().budget(8).seed(2).temperature(1.0).build();
        SearchResult plain = run("best-of-n", new ScriptedModel(tree), cfg.toBuilder().likelihoodWeight(0).build());
        assertEquals("1", plain.answer());
        assertEquals(0.9, plain.score(), 1e-12);

        // Weighted: the answer with the largest summed self-check, whatever the single best chain.
        SearchResult weighted = run("weighted-best-of-n", new ScriptedModel(tree), cfg);
        Map<String, Double> sums = new HashMap<>();
        weighted.alternatives().forEach(a -> sums.put(a.answer(), a.score()));
        Alternative one = weighted.alternatives().stream().filter(a -> "1".equals(a.answer())).findFirst().orElseThrow();
        Alternative two = weighted.alternatives().stream().filter(a -> "2".equals(a.answer())).findFirst().orElseThrow();
        assertEquals(8, one.votes() + two.votes());
        String expected = one.votes() * 0.9 >= two.votes() * 0.6 ? "1" : "2";
        assertEquals(expected, weighted.answer());
        assertEquals(Math.max(one.votes() * 0.9, two.votes() * 0.6) / (one.votes() * 0.9 + two.votes() * 0.6),
                weighted.score(), 1e-9);
    }

    @Test
    void autoPicksByBudgetAndSaysWhich() {
        assertEquals("greedy", run("auto", new ScriptedModel(trap()), SearchConfig.ofBudget(1)).strategy());
        assertEquals("best-of-n", run("auto", new ScriptedModel(trap()), SearchConfig.ofBudget(2)).strategy());
        SearchResult big = run("auto", new ScriptedModel(trap()), SearchConfig.ofBudget(9));
        assertEquals("best-of-n", big.strategy());
        assertEquals("7", big.answer());
    }

    @Test
    void unknownStrategyListsTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.byName("dfs"));
        for (String name : Strategies.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertEquals(List.of("greedy", "best-of-n", "weighted-best-of-n", "self-consistency", "beam", "mcts", "auto"),
                Strategies.names());
    }

    @Test
    void beamWidthAndExpansionsStayWithinTheBudget() {
        ScriptedModel model = new ScriptedModel(new ScriptedModel.RandomTree(7, 6));
        run("beam", model, SearchConfig.builder().budget(10).beamWidth(3).build());
        // width 3, 3 expansions each: 9 candidates per step, the first step all from the root.
        assertEquals(new ScriptedModel.ProposeCall(0, 9), model.proposeCalls.get(0));
        model.proposeCalls.stream().skip(1).forEach(c -> assertEquals(3, c.k()));
    }
}

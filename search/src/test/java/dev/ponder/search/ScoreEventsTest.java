package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A score event carries the self-check verdict on the node's own chain exactly when the search asked for one. */
class ScoreEventsTest {

    private static List<SearchEvent.NodeScored> scores(String strategy) {
        ScriptedModel model = new ScriptedModel(new ScriptedModel.RandomTree(7, 5));
        List<SearchEvent> events = EventChecks.collect(Searches.run(strategy, new Problem("p", "q"), SearchConfig.ofBudget(6), model));
        EventChecks.assertValidTree(events);
        return events.stream().filter(e -> e instanceof SearchEvent.NodeScored).map(e -> (SearchEvent.NodeScored) e).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"beam", "best-of-n", "weighted-best-of-n"})
    void searchesThatCheckEveryScoredNodeReportTheVerdict(String strategy) {
        List<SearchEvent.NodeScored> scores = scores(strategy);
        assertFalse(scores.isEmpty());
        for (SearchEvent.NodeScored s : scores) {
            assertTrue(s.check() >= 0 && s.check() <= 1, strategy + ": " + s);
        }
    }

    @Test
    void mctsReportsTheVerdictOfLeavesValuedByTheirOwnChain() {
        List<SearchEvent.NodeScored> scores = scores("mcts");
        assertFalse(scores.isEmpty());
        // with the default leaf evaluation (self-check) every value is the verdict on the leaf itself
        assertTrue(scores.stream().allMatch(s -> s.check() == s.score()), scores.toString());
    }

    @Test
    void greedyAsksNoSelfCheck() {
        List<SearchEvent.NodeScored> scores = scores("greedy");
        assertFalse(scores.isEmpty());
        assertTrue(scores.stream().allMatch(s -> Double.isNaN(s.check())), scores.toString());
    }
}

package dev.ponder.reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ponder.search.Alternative;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Step;
import dev.ponder.search.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonResultTest {

    private static final Problem PROBLEM = new Problem("p", "Use 4 7 8 8 to make 24.");

    @Test
    void aChainThatEndsByItselfStops() {
        ReasonResult r = ReasonResult.of(result(chain(true, 5, "(8-4)*(7-1) = \\boxed{24}"), false, null), 3, 20, 12);
        assertEquals("stop", r.finishReason());
        assertEquals("24", r.answer());
        assertEquals(20, r.usage().promptTokens());
        assertEquals(3, r.searchBudget());
    }

    @Test
    void aChainCutByMaxTokensOrTheDeadlineIsLength() {
        assertEquals("length", ReasonResult.of(result(chain(true, 12, "8 * 3"), false, null), 1, 9, 12).finishReason());
        assertEquals("length", ReasonResult.of(result(chain(false, 5, "8 * 3"), false, null), 1, 9, 12).finishReason());
        assertEquals("length", ReasonResult.of(result(chain(true, 5, "8 * 3"), true, null), 1, 9, 12).finishReason());
    }

    @Test
    void theSearchsAnswerWinsElseTheLastBoxInTheText() {
        Chain split = Chain.of(PROBLEM).append(Step.of("so \\boxed{2", new int[] {1}, -1, false))
                .append(Step.of("4}", new int[] {2}, -1, true));
        assertEquals("24", ReasonResult.of(result(split, false, null), 1, 9, 12).answer(), "a box split over steps");
        assertEquals("23", ReasonResult.of(result(split, false, "23"), 1, 9, 12).answer(), "the vote winner");
        assertNull(ReasonResult.of(result(chain(true, 3, "no box"), false, null), 1, 9, 12).answer());
    }

    private static Chain chain(boolean terminal, int tokens, String text) {
        return Chain.of(PROBLEM).append(Step.of(text, new int[tokens], -2.0, terminal));
    }

    private static SearchResult result(Chain c, boolean cutShort, String answer) {
        return new SearchResult("beam", c, List.of("root", "n1"), answer, 0.5, cutShort,
                List.of(new Alternative(answer, 0.5, 1, c.text())), new Usage(1, c.tokenCount(), 1, 2, 10));
    }
}

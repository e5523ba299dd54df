package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {

    @Test
    void lastBoxedWithNestedBraces() {
        assertEquals("\\frac{1}{2}", Answers.lastBoxed("so x = \\boxed{\\frac{1}{2}}."));
        assertEquals("7", Answers.lastBoxed("first \\boxed{3}, then \\boxed{ 7 }"));
        assertEquals("\\{1,2\\}", Answers.lastBoxed("the set \\boxed{\\{1,2\\}}"));
        assertEquals("a^{b^{c}}", Answers.lastBoxed("\\boxed{a^{b^{c}}}"));
    }

    @Test
    void noAnswer() {
        assertNull(Answers.lastBoxed("no box here"));
        assertNull(Answers.lastBoxed(null));
        assertNull(Answers.lastBoxed("cut off \\boxed{\\frac{1}{2"));
        assertEquals("3", Answers.lastBoxed("\\boxed{3} then cut \\boxed{4"));
    }

    @Test
    void nestedBoxIsPartOfTheOuterOne() {
        assertEquals("\\boxed{1}+1", Answers.lastBoxed("\\boxed{\\boxed{1}+1}"));
    }

    @Test
    void votesCountTheSameArithmeticInAnotherOrderAsOneAnswer() {
        String key = Answers.voteKey("(10 - 4) * (13 - 9)");
        assertEquals(key, Answers.voteKey("(13-9)*(10-4)"));
        assertEquals(key, Answers.voteKey("(13 - 9) \\times (-4 + 10)"));
        assertEquals(Answers.voteKey("6 / (2 / 8)"), Answers.voteKey("8 * 6 / 2"));
        assertEquals(Answers.voteKey("13 - (9 - 4) + 10"), Answers.voteKey("13 + 4 + 10 - 9"));
        // different solutions, and different values, stay apart: nothing is evaluated or distributed
        assertFalse(key.equals(Answers.voteKey("(10 - 4) * 13 - 9")));
        assertFalse(Answers.voteKey("4 * (3 + 3)").equals(Answers.voteKey("4 * 3 + 4 * 3")));
        assertFalse(Answers.voteKey("8 / 2").equals(Answers.voteKey("2 / 8")));
        assertFalse(Answers.voteKey("10 - 4").equals(Answers.voteKey("4 - 10")));
        // not arithmetic over numbers: compared as the light normal form leaves it
        assertEquals(Answers.normalize("x + 1"), Answers.voteKey("x + 1"));
        assertEquals("48828125", Answers.voteKey("48828125"));
        assertEquals(Answers.normalize("2024-01-05"), Answers.voteKey("2024-01-05"));
        assertEquals(Answers.normalize("(1 + 2"), Answers.voteKey("(1 + 2"));
        assertNull(Answers.voteKey(null));
    }

    @Test
    void normalizeGroupsSpellings() {
        assertEquals(Answers.normalize("\\dfrac{1}{2}"), Answers.normalize(" \\frac{1}{2}. "));
        assertEquals(Answers.normalize("$\\left(1, 2\\right)$"), Answers.normalize("(1,2)"));
        assertEquals("\\leftarrow", Answers.normalize("\\leftarrow"));
        assertFalse(Answers.normalize("12").equals(Answers.normalize("1.2")));
        assertNull(Answers.normalize(null));
    }

    @Test
    void chainHelpers() {
        Problem p = new Problem("id", "q");
        Chain c = Chain.of(p);
        assertEquals(0, c.depth());
        assertFalse(c.terminal());
        assertNull(c.answer());
        assertEquals(0.0, c.normalizedLogProb());
        Chain two = c.append(Step.of("x = \\boxed{4}\n", new int[] {1, 2}, -1.0, false))
                .append(Step.of("done\n", new int[] {3, 4}, -3.0, true));
        assertEquals("x = \\boxed{4}\ndone\n", two.text());
        assertEquals("4", two.answer(), "the latest stated answer");
        assertTrue(two.terminal());
        assertEquals(4, two.tokenCount());
        assertEquals(-1.0, two.normalizedLogProb());
        assertEquals(0, c.depth(), "chains are immutable");
        assertEquals(List.of(two.steps().get(0)), two.steps().subList(0, 1));
    }

    @Test
    void stepsCompareByContentAndDoNotShareTokens() {
        int[] tokens = {1, 2, 3};
        Step a = Step.of("s\n", tokens, -1, false);
        tokens[0] = 99;
        assertEquals(Step.of("s\n", new int[] {1, 2, 3}, -1, false), a);
        a.tokens()[1] = 42;
        assertEquals(2, a.tokens()[1]);
    }
}

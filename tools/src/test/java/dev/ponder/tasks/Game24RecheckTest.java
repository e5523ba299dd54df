package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Game24RecheckTest {

    private static final List<Integer> PUZZLE = List.of(4, 9, 10, 13);

    @Test
    void aRightAnswerIsRewrittenAnOperationAtATimeAndItsNumbersComparedWithThePuzzles() {
        Game24Recheck r = Game24Recheck.of(PUZZLE, "(10 - 4) * (13 - 9)").orElseThrow();
        assertEquals(List.of("(10 - 4) * (13 - 9)", "= 6 * (13 - 9)", "= 6 * 4", "= 24", "4 9 10 13", "4 9 10 13"),
                r.lines());
        assertTrue(r.correct());
        assertEquals("(10 - 4) * (13 - 9)\n= 6 * (13 - 9)\n= 6 * 4\n= 24\n4 9 10 13\n4 9 10 13\n", r.reasoning());
    }

    @Test
    void aWrongValueANumberUsedTwiceAndADivisionByZeroSayNo() {
        Game24Recheck wrong = Game24Recheck.of(List.of(7, 8, 10, 11), "7 * (11 - 8) + 10").orElseThrow();
        assertEquals(List.of("7 * (11 - 8) + 10", "= 7 * 3 + 10", "= 21 + 10", "= 31", "7 8 10 11", "7 8 10 11"),
                wrong.lines());
        assertFalse(wrong.correct());

        Game24Recheck twice = Game24Recheck.of(PUZZLE, "(10 - 4) * (13 - 4)").orElseThrow();
        assertEquals(List.of("4 4 10 13", "4 9 10 13"), twice.lines().subList(4, 6));
        assertFalse(twice.correct());

        Game24Recheck zero = Game24Recheck.of(List.of(4, 4, 10, 13), "13 / (4 - 4) + 10").orElseThrow();
        assertEquals(List.of("13 / (4 - 4) + 10", "= 13 / 0 + 10", "= undefined", "4 4 10 13", "4 4 10 13"), zero.lines());
        assertFalse(zero.correct());
    }

    @Test
    void fractionsAreWrittenInParenthesesAndNothingToRecomputeIsEmpty() {
        Game24Recheck r = Game24Recheck.of(List.of(1, 3, 4, 6), "6 / (1 - 3 / 4)").orElseThrow();
        assertEquals(List.of("6 / (1 - 3 / 4)", "= 6 / (1 - (3/4))", "= 6 / (1/4)", "= 24", "1 3 4 6", "1 3 4 6"), r.lines());
        assertTrue(r.correct());
        assertTrue(Game24Recheck.of(PUZZLE, "24").isEmpty());
        assertTrue(Game24Recheck.of(PUZZLE, "(10 - 4 *").isEmpty());
    }

    @Test
    void noLineOfARecomputationStartsWithYesOrNoSoTheVerdictIsTheFirstThatDoes() {
        Random rnd = new Random(5);
        TaskDatasets data = new TaskDatasets(0);
        for (int i = 0; i < 300; i++) {
            SelfCheckExample e = data.game24Answer(TaskDatasets.Split.TRAIN, rnd);
            assertFalse(e.reasoning().isEmpty());
            for (String line : e.reasoning().split("\n")) {
                assertFalse(line.startsWith("y") || line.startsWith("n"), line);
            }
            String boxed = Game24Chain.boxedContent(e.chainSoFar().strip().lines().reduce((a, b) -> b).orElseThrow()).orElseThrow();
            List<Integer> puzzle = Game24Chain.parsePrompt(e.user()).orElseThrow();
            assertEquals(Game24Checker.check(puzzle.stream().map(Fraction::of).toList(), boxed).valid(), e.correct(), boxed);
        }
    }

    @Test
    void answerRechecksAreBalancedEnoughAndOnlyAStreamWithThemRechecksEveryBox() {
        Random rnd = new Random(9);
        TaskDatasets data = new TaskDatasets(0);
        int right = 0;
        for (int i = 0; i < 400; i++) {
            right += data.game24Answer(TaskDatasets.Split.TRAIN, rnd).correct() ? 1 : 0;
        }
        assertTrue(right > 100 && right < 260, "right answers: " + right);
        int boxedChecks = 0;
        var with = data.stream(TaskDatasets.Split.TRAIN, new TaskDatasets.Mix(0, 1, 0, 0, 0, 0, 1e-9), 3);
        var without = data.stream(TaskDatasets.Split.TRAIN, new TaskDatasets.Mix(0, 1, 0, 0, 0, 0, 0), 3);
        for (int i = 0; i < 400; i++) {
            SelfCheckExample e = (SelfCheckExample) with.next();
            SelfCheckExample plain = (SelfCheckExample) without.next();
            boolean endsInBox = e.chainSoFar().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("\\boxed{");
            if (e.reasoning().isEmpty()) {
                // the same draw either way; only the recheck is added
                assertEquals(plain, e);
            }
            assertEquals(endsInBox, !e.reasoning().isEmpty(), e.chainSoFar());
            assertTrue(plain.reasoning().isEmpty());
            boxedChecks += endsInBox ? 1 : 0;
        }
        assertTrue(boxedChecks > 20, "self-checks ending in a box: " + boxedChecks);
    }
}

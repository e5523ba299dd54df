package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.ponder.tasks.TaskDatasets.Mix;
import dev.ponder.tasks.TaskDatasets.Split;

class TaskDatasetsTest {

    private static Set<String> keys(List<Game24Puzzle> ps) {
        return ps.stream().map(Game24Puzzle::key).collect(Collectors.toSet());
    }

    @Test
    void benchmarkIsRanks901To1000AndMatchesTheExclusionList() {
        List<Game24Puzzle> bench = TaskDatasets.benchmarkPuzzles();
        assertEquals(100, bench.size());
        assertEquals(901, bench.get(0).rank());
        assertEquals(List.of(4, 5, 6, 10), bench.get(0).numbers());
        assertEquals(1000, bench.get(99).rank());
        assertEquals(List.of(4, 9, 10, 13), bench.get(99).numbers());
        assertEquals(keys(bench), TaskDatasets.benchmarkListKeys());
        assertEquals(1362, TaskDatasets.allPuzzles().size());
        assertEquals(1362, keys(TaskDatasets.allPuzzles()).size(), "multisets are unique in the csv");
        assertTrue(TaskDatasets.isBenchmark(List.of(13, 10, 9, 4)), "any order");
        assertFalse(TaskDatasets.isBenchmark(List.of(1, 1, 4, 6)));
    }

    @Test
    void splitsAreDisjointCompleteAndFreeOfBenchmarkPuzzles() {
        TaskDatasets data = new TaskDatasets(1);
        Set<String> train = keys(data.puzzles(Split.TRAIN));
        Set<String> validation = keys(data.puzzles(Split.VALIDATION));
        assertEquals(1162, train.size());
        assertEquals(100, validation.size());
        Set<String> bench = keys(TaskDatasets.benchmarkPuzzles());
        Set<String> union = new HashSet<>(train);
        union.addAll(validation);
        assertEquals(1262, union.size(), "disjoint");
        for (String k : union) {
            assertFalse(bench.contains(k), k);
        }
        Set<String> rest = keys(TaskDatasets.allPuzzles());
        rest.removeAll(bench);
        assertEquals(rest, union, "every non-benchmark puzzle is used");
    }

    @Test
    void splitsAreDeterministicForASeed() {
        assertEquals(new TaskDatasets(5).puzzles(Split.VALIDATION), new TaskDatasets(5).puzzles(Split.VALIDATION));
        assertEquals(new TaskDatasets(5).puzzles(Split.TRAIN), new TaskDatasets(5).puzzles(Split.TRAIN));
        assertNotEquals(keys(new TaskDatasets(5).puzzles(Split.VALIDATION)), keys(new TaskDatasets(6).puzzles(Split.VALIDATION)));
        TaskDatasets a = new TaskDatasets(5);
        TaskDatasets b = new TaskDatasets(5);
        assertEquals(a.mixture(Split.TRAIN, Mix.defaults(), 300, 9), b.mixture(Split.TRAIN, Mix.defaults(), 300, 9));
        assertEquals(a.game24SelfChecks(Split.VALIDATION, 2, 4), b.game24SelfChecks(Split.VALIDATION, 2, 4));
        assertNotEquals(a.mixture(Split.TRAIN, Mix.defaults(), 50, 9), a.mixture(Split.TRAIN, Mix.defaults(), 50, 10));
    }

    @Test
    void noBenchmarkPuzzleInAnyTrainingOrValidationExample() {
        TaskDatasets data = new TaskDatasets(1);
        for (Split split : Split.values()) {
            Set<String> allowed = keys(data.puzzles(split));
            int game24 = 0;
            for (Example e : data.game24Examples(split, 2, 3)) {
                game24 += assertClean(e.user(), allowed);
                assertTrue(Game24Verifier.verify(Game24Chain.parsePrompt(e.user()).orElseThrow(), e.assistant()).solved());
            }
            for (SelfCheckExample e : data.game24SelfChecks(split, 2, 3)) {
                game24 += assertClean(e.user(), allowed);
            }
            for (TaskExample e : data.mixture(split, Mix.defaults(), 3000, 17)) {
                game24 += assertClean(e.user(), allowed);
            }
            // every kind of item the trainer can draw, state values, whole chains, answer rechecks and slips included
            for (TaskExample e : data.mixture(split, new Mix(1, 1, 1, 1, 1, 1, 1, 1), 1600, 19)) {
                game24 += assertClean(e.user(), allowed);
            }
            assertTrue(game24 > 1000, split + ": " + game24);
        }
    }

    // A Game-of-24 prompt must name a puzzle of its split, never a benchmark multiset; other prompts are arithmetic.
    private static int assertClean(String user, Set<String> allowed) {
        var numbers = Game24Chain.parsePrompt(user);
        if (numbers.isEmpty()) {
            assertTrue(ArithmeticProblem.parsePrompt(user).isPresent(), user);
            return 0;
        }
        assertFalse(TaskDatasets.isBenchmark(numbers.get()), user);
        assertTrue(allowed.contains(Game24Puzzle.key(numbers.get())), user);
        return 1;
    }

    @Test
    void arithmeticSplitsAreDisjointAndOrderFree() {
        TaskDatasets data = new TaskDatasets(1);
        List<ArithmeticProblem.Power> train = data.powers(Split.TRAIN);
        List<ArithmeticProblem.Power> validation = data.powers(Split.VALIDATION);
        assertEquals(TaskDatasets.allPowers().size(), train.size() + validation.size());
        assertTrue(validation.size() >= 5, "validation powers: " + validation.size());
        assertTrue(train.stream().noneMatch(validation::contains));
        java.util.Random rnd = new java.util.Random(2);
        for (int i = 0; i < 2000; i++) {
            ArithmeticProblem.Product p = data.randomProduct(Split.VALIDATION, rnd);
            assertEquals(Split.VALIDATION, data.splitOf(new ArithmeticProblem.Product(p.right(), p.left())));
        }
        for (TaskExample e : data.mixture(Split.TRAIN, new Mix(0, 0, 1, 1), 500, 3)) {
            ArithmeticProblem p = ArithmeticProblem.parsePrompt(e.user()).orElseThrow();
            assertEquals(Split.TRAIN, data.splitOf(p));
        }
    }

    @Test
    void mixtureFollowsTheProportions() {
        TaskDatasets data = new TaskDatasets(1);
        List<TaskExample> items = data.mixture(Split.TRAIN, new Mix(0.5, 0.3, 0.2, 0.0), 2000, 1);
        long g24Chains = items.stream().filter(e -> e instanceof Example && Game24Chain.parsePrompt(e.user()).isPresent()).count();
        long g24Checks = items.stream().filter(e -> e instanceof SelfCheckExample && Game24Chain.parsePrompt(e.user()).isPresent()).count();
        long arith = items.stream().filter(e -> e instanceof Example && Game24Chain.parsePrompt(e.user()).isEmpty()).count();
        long arithChecks = items.stream().filter(e -> e instanceof SelfCheckExample && Game24Chain.parsePrompt(e.user()).isEmpty()).count();
        assertEquals(0, arithChecks);
        assertTrue(Math.abs(g24Chains - 1000) < 100, "" + g24Chains);
        assertTrue(Math.abs(g24Checks - 600) < 90, "" + g24Checks);
        assertTrue(Math.abs(arith - 400) < 80, "" + arith);
    }

    @Test
    void oneKindAtATime() {
        TaskDatasets data = new TaskDatasets(1);
        assertEquals(Mix.KINDS.size(), new Mix(1, 2, 3, 4, 5, 6, 7, 8).shares().length);
        assertEquals(3.0, new Mix(1, 2, 3, 4, 5, 6, 7, 8).shares()[2]);
        List<TaskExample> arithmetic = data.mixture(Split.TRAIN, Mix.only(Mix.KINDS.indexOf("arithmeticChains")), 50, 3);
        assertTrue(arithmetic.stream().allMatch(e -> e instanceof Example && Game24Chain.parsePrompt(e.user()).isEmpty()));
        List<TaskExample> values = data.mixture(Split.TRAIN, Mix.only(Mix.KINDS.indexOf("game24Values")), 50, 3);
        assertTrue(values.stream().allMatch(e -> e instanceof SelfCheckExample && Game24Chain.parsePrompt(e.user()).isPresent()));
    }
}

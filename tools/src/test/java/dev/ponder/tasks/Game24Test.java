package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class Game24Test {

    private static List<Fraction> f(int... xs) {
        return java.util.Arrays.stream(xs).mapToObj(Fraction::of).toList();
    }

    @Test
    void everyCsvPuzzleIsSolvable() {
        for (Game24Puzzle p : TaskDatasets.allPuzzles()) {
            assertTrue(Game24.solvableInts(p.numbers()), p.toString());
        }
    }

    @Test
    void theCsvIsExactlyTheSolvableMultisetsOfOneToThirteen() {
        // 1,820 multisets of four numbers from 1..13; the csv claims to list every solvable one.
        Set<String> solvable = new TreeSet<>();
        for (int a = 1; a <= 13; a++) {
            for (int b = a; b <= 13; b++) {
                for (int c = b; c <= 13; c++) {
                    for (int d = c; d <= 13; d++) {
                        if (Game24.solvableInts(List.of(a, b, c, d))) {
                            solvable.add(Game24Puzzle.key(List.of(a, b, c, d)));
                        }
                    }
                }
            }
        }
        Set<String> csv = TaskDatasets.allPuzzles().stream().map(Game24Puzzle::key).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(1362, solvable.size());
        assertEquals(csv, solvable);
    }

    @Test
    void knownCases() {
        assertFalse(Game24.solvable(f(1, 1, 1, 1)));
        assertFalse(Game24.solvable(f(1, 1, 1, 2)));
        assertTrue(Game24.solvable(f(1, 5, 5, 5)));
        assertTrue(Game24.solvable(f(3, 3, 8, 8)));
        assertTrue(Game24.solvable(f(24)));
        assertFalse(Game24.solvable(f(23)));
        assertFalse(Game24.solvable(List.of()));
        assertTrue(Game24.solvable(List.of(Fraction.of(1, 5), Fraction.of(5), Fraction.of(5))));
        assertTrue(Game24.solvable(f(4, 6)));
        assertFalse(Game24.solvable(f(4, 7)));
        // Any count of numbers, negatives included.
        assertTrue(Game24.solvable(f(1, 1, 1, 1, 20)));
        assertTrue(Game24.solvable(f(-4, -6)));
    }

    @Test
    void nextStepsAreAllValidAndNeverNegative() {
        List<Game24Step> steps = Game24.nextSteps(f(1, 5, 5, 5));
        Set<String> lines = steps.stream().map(Game24Step::toString).collect(Collectors.toSet());
        assertTrue(lines.contains("1 / 5 = 1/5 (left: 1/5 5 5)"), lines.toString());
        assertTrue(lines.contains("5 / 1 = 5 (left: 5 5 5)"));
        assertTrue(lines.contains("5 - 5 = 0 (left: 0 1 5)"));
        assertFalse(lines.contains("1 - 5 = -4 (left: -4 5 5)"));
        assertEquals(lines.size(), steps.size(), "distinct");
        for (Game24Step s : steps) {
            assertEquals(s.result(), s.op().apply(s.a(), s.b()));
            assertTrue(s.result().signum() >= 0);
            assertEquals(3, s.left().size());
        }
        // 1 5 5 5: pairs {1,5} and {5,5}: + * - and both divisions for {1,5}; + * - / for {5,5}.
        assertEquals(9, steps.size());
    }
}

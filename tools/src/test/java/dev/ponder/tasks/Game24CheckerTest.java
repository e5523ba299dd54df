package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class Game24CheckerTest {

    private static void valid(String puzzle, String expr) {
        Game24Checker.Result r = Game24Checker.check(puzzle, expr);
        assertTrue(r.valid(), () -> expr + " for " + puzzle + ": " + r.reason());
        assertEquals("ok", r.reason());
    }

    private static void invalid(String puzzle, String expr, String reasonPart) {
        Game24Checker.Result r = Game24Checker.check(puzzle, expr);
        assertFalse(r.valid(), expr + " for " + puzzle);
        assertTrue(r.reason().contains(reasonPart), () -> "reason '" + r.reason() + "' lacks '" + reasonPart + "'");
    }

    @Test
    void acceptsCorrectAnswers() {
        valid("4 9 10 13", "(10 - 4) * (13 - 9)");
        valid("4 9 10 13", "(13-9)*(10-4)");
        valid("1 5 5 5", "5 * (5 - 1/5)");
        valid("1 5 5 5", "(5 - 1 / 5) * 5");
        valid("1 1 5 20", "(1 + 1/5) * 20");
        valid("1 5 5 5", "(5 - 1/5) * 5");
        valid("3 3 8 8", "8 / (3 - 8 / 3)");
        valid("1 3 7 8", "3 / (1 - 7 / 8)");
        valid("6 6 6 6", "6 + 6 + 6 + 6");
        valid("4,9,10,13", " \\boxed{(10 - 4) * (13 - 9)} ");
        valid("4 9 10 13", "(10 - 4) * (13 - 9) = 24");
        valid("4 9 10 13", "(10 \u2212 4) \u00d7 (13 \u2212 9)");
        valid("2 3 4 6", "6 \u00d7 4 \u00f7 (3 \u2212 2)");
    }

    @Test
    void rejectsWrongNumberUse() {
        invalid("4 9 10 13", "(13 - 4) * (13 - 10)", "uses 13 twice");
        invalid("4 9 10 13", "(10 - 4) * 13", "does not use 9");
        invalid("4 9 10 13", "(10 - 4) * (13 - 9) * 1", "uses 1, which is not in the puzzle");
        invalid("6 6 6 6", "6 + 6 + 6 + 6 + 6", "uses 6 5 times");
        invalid("1 5 5 5", "5 * 5 - 1", "uses 5 twice (the puzzle has it 3 times)");
    }

    @Test
    void rejectsWrongValues() {
        invalid("4 9 10 13", "10 - 4 * 13 - 9", "evaluates to -51");
        invalid("4 9 10 13", "(13 - 9) * 10 - 4", "evaluates to 36");
        invalid("1 5 5 5", "5 * 5 - 1 / 5", "evaluates to 124/5");
        invalid("1 1 2 2", "1 / (2 - 2) * 1", "divides by zero");
        Game24Checker.Result r = Game24Checker.check("4 9 10 13", "4 + 9 + 10 + 13");
        assertEquals(Fraction.of(36), r.value().orElseThrow());
    }

    @Test
    void reportsParseErrors() {
        invalid("4 9 10 13", "(10 - 4 * (13 - 9)", "parse error at column");
        invalid("4 9 10 13", "10 - 4) * (13 - 9)", "parse error at column 7");
        invalid("4 9 10 13", "10 4 13 9", "parse error");
        invalid("4 9 10 13", "2.5 * 9.6", "only whole numbers");
        invalid("4 9 10 13", "", "empty");
        invalid("4 9 10 13", null, "empty");
        invalid("four nine", "4 * 6", "puzzle is not");
        invalid("4 9 10 13", "(".repeat(200) + "1" + ")".repeat(200), "nested too deeply");
        invalid("4 9 10 13", "1".repeat(40), "number too long");
        invalid("4 9 10 13", "9".repeat(2000), "longer than");
    }

    @Test
    void neverThrowsOnGarbage() {
        Random rnd = new Random(7);
        String alphabet = "0123456789+-*/()= x\u00d7\u00f7\u2212\\boxed{}.,a%^";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(30);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            Game24Checker.Result r = Game24Checker.check("4 9 10 13", sb.toString());
            assertNotNull(r.reason());
            if (r.valid()) {
                // Anything accepted must really be right: re-check the canonical way.
                assertEquals(Fraction.of(24), r.value().orElseThrow(), sb.toString());
            }
        }
        // Values that overflow long arithmetic are reported, not thrown.
        invalid("999999999 999999999 999999999 1", "999999999 * 999999999 * 999999999 * 1", "overflows");
    }
}

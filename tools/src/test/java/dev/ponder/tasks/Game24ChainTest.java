package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.ponder.tasks.ChainCheck.Verdict;
import dev.ponder.tasks.Game24Chain.Chain;

class Game24ChainTest {

    @Test
    void everyGeneratedChainParsesBackAndChecksOut() {
        int total = 0;
        for (Game24Puzzle p : TaskDatasets.allPuzzles()) {
            List<Chain> chains = Game24Chain.allChains(p.numbers());
            assertFalse(chains.isEmpty(), p.toString());
            Set<String> texts = new HashSet<>();
            for (Chain c : chains) {
                String text = c.text();
                assertTrue(texts.add(text), "duplicate chain " + text);
                List<String> lines = c.lines();
                assertEquals(4, lines.size());
                for (int i = 0; i < 3; i++) {
                    Game24Step parsed = Game24Step.parse(lines.get(i)).orElseThrow(AssertionError::new);
                    assertEquals(c.steps().get(i), parsed);
                    assertEquals(lines.get(i), parsed.toString());
                    assertTrue(parsed.result().signum() >= 0, "negative intermediate in " + text);
                }
                assertEquals(List.of(Fraction.of(24)), c.steps().get(2).left());
                String boxed = Game24Chain.boxedContent(lines.get(3)).orElseThrow();
                assertTrue(Game24Checker.check(p.text(), boxed).valid(), text);
                ChainCheck check = Game24Verifier.verify(p.numbers(), text);
                assertTrue(check.allCorrect() && check.solved(), text + "\n" + check);
                total++;
            }
        }
        assertTrue(total > 10_000, "chains: " + total);
    }

    @Test
    void theTreeOfThoughtsExampleIsAmongTheChains() {
        List<String> texts = Game24Chain.allChains(List.of(4, 9, 10, 13)).stream().map(Chain::text).toList();
        assertTrue(texts.contains("""
                13 - 9 = 4 (left: 4 4 10)
                10 - 4 = 6 (left: 4 6)
                6 * 4 = 24 (left: 24)
                \\boxed{(10 - 4) * (13 - 9)}"""), String.join("\n\n", texts));
        assertTrue(Game24Chain.allChains(List.of(1, 5, 5, 5)).stream().anyMatch(c -> c.text().equals("""
                1 / 5 = 1/5 (left: 1/5 5 5)
                5 - 1/5 = 24/5 (left: 24/5 5)
                5 * 24/5 = 24 (left: 24)
                \\boxed{5 * (5 - 1 / 5)}""")));
    }

    @Test
    void promptOrderDoesNotMatterAndSamplingIsSeeded() {
        assertEquals(Game24Chain.allChains(List.of(13, 4, 10, 9)), Game24Chain.allChains(List.of(4, 9, 10, 13)));
        assertEquals("Use 4 9 10 13 to make 24.", Game24Chain.prompt(List.of(4, 9, 10, 13)));
        assertEquals(Optional.of(List.of(13, 4, 10, 9)), Game24Chain.parsePrompt("Use 13 4 10 9 to make 24."));
        assertEquals(Optional.empty(), Game24Chain.parsePrompt("What is 5^10?"));
        Chain a = Game24Chain.sample(List.of(4, 9, 10, 13), new Random(3)).orElseThrow();
        Chain b = Game24Chain.sample(List.of(4, 9, 10, 13), new Random(3)).orElseThrow();
        assertEquals(a, b);
        assertTrue(Game24Chain.allChains(List.of(1, 1, 1, 1)).isEmpty());
        assertEquals(Optional.empty(), Game24Chain.sample(List.of(1, 1, 1, 1), new Random(1)));
    }

    @Test
    void samplingCoversTheSolutions() {
        List<Chain> all = Game24Chain.allChains(List.of(4, 9, 10, 13));
        Random rnd = new Random(11);
        Set<Chain> seen = new HashSet<>();
        for (int i = 0; i < 200 * all.size(); i++) {
            seen.add(Game24Chain.sample(List.of(4, 9, 10, 13), rnd).orElseThrow());
        }
        assertEquals(all.size(), seen.size());
    }

    @Test
    void expressionsUseMinimalParentheses() {
        Expr e = Expr.of(Expr.of(Expr.num(13), Op.ADD, Expr.num(3)), Op.SUB, Expr.num(8));
        assertEquals("13 + 3 - 8", e.toString());
        assertEquals("(13 + 3 - 8) * 3", Expr.of(e, Op.MUL, Expr.num(3)).toString());
        assertEquals("3 / (1 - 7 / 8)", Expr.of(Expr.num(3), Op.DIV,
                Expr.of(Expr.num(1), Op.SUB, Expr.of(Expr.num(7), Op.DIV, Expr.num(8)))).toString());
        assertEquals("8 - (3 - 1)", Expr.of(Expr.num(8), Op.SUB, Expr.of(Expr.num(3), Op.SUB, Expr.num(1))).toString());
        assertEquals("8 + 3 - 1", Expr.of(Expr.num(8), Op.ADD, Expr.of(Expr.num(3), Op.SUB, Expr.num(1))).toString());
        assertEquals("8 / (4 * 2)", Expr.of(Expr.num(8), Op.DIV, Expr.of(Expr.num(4), Op.MUL, Expr.num(2))).toString());
        assertEquals("8 * 4 / 2", Expr.of(Expr.num(8), Op.MUL, Expr.of(Expr.num(4), Op.DIV, Expr.num(2))).toString());
    }

    @Test
    void parsesLooselyWrittenStepLines() {
        Game24Step s = Game24Step.parse("4*6=24 (left: 24)").orElseThrow();
        assertEquals(new Game24Step(Fraction.of(4), Op.MUL, Fraction.of(6), Fraction.of(24), List.of(Fraction.of(24))), s);
        Game24Step q = Game24Step.parse("  1/5 / 5 = 1/25 (left: 5, 1/25 ) ").orElseThrow();
        assertEquals(Fraction.of(1, 5), q.a());
        assertEquals(Op.DIV, q.op());
        assertEquals(List.of(Fraction.of(5), Fraction.of(1, 25)), q.left());
        assertEquals(Op.SUB, Game24Step.parse("13 \u2212 9 = 4 (left: 4 4 10)").orElseThrow().op());
        assertEquals(Op.MUL, Game24Step.parse("6 \u00d7 4 = 24 (left: 24)").orElseThrow().op());
        assertEquals(Optional.empty(), Game24Step.parse("13 - 9 = 4"));
        assertEquals(Optional.empty(), Game24Step.parse("13 - 9 = 4 (left: 4 four 10)"));
        assertEquals(Optional.empty(), Game24Step.parse("Answer: (10 - 4) * (13 - 9) = 24"));
        assertEquals(Optional.empty(), Game24Step.parse(null));
    }

    @Test
    void verifierSaysWhichLineIsWrongAndWhy() {
        List<Integer> p = List.of(4, 9, 10, 13);
        assertEquals(List.of(Verdict.OK, Verdict.WRONG_RESULT), verdicts(p, "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = 7 (left: 4 7)\n"));
        assertEquals(List.of(Verdict.WRONG_LEFT), verdicts(p, "13 - 9 = 4 (left: 4 10)\n"));
        assertEquals(List.of(Verdict.MISSING_OPERAND), verdicts(p, "13 - 8 = 5 (left: 4 5 10)\n"));
        assertEquals(List.of(Verdict.DEAD_END), verdicts(p, "13 + 10 = 23 (left: 4 9 23)\n"));
        assertEquals(List.of(Verdict.NOT_A_STEP), verdicts(p, "Let me think.\n"));
        assertEquals(List.of(Verdict.WRONG_ANSWER), verdicts(p, "\\boxed{(13 - 4) * (13 - 10)}"));
        assertEquals(List.of(Verdict.OK, Verdict.AFTER_ANSWER), verdicts(p, "\\boxed{(10 - 4) * (13 - 9)}\nmore"));
        // Each line is judged against the board the previous line claims.
        assertEquals(List.of(Verdict.WRONG_RESULT, Verdict.OK),
                verdicts(p, "13 - 9 = 2 (left: 2 4 10)\n10 * 2 = 20 (left: 4 20)\n"));
        assertEquals(List.of(Verdict.OK), verdicts(List.of(1, 5, 5, 5), "1 / 5 = 1/5 (left: 5 1/5 5)\n"));
        ChainCheck ok = Game24Verifier.verify(p, "13 - 9 = 4 (left: 4 4 10)\n\n10 - 4 = 6 (left: 4 6)\n4 * 6 = 24 (left: 24)\n"
                + "\\boxed{(10 - 4) * (13 - 9)}\n");
        assertTrue(ok.allCorrect() && ok.solved());
        assertEquals(-1, ok.firstError());
        assertFalse(Game24Verifier.verify(p, "").allCorrect());
        assertFalse(Game24Verifier.verify(p, null).allCorrect());
    }

    private static List<Verdict> verdicts(List<Integer> puzzle, String text) {
        return Game24Verifier.verify(puzzle, text).lines().stream().map(ChainCheck.LineCheck::verdict).toList();
    }
}

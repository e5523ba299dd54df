package dev.ponder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.ponder.tasks.ArithmeticProblem.Language;
import dev.ponder.tasks.ArithmeticProblem.Power;
import dev.ponder.tasks.ArithmeticProblem.Product;
import dev.ponder.tasks.ChainCheck.Verdict;

class ArithmeticChainTest {

    @Test
    void powerChainMatchesTheFormat() {
        assertEquals("""
                5^2 = 25
                5^4 = 25^2 = 625
                5^8 = 625^2 = 390625
                5^10 = 5^8 * 5^2 = 390625 * 25 = 9765625
                \\boxed{9765625}""", ArithmeticChain.text(new Power(5, 10)));
        assertEquals("""
                3^2 = 9
                3^4 = 9^2 = 81
                3^6 = 3^4 * 3^2 = 81 * 9 = 729
                3^7 = 3^6 * 3 = 729 * 3 = 2187
                \\boxed{2187}""", ArithmeticChain.text(new Power(3, 7)));
        assertEquals("What is 5^10?", new Power(5, 10).prompt(Language.EN));
        assertEquals("5的十次方等于多少？", new Power(5, 10).prompt(Language.ZH));
    }

    @Test
    void productChainMatchesTheFormat() {
        assertEquals("""
                37 * 12 = 37 * 10 + 37 * 2
                37 * 10 = 370
                37 * 2 = 74
                370 + 74 = 444
                \\boxed{444}""", ArithmeticChain.text(new Product(37, 12)));
        assertEquals("37 * 30 = 1110\n\\boxed{1110}", ArithmeticChain.text(new Product(37, 30)));
        assertEquals(List.of(300L, 5L), ArithmeticChain.placeValueParts(305));
        assertEquals("What is 37 * 12?", new Product(37, 12).prompt(Language.EN));
        assertEquals("37乘以12等于多少？", new Product(37, 12).prompt(Language.ZH));
    }

    @Test
    void chineseNumerals() {
        String[] expected = {"二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
            "十五", "十六", "十七", "十八", "十九", "二十"};
        for (int n = 2; n <= 20; n++) {
            assertEquals(expected[n - 2], ChineseNumerals.of(n));
            assertEquals(Optional.of(n), ChineseNumerals.parse(expected[n - 2]));
        }
        assertEquals("九十九", ChineseNumerals.of(99));
        assertEquals(Optional.empty(), ChineseNumerals.parse("百"));
    }

    @Test
    void everyPowerChainIsRight() {
        List<Power> powers = TaskDatasets.allPowers();
        assertTrue(powers.size() > 150);
        for (Power p : powers) {
            assertTrue(p.answer().compareTo(BigInteger.TEN.pow(10)) <= 0);
            checkIndependently(p);
            for (Language lang : Language.values()) {
                assertEquals(Optional.of(p), ArithmeticProblem.parsePrompt(p.prompt(lang)));
            }
        }
        assertTrue(powers.contains(new Power(2, 20)) && powers.contains(new Power(20, 7)));
        assertFalse(powers.contains(new Power(20, 8)));
    }

    @Test
    void randomProductChainsAreRight() {
        TaskDatasets data = new TaskDatasets(1);
        Random rnd = new Random(5);
        for (int i = 0; i < 3000; i++) {
            Product p = data.randomProduct(TaskDatasets.Split.TRAIN, rnd);
            checkIndependently(p);
            assertEquals(Optional.of(p), ArithmeticProblem.parsePrompt(p.prompt(Language.ZH)));
        }
    }

    @Test
    void verifierFlagsWrongLines() {
        Power p = new Power(5, 10);
        assertEquals(List.of(Verdict.OK, Verdict.WRONG_RESULT),
                verdicts(p, "5^2 = 25\n5^4 = 25^2 = 615\n"));
        assertEquals(List.of(Verdict.WRONG_ANSWER), verdicts(p, "\\boxed{9765624}"));
        assertEquals(List.of(Verdict.NOT_A_STEP), verdicts(p, "five squared is 25\n"));
        assertEquals(List.of(Verdict.OK, Verdict.AFTER_ANSWER), verdicts(p, "\\boxed{9765625}\n5^2 = 25"));
        assertEquals(List.of(Verdict.NOT_A_STEP), verdicts(p, "9^99999 = 1\n"));
        assertTrue(ArithmeticVerifier.verify(p, ArithmeticChain.text(p)).solved());
    }

    private static List<Verdict> verdicts(ArithmeticProblem p, String text) {
        return ArithmeticVerifier.verify(p, text).lines().stream().map(ChainCheck.LineCheck::verdict).toList();
    }

    /** Checks a chain with a separate evaluator for its unparenthesized equalities, then with the verifier. */
    static void checkIndependently(ArithmeticProblem p) {
        List<String> lines = ArithmeticChain.lines(p);
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] sides = line.split(" = ");
            assertTrue(sides.length >= 2, line);
            BigInteger first = evaluate(sides[0]);
            for (String side : sides) {
                assertEquals(first, evaluate(side), line);
            }
        }
        assertEquals("\\boxed{" + p.answer() + "}", lines.get(lines.size() - 1));
        assertTrue(ArithmeticVerifier.verify(p, String.join("\n", lines)).allCorrect());
    }

    // Sums of products of powers, written with single spaces: "37 * 10 + 37 * 2", "5^8 * 5^2".
    static BigInteger evaluate(String side) {
        BigInteger sum = BigInteger.ZERO;
        for (String term : side.split(" \\+ ")) {
            BigInteger product = BigInteger.ONE;
            for (String factor : term.split(" \\* ")) {
                String[] pw = factor.split("\\^");
                BigInteger v = new BigInteger(pw[0]);
                product = product.multiply(pw.length == 2 ? v.pow(Integer.parseInt(pw[1])) : v);
            }
            sum = sum.add(product);
        }
        return sum;
    }
}

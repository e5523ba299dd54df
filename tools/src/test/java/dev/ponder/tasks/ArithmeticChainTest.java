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
                863 * 582 = 863 * 500 + 863 * 80 + 863 * 2
                863 * 500: 3*5=15 5, 6*5+1=31 15, 8*5+3=43 4315, 431500
                863 * 80: 3*8=24 4, 6*8+2=50 04, 8*8+5=69 6904, 69040
                863 * 2: 3*2=6 6, 6*2=12 26, 8*2+1=17 1726
                431500 + 69040 + 1726: 0+0+6=6 6, 0+4+2=6 66, 5+0+7=12 266, 1+9+1+1=12 2266, 3+6+0+1=10 02266, \
                4+0+0+1=5 502266
                \\boxed{502266}""", ArithmeticChain.text(new Product(863, 582)));
        // the factor with fewer non-zero digits multiplies, whichever side it was asked on
        assertEquals("37 * 30: 7*3=21 1, 3*3+2=11 111, 1110\n\\boxed{1110}", ArithmeticChain.text(new Product(30, 37)));
        assertEquals("""
                1005 * 12 = 1005 * 10 + 1005 * 2
                1005 * 10: 5*1=5 5, 0*1=0 05, 0*1=0 005, 1*1=1 1005, 10050
                1005 * 2: 5*2=10 0, 0*2+1=1 10, 0*2=0 010, 1*2=2 2010
                10050 + 2010: 0+0=0 0, 5+1=6 60, 0+0=0 060, 0+2=2 2060, 1+0=1 12060
                \\boxed{12060}""", ArithmeticChain.text(new Product(12, 1005)));
        assertEquals(List.of(300L, 5L), ArithmeticChain.placeValueParts(305));
        assertEquals("What is 37 * 12?", new Product(37, 12).prompt(Language.EN));
        assertEquals("37乘以12等于多少？", new Product(37, 12).prompt(Language.ZH));
    }

    @Test
    void longLinesAreJudgedByTheirHeader() {
        Product p = new Product(863, 582);
        assertEquals(List.of(Verdict.OK, Verdict.WRONG_RESULT), verdicts(p,
                "863 * 2: 3*2=6 6, 6*2=12 26, 8*2+1=17 1726\n863 * 80: 3*8=24 4, 6*8+2=50 04, 8*8+5=69 6904, 68040\n"));
        assertEquals(List.of(Verdict.WRONG_RESULT), verdicts(p, "863 * 2: 3*2=6 6, 6*2=12 26, 8*2=16 1626\n"));
        assertEquals(List.of(Verdict.WRONG_RESULT), verdicts(p, "1726 + 69040: 6+0=6 6, 2+4=6 66, 7+0=7 766\n"));
        assertEquals(List.of(Verdict.NOT_A_STEP), verdicts(p, "863 * 82: 3*8=24 4\n"));
        assertEquals(List.of(Verdict.OK), verdicts(p, LongArithmetic.addLine(List.of(BigInteger.valueOf(1726), BigInteger.valueOf(69040))) + "\n"));
        assertEquals(Optional.of(BigInteger.valueOf(1726)), LongArithmetic.result("863 * 2: 3*2=6 6, 6*2=12 26, 8*2+1=17 1726"));
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

    /** Checks a chain with a separate evaluator for its unparenthesized equalities and long lines, then with the verifier. */
    static void checkIndependently(ArithmeticProblem p) {
        List<String> lines = ArithmeticChain.lines(p);
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(lineHolds(line), line);
        }
        assertEquals("\\boxed{" + p.answer() + "}", lines.get(lines.size() - 1));
        assertTrue(ArithmeticVerifier.verify(p, String.join("\n", lines)).allCorrect());
    }

    /** An equation whose sides agree, or a long line whose every item is a right one-digit fact. */
    static boolean lineHolds(String line) {
        try {
            return holds(line);
        } catch (RuntimeException e) {
            return false; // a corrupted line that does not even parse
        }
    }

    private static boolean holds(String line) {
        int colon = line.indexOf(": ");
        if (colon < 0) {
            String[] sides = line.split(" = ");
            if (sides.length < 2) {
                return false;
            }
            for (String side : sides) {
                if (!evaluate(side).equals(evaluate(sides[0]))) {
                    return false;
                }
            }
            return true;
        }
        String head = line.substring(0, colon);
        List<String> items = List.of(line.substring(colon + 2).split(", "));
        boolean product = head.contains(" * ");
        List<String> operands = List.of(head.split(product ? " \\* " : " \\+ "));
        // the digits each item must read: one column of every operand, or one digit of the multiplicand and the multiplier
        String a = operands.get(0);
        int columns = product ? a.length() : operands.stream().mapToInt(String::length).max().orElseThrow();
        String zeros = product ? operands.get(1).substring(1) : "";
        if (items.size() != columns + (zeros.isEmpty() ? 0 : 1)) {
            return false;
        }
        String suffix = "";
        int carry = 0;
        for (int col = 0; col < columns; col++) {
            String[] item = items.get(col).split("[= ]");
            String[] terms = item[0].split("\\+");
            int value = 0;
            int expectedTerms = (product ? 1 : operands.size()) + (carry > 0 ? 1 : 0);
            if (terms.length != expectedTerms) {
                return false;
            }
            for (int t = 0; t < terms.length; t++) {
                int digit;
                if (product && t == 0) {
                    String[] f = terms[0].split("\\*");
                    digit = Integer.parseInt(f[0]) * Integer.parseInt(f[1]);
                    if (Integer.parseInt(f[0]) != a.charAt(a.length() - 1 - col) - '0'
                            || Integer.parseInt(f[1]) != operands.get(1).charAt(0) - '0') {
                        return false;
                    }
                } else if (t < terms.length - (carry > 0 ? 1 : 0)) {
                    String n = operands.get(t);
                    digit = Integer.parseInt(terms[t]);
                    if (digit != (col < n.length() ? n.charAt(n.length() - 1 - col) - '0' : 0)) {
                        return false;
                    }
                } else {
                    digit = Integer.parseInt(terms[t]);
                    if (digit != carry) {
                        return false;
                    }
                }
                value += digit;
            }
            suffix = (col == columns - 1 ? Integer.toString(value) : Integer.toString(value % 10)) + suffix;
            if (Integer.parseInt(item[1]) != value || !item[2].equals(suffix)) {
                return false;
            }
            carry = value / 10;
        }
        if (!zeros.isEmpty() && !items.get(columns).equals(suffix + zeros)) {
            return false;
        }
        BigInteger expected = product ? new BigInteger(a).multiply(new BigInteger(operands.get(1)))
                : operands.stream().map(BigInteger::new).reduce(BigInteger.ZERO, BigInteger::add);
        return new BigInteger(items.get(items.size() - 1).substring(items.get(items.size() - 1).lastIndexOf(' ') + 1)).equals(expected);
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

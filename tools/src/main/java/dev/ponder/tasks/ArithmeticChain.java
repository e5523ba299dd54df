package dev.ponder.tasks;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Step-by-step chains for {@link ArithmeticProblem}s; every line is a chain of equalities.
 *
 * <p>Powers by repeated squaring, then multiplying the squares of the exponent's binary digits together,
 * highest first:
 * <pre>
 * 5^2 = 25
 * 5^4 = 25^2 = 625
 * 5^8 = 625^2 = 390625
 * 5^10 = 5^8 * 5^2 = 390625 * 25 = 9765625
 * \boxed{9765625}
 * </pre>
 * Products by splitting the multiplier by place value (its non-zero digits), each partial product by school long
 * multiplication and their sum by column addition, one digit at a time ({@link LongArithmetic}):
 * <pre>
 * 863 * 582 = 863 * 500 + 863 * 80 + 863 * 2
 * 863 * 500: 3*5=15 5, 6*5+1=31 15, 8*5+3=43 4315, 431500
 * 863 * 80: 3*8=24 4, 6*8+2=50 04, 8*8+5=69 6904, 69040
 * 863 * 2: 3*2=6 6, 6*2=12 26, 8*2+1=17 1726
 * 431500 + 69040 + 1726: 0+0+6=6 6, 0+4+2=6 66, 5+0+7=12 266, 1+9+1+1=12 2266, 3+6+0+1=10 02266, 4+0+0+1=5 502266
 * \boxed{502266}
 * </pre>
 * The multiplier is the factor with fewer non-zero digits (then fewer digits; else the second, as asked).
 */
public final class ArithmeticChain {

    private ArithmeticChain() {
    }

    /** The chain's lines, the last one {@code \boxed{answer}}. */
    public static List<String> lines(ArithmeticProblem problem) {
        List<String> out = problem instanceof ArithmeticProblem.Power p ? power(p) : product((ArithmeticProblem.Product) problem);
        out.add(answerLine(problem.answer()));
        return out;
    }

    /** The assistant text: lines joined by newlines, no trailing newline. */
    public static String text(ArithmeticProblem problem) {
        return String.join("\n", lines(problem));
    }

    public static String answerLine(BigInteger answer) {
        return "\\boxed{" + answer + "}";
    }

    private static List<String> power(ArithmeticProblem.Power p) {
        List<String> out = new ArrayList<>();
        int b = p.base();
        // Repeated squaring: b^2, b^4, ... up to the highest power of two not above the exponent.
        List<BigInteger> squares = new ArrayList<>();
        squares.add(BigInteger.valueOf(b));
        for (int k = 2; k <= p.exponent(); k *= 2) {
            BigInteger prev = squares.get(squares.size() - 1);
            BigInteger next = prev.multiply(prev);
            out.add(k == 2 ? b + "^2 = " + next : b + "^" + k + " = " + prev + "^2 = " + next);
            squares.add(next);
        }
        // Multiply in the remaining binary digits of the exponent, highest first.
        int top = squares.size() - 1;
        int exp = 1 << top;
        BigInteger acc = squares.get(top);
        for (int bit = top - 1; bit >= 0; bit--) {
            int k = 1 << bit;
            if ((p.exponent() & k) == 0) {
                continue;
            }
            BigInteger factor = squares.get(bit);
            BigInteger next = acc.multiply(factor);
            out.add(b + "^" + (exp + k) + " = " + b + "^" + exp + " * " + powerName(b, k)
                    + " = " + acc + " * " + factor + " = " + next);
            exp += k;
            acc = next;
        }
        return out;
    }

    private static String powerName(int base, int k) {
        return k == 1 ? Integer.toString(base) : base + "^" + k;
    }

    private static List<String> product(ArithmeticProblem.Product p) {
        List<String> out = new ArrayList<>();
        boolean swap = multiplierFirst(p.left(), p.right());
        BigInteger a = BigInteger.valueOf(swap ? p.right() : p.left());
        long b = swap ? p.left() : p.right();
        List<Long> parts = placeValueParts(b);
        if (parts.size() > 1) {
            // Split the multiplier by place value, multiply by each part, then add the partial products in columns.
            StringBuilder split = new StringBuilder(a + " * " + b + " = ");
            for (int i = 0; i < parts.size(); i++) {
                split.append(i == 0 ? "" : " + ").append(a).append(" * ").append(parts.get(i));
            }
            out.add(split.toString());
        }
        List<BigInteger> partials = new ArrayList<>();
        for (long part : parts) {
            out.add(LongArithmetic.multiplyLine(a, BigInteger.valueOf(part)));
            partials.add(a.multiply(BigInteger.valueOf(part)));
        }
        if (partials.size() > 1) {
            out.add(LongArithmetic.addLine(partials));
        }
        return out;
    }

    /**
     * Whether the left factor is the better multiplier (the one split into place-value parts): fewer non-zero digits
     * means fewer partial products, then fewer digits; on a tie the right factor multiplies, as written.
     */
    static boolean multiplierFirst(long left, long right) {
        int l = placeValueParts(left).size();
        int r = placeValueParts(right).size();
        if (l != r) {
            return l < r;
        }
        return Long.toString(left).length() < Long.toString(right).length();
    }

    /** The non-zero place-value parts of n, largest first: 305 gives [300, 5]; 0 gives []. */
    static List<Long> placeValueParts(long n) {
        List<Long> parts = new ArrayList<>();
        long place = 1;
        while (n > 0) {
            long digit = n % 10;
            if (digit != 0) {
                parts.add(0, digit * place);
            }
            n /= 10;
            place *= 10;
        }
        return parts;
    }
}

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
 * Products by splitting the second factor by place value (its non-zero digits):
 * <pre>
 * 37 * 12 = 37 * 10 + 37 * 2
 * 37 * 10 = 370
 * 37 * 2 = 74
 * 370 + 74 = 444
 * \boxed{444}
 * </pre>
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
        long a = p.left();
        List<Long> parts = placeValueParts(p.right());
        if (parts.size() <= 1) {
            out.add(a + " * " + p.right() + " = " + BigInteger.valueOf(a).multiply(BigInteger.valueOf(p.right())));
            return out;
        }
        // Split, multiply each part, then add the partial products left to right.
        StringBuilder split = new StringBuilder(a + " * " + p.right() + " = ");
        for (int i = 0; i < parts.size(); i++) {
            split.append(i == 0 ? "" : " + ").append(a).append(" * ").append(parts.get(i));
        }
        out.add(split.toString());
        List<BigInteger> partials = new ArrayList<>();
        for (long part : parts) {
            BigInteger v = BigInteger.valueOf(a).multiply(BigInteger.valueOf(part));
            out.add(a + " * " + part + " = " + v);
            partials.add(v);
        }
        BigInteger sum = partials.get(0);
        for (int i = 1; i < partials.size(); i++) {
            BigInteger next = sum.add(partials.get(i));
            out.add(sum + " + " + partials.get(i) + " = " + next);
            sum = next;
        }
        return out;
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

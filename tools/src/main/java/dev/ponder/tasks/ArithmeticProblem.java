package dev.ponder.tasks;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An integer power or product question, asked in English or Chinese. */
public sealed interface ArithmeticProblem {

    /** Prompt language. */
    enum Language { EN, ZH }

    /** The exact answer. */
    BigInteger answer();

    /** The user prompt. */
    String prompt(Language language);

    /** Identity for splits: order-free for products, so 37 * 12 and 12 * 37 land in the same split. */
    String key();

    /** {@code base^exponent}, e.g. "What is 5^10?" / "5的十次方等于多少？". */
    record Power(int base, int exponent) implements ArithmeticProblem {
        public Power {
            if (base < 2 || exponent < 2 || exponent > 99) {
                throw new IllegalArgumentException("base >= 2, 2 <= exponent <= 99: " + base + "^" + exponent);
            }
        }

        @Override
        public BigInteger answer() {
            return BigInteger.valueOf(base).pow(exponent);
        }

        @Override
        public String prompt(Language language) {
            return language == Language.EN
                    ? "What is " + base + "^" + exponent + "?"
                    : base + "的" + ChineseNumerals.of(exponent) + "次方等于多少？";
        }

        @Override
        public String key() {
            return "pow " + base + " " + exponent;
        }
    }

    /** {@code left * right}, e.g. "What is 37 * 12?" / "37乘以12等于多少？". */
    record Product(long left, long right) implements ArithmeticProblem {
        public Product {
            if (left < 0 || right < 0) {
                throw new IllegalArgumentException("non-negative factors only: " + left + " * " + right);
            }
        }

        @Override
        public BigInteger answer() {
            return BigInteger.valueOf(left).multiply(BigInteger.valueOf(right));
        }

        @Override
        public String prompt(Language language) {
            return language == Language.EN
                    ? "What is " + left + " * " + right + "?"
                    : left + "乘以" + right + "等于多少？";
        }

        @Override
        public String key() {
            return "mul " + Math.min(left, right) + " " + Math.max(left, right);
        }
    }

    Pattern EN_POWER = Pattern.compile("What is (\\d{1,6})\\^(\\d{1,2})\\?");
    Pattern ZH_POWER = Pattern.compile("(\\d{1,6})的([一二三四五六七八九十]{1,3})次方等于多少？");
    Pattern EN_PRODUCT = Pattern.compile("What is (\\d{1,12}) \\* (\\d{1,12})\\?");
    Pattern ZH_PRODUCT = Pattern.compile("(\\d{1,12})乘以(\\d{1,12})等于多少？");

    /** The problem a prompt written by {@link #prompt} asks; empty for any other text. */
    static Optional<ArithmeticProblem> parsePrompt(String user) {
        if (user == null || user.length() > 100) {
            return Optional.empty();
        }
        String u = user.strip();
        try {
            Matcher m;
            if ((m = EN_POWER.matcher(u)).matches()) {
                return Optional.of(new Power(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            }
            if ((m = ZH_POWER.matcher(u)).matches()) {
                int base = Integer.parseInt(m.group(1));
                return ChineseNumerals.parse(m.group(2)).map(e -> new Power(base, e));
            }
            if ((m = EN_PRODUCT.matcher(u)).matches() || (m = ZH_PRODUCT.matcher(u)).matches()) {
                return Optional.of(new Product(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            }
        } catch (IllegalArgumentException e) {
            // out of range numbers: not a prompt we ask
        }
        return Optional.empty();
    }
}

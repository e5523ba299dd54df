package dev.ponder.tasks;

import java.util.Optional;

/** Chinese numerals for 1..99 (二, 十, 十一, 二十, 二十三 ...), as used for exponents in the Chinese prompts. */
public final class ChineseNumerals {

    private static final String DIGITS = "零一二三四五六七八九";

    private ChineseNumerals() {
    }

    /** 1..99 in Chinese numerals: 10 is 十, 11 is 十一, 20 is 二十, 23 is 二十三. */
    public static String of(int n) {
        if (n < 1 || n > 99) {
            throw new IllegalArgumentException("only 1..99: " + n);
        }
        int tens = n / 10;
        int ones = n % 10;
        StringBuilder sb = new StringBuilder();
        if (tens > 1) {
            sb.append(DIGITS.charAt(tens));
        }
        if (tens > 0) {
            sb.append('十');
        }
        if (ones > 0) {
            sb.append(DIGITS.charAt(ones));
        }
        return sb.toString();
    }

    /** Inverse of {@link #of}; empty for anything else. */
    public static Optional<Integer> parse(String text) {
        for (int n = 1; n <= 99; n++) {
            if (of(n).equals(text)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}

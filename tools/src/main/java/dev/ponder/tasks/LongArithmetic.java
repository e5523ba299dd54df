package dev.ponder.tasks;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * School long multiplication and column addition written one digit at a time, so that every item of a line is a
 * one-digit fact a small model can get right: a digit times a digit plus a carry, or a column of digits plus a carry.
 *
 * <p>An item is {@code fact=value suffix}: the suffix is the result's digits found so far, the value's last digit
 * written in front of the previous suffix (the last item writes its whole value). So the result grows right to left
 * inside the line and is never read back in reverse, and each item's carry is the previous value without its last
 * digit. A multiplier with trailing zeros appends them as a last item.
 * <pre>
 * 863 * 500: 3*5=15 5, 6*5+1=31 15, 8*5+3=43 4315, 431500
 * 431500 + 69040 + 1726: 0+0+6=6 6, 0+4+2=6 66, 5+0+7=12 266, 1+9+1+1=12 2266, 3+6+0+1=10 02266, 4+0+0+1=5 502266
 * </pre>
 * In a column, an operand that has run out of digits gives 0; a carry of 0 is not written.
 */
public final class LongArithmetic {

    private static final Pattern MULTIPLY = Pattern.compile("(\\d+) \\* (\\d+): (.+)");
    private static final Pattern ADD = Pattern.compile("(\\d+(?: \\+ \\d+)+): (.+)");

    private LongArithmetic() {
    }

    /** {@code a} times {@code part}, where part is one non-zero digit followed by zeros (5, 80, 300). */
    public static String multiplyLine(BigInteger a, BigInteger part) {
        String p = part.toString();
        if (part.signum() <= 0 || !p.substring(1).chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("a multiplier part is one non-zero digit and zeros: " + part);
        }
        int d = p.charAt(0) - '0';
        String digits = a.toString();
        List<String> items = new ArrayList<>();
        String suffix = "";
        int carry = 0;
        for (int k = digits.length() - 1; k >= 0; k--) {
            int x = digits.charAt(k) - '0';
            int value = x * d + carry;
            suffix = (k == 0 ? Integer.toString(value) : Integer.toString(value % 10)) + suffix;
            items.add(x + "*" + d + (carry > 0 ? "+" + carry : "") + "=" + value + " " + suffix);
            carry = value / 10;
        }
        if (p.length() > 1) {
            items.add(suffix + p.substring(1));
        }
        return a + " * " + part + ": " + String.join(", ", items);
    }

    /** The column sum of two or more numbers, largest first as a chain writes them. */
    public static String addLine(List<BigInteger> operands) {
        if (operands.size() < 2) {
            throw new IllegalArgumentException("a sum of at least two numbers: " + operands);
        }
        List<String> numbers = operands.stream().map(BigInteger::toString).toList();
        int width = numbers.stream().mapToInt(String::length).max().orElseThrow();
        List<String> items = new ArrayList<>();
        String suffix = "";
        int carry = 0;
        for (int col = 0; col < width; col++) {
            StringBuilder fact = new StringBuilder();
            int value = carry;
            for (String n : numbers) {
                int digit = col < n.length() ? n.charAt(n.length() - 1 - col) - '0' : 0;
                fact.append(fact.isEmpty() ? "" : "+").append(digit);
                value += digit;
            }
            if (carry > 0) {
                fact.append('+').append(carry);
            }
            suffix = (col == width - 1 ? Integer.toString(value) : Integer.toString(value % 10)) + suffix;
            items.add(fact + "=" + value + " " + suffix);
            carry = value / 10;
        }
        return String.join(" + ", numbers) + ": " + String.join(", ", items);
    }

    /** The number a long line ends with (its result), if the text is a long line. */
    public static Optional<BigInteger> result(String line) {
        if (!isLongLine(line)) {
            return Optional.empty();
        }
        String last = line.substring(line.lastIndexOf(' ') + 1);
        return last.matches("\\d+") ? Optional.of(new BigInteger(last)) : Optional.empty();
    }

    /** Whether the line has the form of a long multiplication or column addition (whatever its digits). */
    public static boolean isLongLine(String line) {
        return MULTIPLY.matcher(line).matches() || ADD.matcher(line).matches();
    }

    /**
     * The line as it should be written for its own header (the numbers before the colon), or empty when the header
     * is not one a long line can have; a line is right exactly when it equals this.
     */
    public static Optional<String> canonical(String line) {
        try {
            Matcher m = MULTIPLY.matcher(line);
            if (m.matches()) {
                BigInteger part = new BigInteger(m.group(2));
                String p = m.group(2);
                if (m.group(1).length() > 12 || p.length() > 12 || p.charAt(0) == '0'
                        || !p.substring(1).chars().allMatch(c -> c == '0')) {
                    return Optional.empty();
                }
                return Optional.of(multiplyLine(new BigInteger(m.group(1)), part));
            }
            m = ADD.matcher(line);
            if (m.matches()) {
                List<BigInteger> operands = new ArrayList<>();
                for (String n : m.group(1).split(" \\+ ")) {
                    if (n.length() > 12) {
                        return Optional.empty();
                    }
                    operands.add(new BigInteger(n));
                }
                return Optional.of(addLine(operands));
            }
        } catch (IllegalArgumentException e) {
            // not a header a long line can have
        }
        return Optional.empty();
    }
}

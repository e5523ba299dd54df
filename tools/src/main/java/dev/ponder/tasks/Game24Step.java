package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One Tree-of-Thoughts step line, {@code a op b = result (left: l1 l2 ...)}, e.g.
 * {@code 13 - 9 = 4 (left: 4 4 10)} or {@code 1 / 5 = 1/5 (left: 1/5 5 5)}.
 * A parsed step holds what the line claims; it is not necessarily correct.
 */
public record Game24Step(Fraction a, Op op, Fraction b, Fraction result, List<Fraction> left) {

    private static final String NUM = "-?\\d{1,18}(?:/\\d{1,18})?";
    private static final Pattern LINE = Pattern.compile(
            "\\s*(" + NUM + ")\\s*([-+*/\u00d7\u00f7\u2212\u00b7x])\\s*(" + NUM + ")\\s*=\\s*(" + NUM + ")"
                    + "\\s*\\(\\s*left\\s*:\\s*([^()]*)\\)\\s*");

    public Game24Step {
        left = List.copyOf(left);
    }

    /** The step line, left list sorted ascending. */
    @Override
    public String toString() {
        return a + " " + op.symbol + " " + b + " = " + result + " (left: "
                + Game24.sorted(left).stream().map(Fraction::toString).collect(Collectors.joining(" ")) + ")";
    }

    /** Parses a step line as written (claims kept as they are); empty when the line is not in step format. */
    public static Optional<Game24Step> parse(String line) {
        if (line == null || line.length() > 500) {
            return Optional.empty();
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Fraction> a = Fraction.parse(m.group(1));
        Optional<Op> op = Op.ofSymbol(m.group(2).charAt(0));
        Optional<Fraction> b = Fraction.parse(m.group(3));
        Optional<Fraction> r = Fraction.parse(m.group(4));
        if (a.isEmpty() || op.isEmpty() || b.isEmpty() || r.isEmpty()) {
            return Optional.empty();
        }
        List<Fraction> left = new ArrayList<>();
        String list = m.group(5).trim();
        if (!list.isEmpty()) {
            for (String tok : list.split("[\\s,]+")) {
                Optional<Fraction> f = Fraction.parse(tok);
                if (f.isEmpty()) {
                    return Optional.empty();
                }
                left.add(f.get());
            }
        }
        return Optional.of(new Game24Step(a.get(), op.get(), b.get(), r.get(), left));
    }
}

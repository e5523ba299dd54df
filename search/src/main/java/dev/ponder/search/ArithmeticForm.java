package dev.ponder.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A normal form for answers that are arithmetic expressions over numbers, so that votes count the same expression
 * written in another order as one answer: {@code (13 - 9) * (10 - 4)}, {@code (10-4)*(13-9)} and
 * {@code (-4 + 10) * (13 - 9)} all read {@code *(+(10,-4),+(13,-9))}, and {@code 6 / (2 / 8)} reads as
 * {@code 8 * 6 / 2}. Sums and differences flatten into one signed list of terms, products and quotients into one list
 * of factors over one of divisors; each list is sorted.
 * Only the laws that hold for every value are used (commutativity, associativity, {@code a - (b - c) = a - b + c},
 * {@code a / (b / c) = a * c / b}); nothing is evaluated and nothing is distributed, so different solutions stay
 * different. Text that is not such an expression has no form, and is compared as {@link Answers#normalize} leaves it.
 */
final class ArithmeticForm {

    private static final int MAX_LENGTH = 200;

    private final String text;
    private int at;

    private ArithmeticForm(String text) {
        this.text = text;
    }

    /** The normal form of {@code answer}, or empty when it is not an arithmetic expression over numbers. */
    static Optional<String> of(String answer) {
        if (answer == null || answer.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String t = answer.replace("\\times", "*").replace("\\cdot", "*").replace("\\div", "/")
                .replace('×', '*').replace('·', '*').replace('÷', '/').replace('−', '-')
                .replaceAll("\\s+", "");
        if (t.isEmpty() || !t.matches("[0-9.+\\-*/()]+") || !t.matches(".*[+\\-*/].*")) {
            return Optional.empty();
        }
        ArithmeticForm p = new ArithmeticForm(t);
        try {
            Node n = p.sum();
            return p.at == t.length() ? Optional.of(n.form()) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A parsed expression: a number, or a group (a signed sum of terms, a product of factors over divisors). */
    private sealed interface Node permits Num, Group {
        String form();
    }

    private record Num(String digits) implements Node {
        public String form() {
            return digits;
        }
    }

    /**
     * Operands of {@code op} ({@code +} or {@code *}) taken as they are ({@code direct}) or inverted ({@code inverse}:
     * subtracted, or divided by), each list sorted in the form.
     */
    private record Group(char op, char inverseOp, List<Node> direct, List<Node> inverse) implements Node {
        public String form() {
            List<String> parts = new ArrayList<>();
            direct.stream().map(Node::form).sorted().forEach(parts::add);
            inverse.stream().map(n -> inverseOp + n.form()).sorted().forEach(parts::add);
            return op + "(" + String.join(",", parts) + ")";
        }
    }

    // sum := product (('+' | '-') product)*
    private Node sum() {
        return group('+', '-', this::product);
    }

    // product := unary (('*' | '/') unary)*
    private Node product() {
        return group('*', '/', this::unary);
    }

    /** One precedence level: operands joined by {@code op} or {@code inverseOp}, flattened into one group. */
    private Node group(char op, char inverseOp, Supplier<Node> operand) {
        List<Node> direct = new ArrayList<>();
        List<Node> inverse = new ArrayList<>();
        add(operand.get(), true, op, direct, inverse);
        while (at < text.length() && (text.charAt(at) == op || text.charAt(at) == inverseOp)) {
            boolean asIs = text.charAt(at++) == op;
            add(operand.get(), asIs, op, direct, inverse);
        }
        return direct.size() == 1 && inverse.isEmpty() ? direct.get(0) : new Group(op, inverseOp, direct, inverse);
    }

    /** Adds an operand; a group of the same operation is flattened into this one, inverted when the operand is. */
    private static void add(Node operand, boolean asIs, char op, List<Node> direct, List<Node> inverse) {
        if (operand instanceof Group g && g.op() == op) {
            (asIs ? direct : inverse).addAll(g.direct());
            (asIs ? inverse : direct).addAll(g.inverse());
        } else {
            (asIs ? direct : inverse).add(operand);
        }
    }

    // unary := '-' unary | '(' sum ')' | number
    private Node unary() {
        if (at >= text.length()) {
            throw new IllegalArgumentException("expression ends early");
        }
        char c = text.charAt(at);
        if (c == '-') {
            at++;
            return new Group('+', '-', List.of(), List.of(unary()));
        }
        if (c == '(') {
            at++;
            Node inner = sum();
            if (at >= text.length() || text.charAt(at) != ')') {
                throw new IllegalArgumentException("unclosed parenthesis");
            }
            at++;
            return inner;
        }
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            at++;
        }
        String digits = text.substring(start, at);
        if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0' && digits.charAt(1) != '.')) {
            // nothing, or a leading zero (a date, a code): not a number to compute with
            throw new IllegalArgumentException("number expected at " + start);
        }
        return new Num(digits);
    }
}

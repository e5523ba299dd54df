package dev.ponder.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A normal form for answers that are arithmetic expressions over numbers, so that votes count the same expression
 * written in another order as one answer: {@code (13 - 9) * (10 - 4)}, {@code (10-4)*(13-9)} and
 * {@code (-4 + 10) * (13 - 9)} all read {@code *(+(10,-4),+(13,-9))}, and {@code 6 / (2 / 8)} reads as {@code 8 * 6 / 2}. Sums and differences flatten into one
 * signed list of terms, products and quotients into one list of factors over one of divisors; each list is sorted.
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

    /** A parsed expression: a number, a signed sum of terms, or a product of factors over divisors. */
    private sealed interface Node permits Num, Sum, Product {
        String form();
    }

    private record Num(String digits) implements Node {
        public String form() {
            return digits;
        }
    }

    /** Terms added ({@code plus}) and subtracted ({@code minus}). */
    private record Sum(List<Node> plus, List<Node> minus) implements Node {
        public String form() {
            List<String> parts = new ArrayList<>();
            plus.stream().map(Node::form).sorted().forEach(parts::add);
            minus.stream().map(n -> "-" + n.form()).sorted().forEach(parts::add);
            return "+(" + String.join(",", parts) + ")";
        }
    }

    /** Factors multiplied ({@code times}) and divided by ({@code over}). */
    private record Product(List<Node> times, List<Node> over) implements Node {
        public String form() {
            List<String> parts = new ArrayList<>();
            times.stream().map(Node::form).sorted().forEach(parts::add);
            over.stream().map(n -> "/" + n.form()).sorted().forEach(parts::add);
            return "*(" + String.join(",", parts) + ")";
        }
    }

    // sum := product (('+' | '-') product)*
    private Node sum() {
        List<Node> plus = new ArrayList<>();
        List<Node> minus = new ArrayList<>();
        addTerm(product(), true, plus, minus);
        while (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
            boolean add = text.charAt(at++) == '+';
            addTerm(product(), add, plus, minus);
        }
        return plus.size() + minus.size() == 1 && minus.isEmpty() ? plus.get(0) : new Sum(plus, minus);
    }

    /** Adds a term; a sum is flattened into this one, its signs flipped when it is subtracted. */
    private static void addTerm(Node term, boolean add, List<Node> plus, List<Node> minus) {
        if (term instanceof Sum s) {
            (add ? plus : minus).addAll(s.plus());
            (add ? minus : plus).addAll(s.minus());
        } else {
            (add ? plus : minus).add(term);
        }
    }

    // product := unary (('*' | '/') unary)*
    private Node product() {
        List<Node> times = new ArrayList<>();
        List<Node> over = new ArrayList<>();
        addFactor(unary(), true, times, over);
        while (at < text.length() && (text.charAt(at) == '*' || text.charAt(at) == '/')) {
            boolean multiply = text.charAt(at++) == '*';
            addFactor(unary(), multiply, times, over);
        }
        return times.size() == 1 && over.isEmpty() ? times.get(0) : new Product(times, over);
    }

    private static void addFactor(Node factor, boolean multiply, List<Node> times, List<Node> over) {
        if (factor instanceof Product p) {
            (multiply ? times : over).addAll(p.times());
            (multiply ? over : times).addAll(p.over());
        } else {
            (multiply ? times : over).add(factor);
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
            return new Sum(List.of(), List.of(unary()));
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

package dev.ponder.tasks;

/**
 * Recursive-descent parser for infix arithmetic over non-negative integer literals:
 * {@code + - * /} (also {@code × · ÷} and the Unicode minus), parentheses, unary minus.
 * Errors are reported as {@link ParseError} with the 1-based column; the input length and
 * nesting depth are bounded so garbage cannot exhaust the stack.
 */
public final class ExpressionParser {

    /** Inputs longer than this are rejected outright. */
    public static final int MAX_LENGTH = 1_000;
    private static final int MAX_DEPTH = 64;

    /** A syntax error: {@code message} already reads "parse error at column N: ...". */
    public static final class ParseError extends RuntimeException {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int pos;
    private int depth;

    private ExpressionParser(String text) {
        this.text = text;
    }

    /** Parses the whole text as one expression. */
    public static Expr parse(String text) {
        if (text == null) {
            throw new ParseError("parse error at column 1: no expression");
        }
        if (text.length() > MAX_LENGTH) {
            throw new ParseError("parse error at column 1: expression longer than " + MAX_LENGTH + " characters");
        }
        ExpressionParser p = new ExpressionParser(text);
        Expr e = p.expression();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return e;
    }

    // expression := term (('+' | '-') term)*
    private Expr expression() {
        enter();
        Expr left = term();
        while (true) {
            Op op = peekOp();
            if (op != Op.ADD && op != Op.SUB) {
                break;
            }
            pos++;
            left = new Expr.Bin(op, left, term());
        }
        depth--;
        return left;
    }

    // term := unary (('*' | '/') unary)*
    private Expr term() {
        Expr left = unary();
        while (true) {
            Op op = peekOp();
            if (op != Op.MUL && op != Op.DIV) {
                break;
            }
            pos++;
            left = new Expr.Bin(op, left, unary());
        }
        return left;
    }

    // unary := '-' unary | primary
    private Expr unary() {
        if (peekOp() == Op.SUB) {
            pos++;
            enter();
            Expr operand = unary();
            depth--;
            return new Expr.Neg(operand);
        }
        return primary();
    }

    // primary := integer | '(' expression ')'
    private Expr primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("expected a number or '(' but the expression ended");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Expr inner = expression();
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != ')') {
                throw error("expected ')'");
            }
            pos++;
            return inner;
        }
        if (c >= '0' && c <= '9') {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
                pos++;
            }
            if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == ',')) {
                throw error("only whole numbers are allowed");
            }
            if (pos - start > 18) {
                pos = start;
                throw error("number too long");
            }
            return new Expr.Num(Fraction.of(Long.parseLong(text.substring(start, pos))));
        }
        throw error("expected a number or '(' but found '" + c + "'");
    }

    // The operator at the cursor (after spaces), or null. 'x' counts as times only between operands.
    private Op peekOp() {
        skipSpace();
        if (pos >= text.length()) {
            return null;
        }
        return Op.ofSymbol(text.charAt(pos)).orElse(null);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
    }

    private ParseError error(String what) {
        return new ParseError("parse error at column " + (pos + 1) + ": " + what);
    }
}

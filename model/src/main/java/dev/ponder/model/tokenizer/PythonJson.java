package dev.ponder.model.tokenizer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code json.dumps(x, ensure_ascii=False, indent=indent)} as Hugging Face's {@code tojson} chat-template
 * filter calls it: separators {@code ", "}/{@code ": "} without indent, {@code ","}/{@code ": "} with it,
 * keys in insertion order, non-ASCII characters written as they are.
 */
final class PythonJson {
    private PythonJson() {
    }

    /** @param indent spaces per level, or a negative number for one-line output */
    static String dumps(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(value, indent, 0, out);
        return out.toString();
    }

    private static void write(Object v, int indent, int depth, StringBuilder out) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            out.append(v);
        } else if (v instanceof Number n) {
            writeFloat(n.doubleValue(), out);
        } else if (v instanceof Map<?, ?> map) {
            writeContainer(map.entrySet(), '{', '}', indent, depth, out);
        } else if (v instanceof Iterable<?> items) {
            writeContainer(items, '[', ']', indent, depth, out);
        } else if (v instanceof Object[] array) {
            writeContainer(Arrays.asList(array), '[', ']', indent, depth, out);
        } else {
            writeString(v.toString(), out);
        }
    }

    private static void writeContainer(Iterable<?> items, char open, char close, int indent, int depth,
                                       StringBuilder out) {
        out.append(open);
        boolean first = true;
        for (Object item : items) {
            out.append(first ? "" : indent >= 0 ? "," : ", ");
            if (indent >= 0) {
                out.append('\n').append(" ".repeat(indent * (depth + 1)));
            }
            if (item instanceof Map.Entry<?, ?> e) {
                writeString(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), indent, depth + 1, out);
            } else {
                write(item, indent, depth + 1, out);
            }
            first = false;
        }
        if (!first && indent >= 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
        out.append(close);
    }

    /** Python's float repr: shortest digits, fixed notation for exponents -4..15, else "1.5e-07" / "1e+16". */
    private static void writeFloat(double d, StringBuilder out) {
        if (Double.isNaN(d)) {
            out.append("NaN");
            return;
        }
        if (Double.isInfinite(d)) {
            out.append(d > 0 ? "Infinity" : "-Infinity");
            return;
        }
        if (Double.doubleToRawLongBits(d) < 0) {
            out.append('-');
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp >= -4 && exp < 16) {
            String plain = bd.toPlainString();
            out.append(plain).append(plain.contains(".") ? "" : ".0");
        } else {
            String digits = bd.unscaledValue().toString();
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exp < 0 ? '-' : '+');
            out.append(Math.abs(exp) < 10 ? "0" : "").append(Math.abs(exp));
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

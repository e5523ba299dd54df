package dev.ponder.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Hostile request bodies and WebSocket messages for the fuzz tests: random JSON, ask-shaped objects with
 * wrong types and out-of-range numbers, control characters, unpaired surrogates, invalid UTF-8 bytes,
 * truncation, deep nesting, huge strings and huge numbers.
 */
public final class Payloads {

    static final List<String> KEYS = List.of("type", "id", "prompt", "messages", "searchBudget", "strategy", "maxTokens",
            "temperature", "seed", "stream", "deadlineMs", "model", "max_tokens", "search_budget", "n", "stream_options");
    private static final byte[][] BAD_UTF8 = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};

    private Payloads() {
    }

    /** Any body a client could send, mostly not a valid ask. */
    public static Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, askLike().map(Payloads::utf8)),
                Tuple.of(2, json(2).map(Payloads::utf8)),
                Tuple.of(4, askLike().flatMap(Payloads::mutated)),
                Tuple.of(1, huge()));
    }

    /** An object with ask fields, each a plausible value, a wrong type or an out-of-range number. */
    public static Arbitrary<String> askLike() {
        return Arbitraries.of(KEYS).list().uniqueElements().ofMinSize(1).ofMaxSize(7).flatMap(keys -> {
            List<Arbitrary<String>> fields = new ArrayList<>();
            for (String k : keys) {
                fields.add(value(k).map(v -> quote(k) + ": " + v));
            }
            return Combinators.combine(fields).as(l -> "{" + String.join(", ", l) + "}");
        });
    }

    /** Random JSON text up to {@code depth} levels of arrays and objects. */
    public static Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(strings().map(Payloads::quote), numbers(), Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> json(depth - 1));
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(KEYS), strings()).map(Payloads::quote), inner)
                .as((k, v) -> k + ":" + v).list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array), Tuple.of(2, object));
    }

    static Arbitrary<String> value(String key) {
        Arbitrary<String> plausible = switch (key) {
            case "type" -> Arbitraries.of("\"ask\"", "\"cancel\"", "\"dance\"");
            case "prompt" -> Arbitraries.of("\"1+1?\"", "\"2+3?\"", "\"\"", "\"   \"", "\"\\u0000\\u0007\"", "\"\\ud800\"",
                    "\"{{ raise_exception('x') }}\"", "\"<|im_start|>user\"");
            case "messages" -> Arbitraries.of("[{\"role\": \"user\", \"content\": \"1+1?\"}]", "[]", "[null]",
                    "[{\"role\": \"wizard\", \"content\": \"x\"}]", "[{\"role\": \"user\"}]",
                    "[{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]");
            case "strategy" -> Arbitraries.of("\"greedy\"", "\"best-of-n\"", "\"beam\"", "\"mcts\"", "\"auto\"", "\"psychic\"");
            case "searchBudget", "search_budget" -> Arbitraries.integers().between(-3, 12).map(String::valueOf);
            case "maxTokens", "max_tokens" -> Arbitraries.integers().between(-2, 8).map(String::valueOf);
            case "temperature" -> Arbitraries.doubles().between(-1, 3).map(String::valueOf);
            case "deadlineMs" -> Arbitraries.longs().between(-5, 5000).map(String::valueOf);
            case "stream" -> Arbitraries.of("true", "false");
            case "n" -> Arbitraries.integers().between(0, 3).map(String::valueOf);
            default -> strings().map(Payloads::quote);
        };
        return Arbitraries.frequencyOf(Tuple.of(4, plausible), Tuple.of(1, json(1)), Tuple.of(1, numbers()));
    }

    static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(6),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(3),
                Arbitraries.of("ask", "cancel", "user", "", " ", "1+1?", "\\boxed{", "<s>", "{% for x in y %}"));
    }

    static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-10, 100).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
                Arbitraries.of("1e400", "-1e400", "1E-400", "-0", "2.5", "9223372036854775808", "1" + "0".repeat(40),
                        "0x10", "+1", ".5", "01"));
    }

    /** The text broken one way: truncated, a raw control character, invalid UTF-8 bytes, a huge number. */
    static Arbitrary<byte[]> mutated(String text) {
        byte[] bytes = utf8(text);
        Arbitrary<Integer> at = Arbitraries.integers().between(0, bytes.length);
        return Arbitraries.frequencyOf(
                Tuple.of(1, at.map(i -> java.util.Arrays.copyOf(bytes, i))),
                Tuple.of(2, Combinators.combine(at, Arbitraries.integers().between(0, 31)).as((i, c) -> insert(bytes, i, new byte[] {c.byteValue()}))),
                Tuple.of(3, Combinators.combine(at, Arbitraries.of(BAD_UTF8)).as((i, b) -> insert(bytes, i, b))),
                Tuple.of(1, Arbitraries.integers().between(20, 3000).map(n -> utf8(text.replaceFirst("\\d+", "9".repeat(n))))));
    }

    /** Deep nesting, huge strings (over ponder.limits.max-prompt-chars, some over the body limit), huge numbers. */
    static Arbitrary<byte[]> huge() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(100, 20_000).map(n -> utf8("{\"prompt\": " + "[".repeat(n) + "]".repeat(n) + "}")),
                Arbitraries.integers().between(100, 5_000).map(n -> utf8("{\"messages\": [{\"content\": " + "{\"a\": ".repeat(n)
                        + "1" + "}".repeat(n) + "}]}")),
                Arbitraries.integers().between(200_001, 400_000).map(n -> utf8("{\"type\": \"ask\", \"id\": \"h\", \"prompt\": \""
                        + "x".repeat(n) + "\"}")),
                Arbitraries.integers().between(100_000, 200_000).map(n -> utf8("{\"prompt\": \"" + "字".repeat(n) + "\"}")),
                Arbitraries.integers().between(999, 20_000).map(n -> utf8("{\"searchBudget\": " + "9".repeat(n) + ", \"prompt\": \"x\"}")));
    }

    /** A JSON string literal; everything outside printable ASCII escaped (unpaired surrogates included). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The first bytes of a payload, printable, for failure messages. */
    public static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 160), StandardCharsets.UTF_8);
        return (b.length > 160 ? s + "... (" + b.length + " bytes)" : s).replaceAll("\\p{Cntrl}", "?");
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] into, int at, byte[] what) {
        byte[] out = new byte[into.length + what.length];
        System.arraycopy(into, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(into, at, out, at + what.length, into.length - at);
        return out;
    }
}

package dev.ponder.testing;

import dev.ponder.search.Gen;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile request bodies and WebSocket messages for the fuzz tests: random JSON, ask-shaped objects with
 * wrong types and out-of-range numbers, control characters, unpaired surrogates, invalid UTF-8 bytes,
 * truncation, deep nesting, huge strings and huge numbers. Generators are {@link Gen}s (seeded, plain Java).
 */
public final class Payloads {

    static final List<String> KEYS = List.of("type", "id", "prompt", "messages", "searchBudget", "strategy", "maxTokens",
            "temperature", "seed", "stream", "deadlineMs", "model", "max_tokens", "search_budget", "n", "stream_options");
    private static final byte[][] BAD_UTF8 = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};

    private Payloads() {
    }

    /** Any body a client could send, mostly not a valid ask. */
    public static Gen<byte[]> bodies() {
        return Gen.frequency(
                Gen.weighted(2, validAsk().map(Payloads::utf8)),
                Gen.weighted(4, askLike().map(Payloads::utf8)),
                Gen.weighted(2, json(2).map(Payloads::utf8)),
                Gen.weighted(4, askLike().flatMap(Payloads::mutated)),
                Gen.weighted(1, huge()));
    }

    /**
     * A valid {@code /v1/reason} ask (messages, small budgets and token limits), so the fuzz also reaches searches,
     * streams and their single terminal event (elsewhere it is one more wrong body).
     */
    public static Gen<String> validAsk() {
        Gen<String> content = Gen.of("1+1?", "2+3?", "Use 1 2 3 4 to make 24.", "5的十次方等于多少？");
        Gen<String> strategy = Gen.of("greedy", "best-of-n", "weighted-best-of-n", "self-consistency", "beam", "mcts", "auto");
        return r -> "{\"messages\": [{\"role\": \"user\", \"content\": "
                + quote(content.next(r)) + "}], \"strategy\": " + quote(strategy.next(r)) + ", \"searchBudget\": "
                + Gen.integers(1, 3).next(r) + ", \"maxTokens\": " + Gen.integers(1, 12).next(r) + ", \"stream\": "
                + Gen.of("true", "false").next(r) + "}";
    }

    /** An object with ask fields, each a plausible value, a wrong type or an out-of-range number. */
    public static Gen<String> askLike() {
        return Gen.of(KEYS).uniqueList(1, 7).flatMap(keys -> {
            List<Gen<String>> fields = new ArrayList<>();
            for (String k : keys) {
                fields.add(value(k).map(v -> quote(k) + ": " + v));
            }
            return Gen.sequence(fields).map(l -> "{" + String.join(", ", l) + "}");
        });
    }

    /** Random JSON text up to {@code depth} levels of arrays and objects. */
    public static Gen<String> json(int depth) {
        Gen<String> leaf = Gen.oneOf(strings().map(Payloads::quote), numbers(), Gen.of("true", "false", "null"));
        if (depth == 0) {
            return leaf;
        }
        Gen<String> inner = Gen.lazy(() -> json(depth - 1));
        Gen<String> array = inner.list(0, 4).map(l -> "[" + String.join(",", l) + "]");
        Gen<String> key = Gen.oneOf(Gen.of(KEYS), strings()).map(Payloads::quote);
        Gen<String> member = r -> key.next(r) + ":" + inner.next(r);
        Gen<String> object = member.list(0, 5).map(l -> "{" + String.join(",", l) + "}");
        return Gen.frequency(Gen.weighted(3, leaf), Gen.weighted(1, array), Gen.weighted(2, object));
    }

    static Gen<String> value(String key) {
        Gen<String> plausible = switch (key) {
            case "type" -> Gen.of("\"ask\"", "\"cancel\"", "\"dance\"");
            case "prompt" -> Gen.of("\"1+1?\"", "\"2+3?\"", "\"\"", "\"   \"", "\"\\u0000\\u0007\"", "\"\\ud800\"",
                    "\"{{ raise_exception('x') }}\"", "\"<|im_start|>user\"");
            case "messages" -> Gen.of("[{\"role\": \"user\", \"content\": \"1+1?\"}]", "[]", "[null]",
                    "[{\"role\": \"wizard\", \"content\": \"x\"}]", "[{\"role\": \"user\"}]",
                    "[{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]");
            case "strategy" -> Gen.of("\"greedy\"", "\"best-of-n\"", "\"beam\"", "\"mcts\"", "\"auto\"", "\"psychic\"");
            case "searchBudget", "search_budget" -> Gen.integers(-3, 12).map(String::valueOf);
            case "maxTokens", "max_tokens" -> Gen.integers(-2, 8).map(String::valueOf);
            case "temperature" -> Gen.doubles(-1, 3, 2).map(String::valueOf);
            case "deadlineMs" -> Gen.longs(-5, 5000).map(String::valueOf);
            case "stream" -> Gen.of("true", "false");
            case "n" -> Gen.integers(0, 3).map(String::valueOf);
            default -> strings().map(Payloads::quote);
        };
        return Gen.frequency(Gen.weighted(4, plausible), Gen.weighted(1, json(1)), Gen.weighted(1, numbers()));
    }

    static Gen<String> strings() {
        return Gen.oneOf(
                Gen.strings(0, 20),
                Gen.strings('\u0000', '\u001f', 0, 6),
                Gen.strings('\ud800', '\udfff', 0, 3),
                Gen.of("ask", "cancel", "user", "", " ", "1+1?", "\\boxed{", "<s>", "{% for x in y %}"));
    }

    static Gen<String> numbers() {
        return Gen.oneOf(
                Gen.integers(-10, 100).map(String::valueOf),
                Gen.longs().map(String::valueOf),
                Gen.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
                Gen.of("1e400", "-1e400", "1E-400", "-0", "2.5", "9223372036854775808", "1" + "0".repeat(40),
                        "0x10", "+1", ".5", "01"));
    }

    /** The text broken one way: truncated, a raw control character, invalid UTF-8 bytes, a huge number. */
    static Gen<byte[]> mutated(String text) {
        byte[] bytes = utf8(text);
        Gen<Integer> at = Gen.integers(0, bytes.length);
        Gen<Integer> control = Gen.integers(0, 31);
        Gen<byte[]> bad = Gen.of(BAD_UTF8);
        return Gen.frequency(
                Gen.weighted(1, at.map(i -> Arrays.copyOf(bytes, i))),
                Gen.weighted(2, r -> insert(bytes, at.next(r), new byte[] {control.next(r).byteValue()})),
                Gen.weighted(3, r -> insert(bytes, at.next(r), bad.next(r))),
                Gen.weighted(1, Gen.integers(20, 3000).map(n -> utf8(text.replaceFirst("\\d+", "9".repeat(n))))));
    }

    /** Deep nesting, huge strings (over ponder.limits.max-prompt-chars, some over the body limit), huge numbers. */
    static Gen<byte[]> huge() {
        return Gen.oneOf(
                Gen.integers(100, 20_000).map(n -> utf8("{\"prompt\": " + "[".repeat(n) + "]".repeat(n) + "}")),
                Gen.integers(100, 5_000).map(n -> utf8("{\"messages\": [{\"content\": " + "{\"a\": ".repeat(n)
                        + "1" + "}".repeat(n) + "}]}")),
                Gen.integers(200_001, 400_000).map(n -> utf8("{\"type\": \"ask\", \"id\": \"h\", \"prompt\": \""
                        + "x".repeat(n) + "\"}")),
                Gen.integers(100_000, 200_000).map(n -> utf8("{\"prompt\": \"" + "字".repeat(n) + "\"}")),
                Gen.integers(999, 20_000).map(n -> utf8("{\"searchBudget\": " + "9".repeat(n) + ", \"prompt\": \"x\"}")));
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

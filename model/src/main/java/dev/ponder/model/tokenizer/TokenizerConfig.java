package dev.ponder.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What ponder reads from a checkpoint's {@code tokenizer_config.json}.
 *
 * @param source                  the file, for error messages ("" for an empty config)
 * @param addedTokens             {@code added_tokens_decoder}, by id
 * @param specialTokenStrings     {@code bos_token}, {@code eos_token}, {@code pad_token}, {@code unk_token}: a key is
 *                                present only if the file has it; its value is null when the file says null
 * @param additionalSpecialTokens {@code additional_special_tokens}
 * @param addBosToken             {@code add_bos_token}, or null if absent
 * @param chatTemplate            {@code chat_template} (the "default" one of a named list), or null
 */
public record TokenizerConfig(
        String source,
        Map<Integer, AddedToken> addedTokens,
        Map<String, String> specialTokenStrings,
        List<String> additionalSpecialTokens,
        Boolean addBosToken,
        String chatTemplate) {

    static final List<String> SPECIAL_KEYS = List.of("bos_token", "eos_token", "pad_token", "unk_token");

    public TokenizerConfig {
        addedTokens = Map.copyOf(addedTokens);
        specialTokenStrings = Collections.unmodifiableMap(new HashMap<>(specialTokenStrings));
        additionalSpecialTokens = List.copyOf(additionalSpecialTokens);
    }

    /** No configuration: every setting falls back to what the tokenizer file itself says. */
    public static TokenizerConfig empty() {
        return new TokenizerConfig("", Map.of(), Map.of(), List.of(), null, null);
    }

    public static TokenizerConfig read(Path file) {
        JsonNode root = readJson(file);
        if (!root.isObject()) {
            throw new TokenizerException(file + ": expected a JSON object at the top level");
        }
        String src = file.toString();
        // 1. added_tokens_decoder: {"640": {"content": "<|im_start|>", "special": true, ...}, ...}
        Map<Integer, AddedToken> added = new HashMap<>();
        JsonNode decoder = root.path("added_tokens_decoder");
        if (!decoder.isMissingNode() && !decoder.isObject()) {
            throw new TokenizerException(src + ": field added_tokens_decoder must be an object");
        }
        for (Map.Entry<String, JsonNode> e : decoder.properties()) {
            String field = "added_tokens_decoder." + e.getKey();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new TokenizerException(src + ": field " + field + ": key is not a token id");
            }
            JsonNode t = e.getValue();
            if (!t.path("content").isTextual() || t.path("content").asText().isEmpty()) {
                throw new TokenizerException(src + ": field " + field + ".content is missing or not a string");
            }
            added.put(id, new AddedToken(id, t.get("content").asText(), t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false),
                    t.path("single_word").asBoolean(false)));
        }
        // 2. special token strings: "<s>", {"content": "<s>", ...} (AddedToken form) or null
        Map<String, String> special = new HashMap<>();
        for (String key : SPECIAL_KEYS) {
            if (root.has(key)) {
                special.put(key, tokenContent(root.get(key), src, key));
            }
        }
        List<String> additional = new ArrayList<>();
        for (JsonNode n : root.path("additional_special_tokens")) {
            additional.add(tokenContent(n, src, "additional_special_tokens"));
        }
        // 3. flags and template
        Boolean addBos = null;
        if (root.has("add_bos_token") && !root.get("add_bos_token").isNull()) {
            if (!root.get("add_bos_token").isBoolean()) {
                throw new TokenizerException(src + ": field add_bos_token must be true or false");
            }
            addBos = root.get("add_bos_token").asBoolean();
        }
        String template = root.has("chat_template") ? templateOf(root.get("chat_template"), src, "chat_template") : null;
        return new TokenizerConfig(src, added, special, additional, addBos, template);
    }

    static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read or parse JSON: " + e.getMessage(), e);
        }
    }

    private static String tokenContent(JsonNode n, String src, String field) {
        if (n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return n.get("content").asText();
        }
        throw new TokenizerException(src + ": field " + field + " must be a string, null or {\"content\": ...}");
    }

    /** A template string, or from a list of {"name", "template"} the one named "default". */
    static String templateOf(JsonNode n, String src, String field) {
        if (n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isArray()) {
            for (JsonNode t : n) {
                if ("default".equals(t.path("name").asText()) && t.path("template").isTextual()) {
                    return t.get("template").asText();
                }
            }
            throw new TokenizerException(src + ": field " + field + " is a list without a template named \"default\"");
        }
        throw new TokenizerException(src + ": field " + field + " must be a string or a list of named templates");
    }

    /**
     * Special ids: a token named here is looked up (and must exist); one the file does not mention comes from
     * {@code fallback}; one the file sets to null is absent.
     */
    SpecialTokens resolve(Function<String, OptionalInt> lookup, SpecialTokens fallback) {
        return new SpecialTokens(
                resolveOne("bos_token", lookup, fallback.bos()), resolveOne("eos_token", lookup, fallback.eos()),
                resolveOne("pad_token", lookup, fallback.pad()), resolveOne("unk_token", lookup, fallback.unk()));
    }

    private int resolveOne(String key, Function<String, OptionalInt> lookup, int fallback) {
        if (!specialTokenStrings.containsKey(key)) {
            return fallback;
        }
        String content = specialTokenStrings.get(key);
        if (content == null) {
            return SpecialTokens.NONE;
        }
        return lookup.apply(content).orElseThrow(() -> new TokenizerException(
                source + ": field " + key + " names token " + content + ", which is not in the vocabulary"));
    }
}

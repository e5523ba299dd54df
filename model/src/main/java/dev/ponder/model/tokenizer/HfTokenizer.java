package dev.ponder.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer run by DJL's binding of the Rust {@code tokenizers}
 * library, offline, with {@code add_special_tokens=false}, no truncation and no padding. The vocabulary,
 * added tokens and post-processor are also read here, because DJL exposes no id/token lookup.
 */
public final class HfTokenizer implements Tokenizer {
    private final HuggingFaceTokenizer hf;
    private final String source;
    private final String[] idToToken;
    private final Map<String, Integer> tokenToId = new HashMap<>();
    private final Map<Integer, AddedToken> added = new HashMap<>();
    private final SpecialTokens special;
    private final boolean addBos;
    private final String leadingSpecialToken;

    /** Loads {@code tokenizer.json} alone: bos from the post-processor, unk from the model, no eos. */
    public static HfTokenizer load(Path tokenizerJson) {
        return new HfTokenizer(tokenizerJson, TokenizerConfig.empty());
    }

    /**
     * @param tokenizerJson the tokenizer.json file
     * @param config        tokenizer_config.json settings: special tokens it names override what tokenizer.json
     *                      implies (bos from the post-processor, unk from the model); add_bos_token likewise
     */
    public HfTokenizer(Path tokenizerJson, TokenizerConfig config) {
        this.source = tokenizerJson.toString();
        JsonNode root = TokenizerConfig.readJson(tokenizerJson);
        // 1. base vocabulary (BPE/WordPiece/WordLevel: piece -> id object; Unigram: [[piece, score], ...])
        JsonNode model = root.path("model");
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !(vocab.isObject() || vocab.isArray())) {
            throw new TokenizerException(source + ": field model.vocab is missing or not an object/array");
        }
        Map<Integer, String> byId = new HashMap<>();
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                byId.put(e.getValue().asInt(), e.getKey());
            }
        } else {
            for (int id = 0; id < vocab.size(); id++) {
                byId.put(id, vocab.get(id).path(0).asText());
            }
        }
        // 2. added tokens (their ids may lie inside or beyond the base vocabulary)
        JsonNode addedTokens = root.path("added_tokens");
        for (JsonNode t : addedTokens) {
            if (!t.hasNonNull("id") || !t.hasNonNull("content")) {
                throw new TokenizerException(source + ": an entry of added_tokens lacks id or content");
            }
            AddedToken a = new AddedToken(t.get("id").asInt(), t.get("content").asText(), t.path("special").asBoolean(false),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false), t.path("single_word").asBoolean(false));
            added.put(a.id(), a);
            byId.put(a.id(), a.content());
        }
        int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        idToToken = new String[size];
        byId.forEach((id, text) -> {
            idToToken[id] = text;
            tokenToId.put(text, id);
        });
        // 3. what the post-processor would prepend, and the model's unk token
        leadingSpecialToken = leadingSpecialToken(root.path("post_processor"));
        JsonNode unk = model.path("unk_token");
        SpecialTokens implied = new SpecialTokens(
                leadingSpecialToken == null ? SpecialTokens.NONE : tokenId(leadingSpecialToken).orElse(SpecialTokens.NONE),
                SpecialTokens.NONE, SpecialTokens.NONE,
                unk.isTextual() ? tokenId(unk.asText()).orElse(SpecialTokens.NONE) : SpecialTokens.NONE);
        this.special = config.resolve(this::tokenId, implied);
        this.addBos = config.addBosToken() != null ? config.addBosToken()
                : this.special.hasBos() && leadingSpecialToken != null
                  && tokenId(leadingSpecialToken).orElse(-2) == this.special.bos();
        // 4. the native tokenizer, configured not to add special tokens, truncate or pad
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            hf = HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(source + ": the tokenizers library rejected the file: " + e.getMessage(), e);
        }
    }

    /** The special token a TemplateProcessing post-processor puts before the sequence, if any. */
    private static String leadingSpecialToken(JsonNode post) {
        if (post.isMissingNode() || post.isNull()) {
            return null;
        }
        String type = post.path("type").asText();
        if (type.equals("Sequence")) {
            for (JsonNode p : post.path("processors")) {
                String t = leadingSpecialToken(p);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }
        if (type.equals("TemplateProcessing")) {
            JsonNode first = post.path("single").path(0);
            return first.has("SpecialToken") ? first.get("SpecialToken").path("id").asText(null) : null;
        }
        if (type.equals("BertProcessing") || type.equals("RobertaProcessing")) {
            return post.path("cls").path(0).asText(null);
        }
        return null;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            checkId(ids[i]);
            longs[i] = ids[i];
        }
        return hf.decode(longs, skipSpecialTokens);
    }

    private void checkId(int id) {
        if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
            throw new TokenizerException(source + ": token id " + id + " is not in the vocabulary (size "
                    + idToToken.length + ")");
        }
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return idToToken[id];
    }

    @Override
    public OptionalInt tokenId(String tokenText) {
        Integer id = tokenToId.get(tokenText);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return idToToken.length;
    }

    @Override
    public SpecialTokens specialTokens() {
        return special;
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken t = added.get(id);
        return t != null && t.special();
    }

    @Override
    public boolean addBosToken() {
        return addBos;
    }

    /** The special token the tokenizer.json post-processor prepends (e.g. {@code <s>}), or null. */
    public String leadingSpecialToken() {
        return leadingSpecialToken;
    }

    @Override
    public void close() {
        hf.close();
    }
}

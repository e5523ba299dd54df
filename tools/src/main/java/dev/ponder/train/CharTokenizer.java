package dev.ponder.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A character-level vocabulary written as a Hugging Face {@code tokenizer.json}: a BPE model with no merges
 * (so every character is one token), special tokens first, then the characters, then the 256 byte-fallback
 * pieces for anything else. No normalizer, no pre-tokenizer; the decoder turns byte pieces back into text.
 *
 * <p>{@link #encode} is the same mapping done in Java (the trainer's hot path); {@code CharTokenizerTest}
 * checks it against DJL's HuggingFaceTokenizer reading the written file.
 */
public final class CharTokenizer {

    public static final List<String> SPECIALS = List.of("<unk>", ChatFormat.BOS, "</s>", ChatFormat.IM_START, ChatFormat.IM_END);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> pieces;            // id -> piece
    private final Map<String, Integer> ids = new HashMap<>();
    private final int byteBase;                   // id of <0x00>

    private CharTokenizer(List<String> pieces, int byteBase) {
        this.pieces = List.copyOf(pieces);
        this.byteBase = byteBase;
        for (int i = 0; i < pieces.size(); i++) {
            ids.put(pieces.get(i), i);
        }
    }

    /** The vocabulary for these texts: specials, printable ASCII, newline, every other code point seen (sorted), bytes. */
    public static CharTokenizer build(Collection<String> texts) {
        TreeSet<Integer> chars = new TreeSet<>();
        chars.add((int) '\n');
        for (int c = 0x20; c < 0x7f; c++) {
            chars.add(c);
        }
        for (String t : texts) {
            stripSpecials(t).codePoints().forEach(chars::add);
        }
        List<String> pieces = new ArrayList<>(SPECIALS);
        for (int c : chars) {
            pieces.add(new String(Character.toChars(c)));
        }
        int byteBase = pieces.size();
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        return new CharTokenizer(pieces, byteBase);
    }

    /** Reads back the vocabulary of a tokenizer.json written by {@link #write}. */
    public static CharTokenizer read(Path tokenizerJson) throws IOException {
        var vocab = new ObjectMapper().readTree(tokenizerJson.toFile()).get("model").get("vocab");
        String[] pieces = new String[vocab.size()];
        vocab.fields().forEachRemaining(e -> pieces[e.getValue().asInt()] = e.getKey());
        return new CharTokenizer(List.of(pieces), List.of(pieces).indexOf("<0x00>"));
    }

    private static String stripSpecials(String t) {
        for (String s : SPECIALS) {
            t = t.replace(s, "");
        }
        return t;
    }

    public int vocabSize() {
        return pieces.size();
    }

    public int id(String piece) {
        Integer id = ids.get(piece);
        if (id == null) {
            throw new IllegalArgumentException("not in the vocabulary: " + piece);
        }
        return id;
    }

    public String piece(int id) {
        return pieces.get(id);
    }

    /** Special tokens written literally become their ids; every other code point is one id, or its UTF-8 bytes. */
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>(text.length());
        int i = 0;
        outer:
        while (i < text.length()) {
            if (text.charAt(i) == '<') {
                for (String s : SPECIALS) {
                    if (text.startsWith(s, i)) {
                        out.add(ids.get(s));
                        i += s.length();
                        continue outer;
                    }
                }
            }
            int cp = text.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            Integer id = ids.get(ch);
            if (id != null && id >= SPECIALS.size() && id < byteBase) {
                out.add(id);
            } else {
                for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteBase + (b & 0xff));
                }
            }
            i += Character.charCount(cp);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Text of ids: characters as they are, special tokens literally, byte pieces decoded as UTF-8. */
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : tokens) {
            if (id >= byteBase) {
                bytes.write(id - byteBase);
                continue;
            }
            if (bytes.size() > 0) {
                sb.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            sb.append(pieces.get(id));
        }
        sb.append(bytes.toString(StandardCharsets.UTF_8));
        return sb.toString();
    }

    /** Writes tokenizer.json and tokenizer_config.json into {@code dir}. */
    public void write(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIALS) {
            added.addObject().put("id", ids.get(s)).put("content", s).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < pieces.size(); i++) {
            vocab.put(pieces.get(i), i);
        }
        model.putArray("merges");
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), root);

        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("add_bos_token", false);
        cfg.put("add_eos_token", false);
        ObjectNode dec = cfg.putObject("added_tokens_decoder");
        for (String s : SPECIALS) {
            dec.putObject(String.valueOf(ids.get(s))).put("content", s).put("lstrip", false).put("normalized", false)
                    .put("rstrip", false).put("single_word", false).put("special", true);
        }
        ArrayNode extra = cfg.putArray("additional_special_tokens");
        extra.add(ChatFormat.IM_START).add(ChatFormat.IM_END);
        cfg.put("bos_token", ChatFormat.BOS);
        cfg.put("eos_token", ChatFormat.IM_END);
        cfg.put("unk_token", "<unk>");
        cfg.put("pad_token", "</s>");
        cfg.put("chat_template", ChatFormat.CHAT_TEMPLATE);
        cfg.put("clean_up_tokenization_spaces", false);
        cfg.put("model_max_length", 512);
        cfg.put("tokenizer_class", "PreTrainedTokenizerFast");
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
    }

    /** Ordered piece -> id map, for tests. */
    public Map<String, Integer> vocab() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            m.put(pieces.get(i), i);
        }
        return m;
    }
}

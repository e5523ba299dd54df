package dev.ponder.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HfTokenizer on a small Llama-style tokenizer.json written here: BPE with byte fallback and eleven merges,
 * a Prepend("▁") + Replace(" " -> "▁") normalizer, a Replace/ByteFallback/Fuse/Strip decoder, a
 * TemplateProcessing post-processor that would prepend {@code <s>}, and three added tokens. Expected ids
 * follow from BPE's rule (apply the lowest-rank merge present, repeatedly) worked out by hand below.
 */
class HfTokenizerTest {
    // ids: 0 <unk>, 1 <s>, 2 </s>, 3..258 <0x00>..<0xFF>, then these pieces from 259 on
    static final List<String> PIECES = List.of("▁", "h", "e", "l", "o", "w", "r", "d", // 259..266
            "▁h", "el", "ell", "ello", "▁hello", "▁w", "or", "▁wor", "ld", "▁world", "i", "▁hi"); // 267..278
    static final List<String> MERGES = List.of("▁ h", "e l", "el l", "ell o", "▁h ello", "▁ w", "o r", "▁w or",
            "l d", "▁wor ld", "▁h i");
    static final int HELLO = 271, WORLD = 276, HI = 278, H = 267, W = 272, D = 266, SPACE = 259;
    static final int IM_START = 279, IM_END = 280, THINK = 281;

    @TempDir
    static Path dir;
    static HfTokenizer tok;

    @BeforeAll
    static void writeAndLoad() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, tokenizerJson());
        tok = HfTokenizer.load(file);
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    static String tokenizerJson() throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addToken(added, 0, "<unk>", true);
        addToken(added, 1, "<s>", true);
        addToken(added, 2, "</s>", true);
        addToken(added, IM_START, "<|im_start|>", true);
        addToken(added, IM_END, "<|im_end|>", true);
        addToken(added, THINK, "<think>", false);
        root.set("normalizer", m.readTree("""
                {"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},
                 {"type":"Replace","pattern":{"String":" "},"content":"▁"}]}"""));
        root.putNull("pre_tokenizer");
        root.set("post_processor", m.readTree("""
                {"type":"TemplateProcessing",
                 "single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
                 "pair":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},
                         {"SpecialToken":{"id":"<s>","type_id":1}},{"Sequence":{"id":"B","type_id":1}}],
                 "special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}}"""));
        root.set("decoder", m.readTree("""
                {"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},
                 {"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]}"""));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<unk>", 0);
        vocab.put("<s>", 1);
        vocab.put("</s>", 2);
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format(Locale.ROOT, "<0x%02X>", b), 3 + b);
        }
        for (int i = 0; i < PIECES.size(); i++) {
            vocab.put(PIECES.get(i), 259 + i);
        }
        ArrayNode merges = model.putArray("merges");
        MERGES.forEach(merges::add);
        return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    static void addToken(ArrayNode added, int id, String content, boolean special) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", special);
    }

    @Test
    void mergesFollowRankOrder() {
        // "▁hello▁world": ▁h, el, ell, ello, ▁hello, then ▁w, or, ▁wor, ld, ▁world
        assertArrayEquals(new int[] {HELLO, WORLD}, tok.encode("hello world"));
        assertArrayEquals(new int[] {HI}, tok.encode("hi"));
        // "▁wd": only "▁ w" applies
        assertArrayEquals(new int[] {W, D}, tok.encode("wd"));
        // two spaces: "▁hello▁▁hi" keeps a lone ▁ (no merge "▁ ▁")
        assertArrayEquals(new int[] {HELLO, SPACE, HI}, tok.encode("hello  hi"));
    }

    @Test
    void unknownCharactersFallBackToBytes() {
        // é = C3 A9 -> <0xC3> (3 + 0xC3) and <0xA9> (3 + 0xA9); newline -> <0x0A>
        assertArrayEquals(new int[] {H, 3 + 0xC3, 3 + 0xA9}, tok.encode("hé"));
        assertArrayEquals(new int[] {SPACE, 3 + 0x0A}, tok.encode("\n"));
        assertEquals("hé", tok.decode(tok.encode("hé")));
    }

    @Test
    void addedTokensInTextAreRecognisedAndNoBosIsAdded() {
        // each text segment between added tokens is normalized on its own, so "hello" gets the ▁ prefix
        assertArrayEquals(new int[] {IM_START, HELLO, IM_END}, tok.encode("<|im_start|>hello<|im_end|>"));
        assertArrayEquals(new int[] {THINK, HI}, tok.encode("<think>hi"));
        assertArrayEquals(new int[] {1, HI}, tok.encode("<s>hi"));
    }

    @Test
    void decodeKeepsSpecialTokensUnlessAsked() {
        int[] ids = {IM_START, HELLO, IM_END};
        // decoder: ▁ -> space, fuse, strip one leading space of the whole text (here the text starts with '<')
        assertEquals("<|im_start|> hello<|im_end|>", tok.decode(ids));
        assertEquals("hello", tok.decode(ids, true));
        // <think> is an added token but not special: kept either way
        assertEquals("<think> hi", tok.decode(new int[] {THINK, HI}, true));
        assertTrue(tok.isSpecial(IM_END));
        assertFalse(tok.isSpecial(THINK));
        assertFalse(tok.isSpecial(HELLO));
    }

    @Test
    void plainTextRoundTrips() {
        for (String s : List.of("hello world", "hi hello", "hello  world", "wé\nhi", "")) {
            assertEquals(s, tok.decode(tok.encode(s)), s);
        }
    }

    @Test
    void vocabularyLookups() {
        assertEquals(282, tok.vocabSize());
        assertEquals("▁hello", tok.tokenText(HELLO));
        assertEquals("<0x0A>", tok.tokenText(13));
        assertEquals("<|im_end|>", tok.tokenText(IM_END));
        assertEquals(IM_START, tok.tokenId("<|im_start|>").orElseThrow());
        assertEquals(WORLD, tok.tokenId("▁world").orElseThrow());
        assertTrue(tok.tokenId("nope").isEmpty());
        assertThrows(TokenizerException.class, () -> tok.tokenText(282));
        assertThrows(TokenizerException.class, () -> tok.decode(new int[] {HELLO, 9999}));
    }

    @Test
    void specialIdsComeFromPostProcessorAndModel() {
        assertEquals("<s>", tok.leadingSpecialToken());
        assertEquals(1, tok.bosId());
        assertEquals(0, tok.specialTokens().unk());
        assertFalse(tok.specialTokens().hasEos());
        assertTrue(tok.addBosToken());
    }

    @Test
    void malformedFileNamesTheFile() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"BPE\"}}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> HfTokenizer.load(bad));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("model.vocab"), e.getMessage());
    }
}

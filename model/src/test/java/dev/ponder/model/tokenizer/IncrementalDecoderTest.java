package dev.ponder.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming decode: the pieces returned one id at a time add up to the full decode, never splitting a character. */
class IncrementalDecoderTest {
    static SentencePieceTokenizer sp;
    static SentencePieceTokenizer chatSp;

    @BeforeAll
    static void load() throws Exception {
        SentencePieceGoldenTest.load();
        sp = SentencePieceGoldenTest.tok;
        chatSp = new SentencePieceTokenizer(sp.model(), "golden", List.of(AddedToken.special(640, "<|im_start|>"),
                AddedToken.special(641, "<|im_end|>")), null, null);
    }

    /** Feeds ids one by one; returns the non-empty chunks, the flush included. */
    static List<String> stream(Tokenizer tok, int[] ids, boolean skip) {
        IncrementalDecoder d = new IncrementalDecoder(tok, skip);
        List<String> chunks = new ArrayList<>();
        for (int id : ids) {
            String s = d.add(id);
            if (!s.isEmpty()) {
                chunks.add(s);
            }
        }
        String rest = d.flush();
        if (!rest.isEmpty()) {
            chunks.add(rest);
        }
        assertEquals(String.join("", chunks), d.text());
        return chunks;
    }

    @Test
    void everyGoldenCaseStreamsToItsFullDecode() {
        for (JsonNode c : SentencePieceGoldenTest.golden.get("cases")) {
            int[] ids = SentencePieceGoldenTest.ints(c.get("ids"));
            List<String> chunks = stream(sp, ids, false);
            assertEquals(c.get("decoded").asText(), String.join("", chunks), c.get("text").asText());
            for (String chunk : chunks) {
                assertFalse(chunk.contains("\uFFFD"), "half a character in " + chunks);
            }
        }
    }

    @Test
    void byteFallbackCharacterIsEmittedWhole() {
        IncrementalDecoder d = new IncrementalDecoder(sp, false);
        // "emoji 😀": ▁e m o <0x6A> i ▁, then the emoji's bytes F0 9F 98 80
        int[] word = {284, 488, 474, 109, 471, 466};
        StringBuilder head = new StringBuilder();
        for (int id : word) {
            head.append(d.add(id));
        }
        assertEquals("emoji ", head.toString());
        assertEquals("", d.add(243));
        assertEquals("", d.add(162));
        assertEquals("", d.add(155));
        assertEquals("😀", d.add(131));
        assertEquals("emoji 😀", d.text());
    }

    @Test
    void truncatedCharacterComesOutOnFlush() {
        IncrementalDecoder d = new IncrementalDecoder(sp, false);
        assertEquals("", d.add(236));
        assertEquals("", d.add(148));
        assertEquals("\uFFFD\uFFFD", d.flush());
        assertEquals("", d.flush());
    }

    @Test
    void leadingSpaceRulesMatchFullDecode() {
        // a lone ▁ then ▁x, control ids in between, a newline byte then ▁x
        int[][] cases = {{466, 466, 370}, {1, 466, 594, 2, 370}, {13, 370}, {370, 466, 466, 466}};
        for (int[] ids : cases) {
            assertEquals(sp.decode(ids), String.join("", stream(sp, ids, false)));
        }
    }

    @Test
    void chatWithAddedTokensStreamsWithAndWithoutSpecials() {
        String text = "<|im_start|>user\n5^10 = ?<|im_end|>\n<|im_start|>assistant\n😀 9765625<|im_end|>";
        int[] ids = chatSp.encode(text);
        assertEquals(text, String.join("", stream(chatSp, ids, false)));
        assertEquals(chatSp.decode(ids, true), String.join("", stream(chatSp, ids, true)));
        assertTrue(stream(chatSp, ids, false).contains("<|im_end|>"));
    }

    @Test
    void huggingFaceTokenizerStreams(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, HfTokenizerTest.tokenizerJson());
        try (HfTokenizer hf = HfTokenizer.load(file)) {
            for (String s : List.of("hello world", "hé\nhi  hello", "<|im_start|>hello<|im_end|>")) {
                int[] ids = hf.encode(s);
                assertEquals(hf.decode(ids), String.join("", stream(hf, ids, false)), s);
                assertEquals(hf.decode(ids, true), String.join("", stream(hf, ids, true)), s);
            }
        }
    }
}

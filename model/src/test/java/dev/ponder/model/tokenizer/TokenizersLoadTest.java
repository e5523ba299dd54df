package dev.ponder.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenizers.load on checkpoint directories written here: an InternLM3-style one (SentencePiece
 * tokenizer.model from the golden fixture, added tokens {@code <|im_start|>} = 640 and {@code <|im_end|>} = 641
 * in tokenizer_config.json, ChatML template), a tokenizer.json one, and broken ones.
 */
class TokenizersLoadTest {
    static final int IM_START = 640, IM_END = 641;

    @TempDir
    Path dir;

    static Map<String, Object> addedToken(String content) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("content", content);
        t.put("lstrip", false);
        t.put("normalized", false);
        t.put("rstrip", false);
        t.put("single_word", false);
        t.put("special", true);
        return t;
    }

    static Map<String, Object> internLm3Config() {
        Map<String, Object> decoder = new LinkedHashMap<>();
        decoder.put("0", addedToken("<unk>"));
        decoder.put("1", addedToken("<s>"));
        decoder.put("2", addedToken("</s>"));
        decoder.put(String.valueOf(IM_START), addedToken("<|im_start|>"));
        decoder.put(String.valueOf(IM_END), addedToken("<|im_end|>"));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("add_bos_token", true);
        cfg.put("add_eos_token", false);
        cfg.put("added_tokens_decoder", decoder);
        cfg.put("additional_special_tokens", List.of("<|im_start|>", "<|im_end|>"));
        cfg.put("bos_token", "<s>");
        cfg.put("eos_token", Map.of("__type", "AddedToken", "content", "</s>", "special", true));
        cfg.put("pad_token", "</s>");
        cfg.put("unk_token", "<unk>");
        cfg.put("chat_template", ChatTemplateTest.INTERNLM3);
        cfg.put("tokenizer_class", "InternLM3Tokenizer");
        return cfg;
    }

    void writeInternLm3(Map<String, Object> config) throws Exception {
        Path model = Path.of(getClass().getResource(SentencePieceGoldenTest.DIR + "tokenizer.model").toURI());
        Files.copy(model, dir.resolve("tokenizer.model"));
        new ObjectMapper().writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
    }

    static List<Integer> list(int[] ids) {
        return IntStream.of(ids).boxed().toList();
    }

    @Test
    void internLm3StyleChatEncodesSpecialTokensInPlaceAndRoundTrips() throws Exception {
        writeInternLm3(internLm3Config());
        SentencePieceTokenizer bare = SentencePieceTokenizer.load(dir.resolve("tokenizer.model"));
        try (LoadedTokenizer lt = Tokenizers.load(dir)) {
            Tokenizer tok = lt.tokenizer();
            assertInstanceOf(SentencePieceTokenizer.class, tok);
            assertEquals(new SpecialTokens(1, 2, 2, 0), lt.special());
            assertEquals(642, tok.vocabSize());
            assertEquals("<|im_start|>", tok.tokenText(IM_START));
            assertEquals(IM_END, tok.tokenId("<|im_end|>").orElseThrow());
            assertTrue(tok.addBosToken());
            assertTrue(lt.hasChatTemplate());

            List<ChatMessage> chat = List.of(ChatMessage.system("You are a helpful assistant."),
                    ChatMessage.user("What is 5^10?"));
            String text = lt.renderChat(chat, true);
            assertEquals("<s><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                    + "<|im_start|>user\nWhat is 5^10?<|im_end|>\n<|im_start|>assistant\n", text);

            // special ids sit where the markers are; the text between them is SentencePiece-encoded on its own
            List<Integer> expected = new ArrayList<>(List.of(1, IM_START));
            expected.addAll(list(bare.encode("system\nYou are a helpful assistant.")));
            expected.add(IM_END);
            expected.addAll(List.of(466, 13));               // "\n" -> ▁ <0x0A> (golden case)
            expected.add(IM_START);
            expected.addAll(list(bare.encode("user\nWhat is 5^10?")));
            expected.add(IM_END);
            expected.addAll(List.of(466, 13));
            expected.add(IM_START);
            expected.addAll(list(bare.encode("assistant\n")));
            int[] ids = lt.encodeChat(chat, true);
            assertEquals(expected, list(ids));

            assertEquals(text, tok.decode(ids));
            // skipping special tokens joins the plain runs into one SentencePiece decode
            int[] plain = IntStream.of(ids).filter(id -> id != 1 && id != IM_START && id != IM_END).toArray();
            assertEquals(bare.decode(plain), tok.decode(ids, true));
            assertFalse(tok.decode(ids, true).contains("<|im"));
            assertTrue(tok.isSpecial(IM_START) && tok.isSpecial(1) && !tok.isSpecial(466));
        }
    }

    @Test
    void specialTokenStringsInTextAreRecognisedLikeHuggingFaceSlowTokenizers() throws Exception {
        writeInternLm3(internLm3Config());
        try (LoadedTokenizer lt = Tokenizers.load(dir)) {
            // the bare SentencePiece model spells "<s>" out in bytes; with the config it is the bos id
            assertArrayEquals(new int[] {1, IM_END, 2}, lt.tokenizer().encode("<s><|im_end|></s>"));
        }
    }

    @Test
    void chatTemplateJinjaFileTakesPrecedence() throws Exception {
        writeInternLm3(internLm3Config());
        Files.writeString(dir.resolve("chat_template.jinja"), "{% for m in messages %}[{{ m.role }}]{% endfor %}\n");
        try (LoadedTokenizer lt = Tokenizers.load(dir)) {
            assertEquals("[user]", lt.renderChat(List.of(ChatMessage.user("x")), false));
        }
    }

    @Test
    void chatTemplateJsonFileIsRead() throws Exception {
        Map<String, Object> cfg = internLm3Config();
        cfg.remove("chat_template");
        writeInternLm3(cfg);
        new ObjectMapper().writeValue(dir.resolve("chat_template.json").toFile(),
                Map.of("chat_template", "{{ eos_token }}{{ messages | length }}"));
        try (LoadedTokenizer lt = Tokenizers.load(dir)) {
            assertEquals("</s>1", lt.renderChat(List.of(ChatMessage.user("x")), false));
        }
    }

    @Test
    void modelWithoutConfigUsesModelSpecialsAndHasNoTemplate() throws Exception {
        Files.copy(Path.of(getClass().getResource(SentencePieceGoldenTest.DIR + "tokenizer.model").toURI()),
                dir.resolve("tokenizer.model"));
        try (LoadedTokenizer lt = Tokenizers.load(dir)) {
            assertEquals(new SpecialTokens(1, 2, -1, 0), lt.special());
            assertNull(lt.template());
            TokenizerException e = assertThrows(TokenizerException.class,
                    () -> lt.renderChat(List.of(ChatMessage.user("x")), true));
            assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        }
    }

    @Test
    void tokenizerJsonIsPreferredAndConfigNamesEos() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), HfTokenizerTest.tokenizerJson());
        Files.writeString(dir.resolve("tokenizer.model"), "not read: tokenizer.json wins");
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", null);
        cfg.put("chat_template", ChatTemplateTest.QWEN2);
        new ObjectMapper().writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
        try (LoadedTokenizer lt = Tokenizers.load(dir)) {
            assertInstanceOf(HfTokenizer.class, lt.tokenizer());
            // bos from the post-processor, unk from the model, eos from the config
            assertEquals(new SpecialTokens(1, HfTokenizerTest.IM_END, -1, 0), lt.special());
            String text = lt.renderChat(List.of(ChatMessage.user("hello")), false);
            assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhello<|im_end|>\n",
                    text);
            int[] ids = lt.encodeChat(List.of(ChatMessage.user("hello")), false);
            assertEquals(HfTokenizerTest.IM_START, ids[0]);
            assertEquals(2, list(ids).stream().filter(id -> id == HfTokenizerTest.IM_START).count());
            assertEquals(2, list(ids).stream().filter(id -> id == HfTokenizerTest.IM_END).count());
            // the trailing "\n" segment is normalized to "▁\n": ▁ then <0x0A>
            assertEquals(List.of(HfTokenizerTest.IM_END, HfTokenizerTest.SPACE, 3 + 0x0A),
                    list(ids).subList(ids.length - 3, ids.length));
        }
    }

    @Test
    void missingTokenizerNamesBothFiles() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("tokenizer.model"), e.getMessage());
        TokenizerException e2 = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir.resolve("nope")));
        assertTrue(e2.getMessage().contains("does not exist"), e2.getMessage());
    }

    @Test
    void malformedConfigNamesFileAndField() throws Exception {
        writeInternLm3(internLm3Config());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\",");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());

        Map<String, Object> cfg = internLm3Config();
        @SuppressWarnings("unchecked")
        Map<String, Object> decoder = (Map<String, Object>) cfg.get("added_tokens_decoder");
        decoder.put("642", Map.of("special", true));
        new ObjectMapper().writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
        e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("added_tokens_decoder.642.content"),
                e.getMessage());

        cfg = internLm3Config();
        cfg.put("eos_token", "<|endoftext|>");
        new ObjectMapper().writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
        e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("eos_token") && e.getMessage().contains("<|endoftext|>"), e.getMessage());
    }

    @Test
    void unsupportedOrCorruptModelFileIsReported() throws IOException {
        Files.write(dir.resolve("tokenizer.model"), new byte[] {0x0A, 0x7F, 0x01});
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.model"), e.getMessage());
        // a UNIGRAM model: one piece plus trainer_spec { model_type: UNIGRAM }
        Files.write(dir.resolve("tokenizer.model"), new byte[] {0x0A, 0x09, 0x0A, 0x05, '<', 'u', 'n', 'k', '>', 0x18, 0x02,
            0x12, 0x02, 0x18, 0x01});
        e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("UNIGRAM") && e.getMessage().contains("tokenizer.model"), e.getMessage());
    }
}

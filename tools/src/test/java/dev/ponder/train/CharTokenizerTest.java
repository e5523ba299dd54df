package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.tasks.TaskDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written tokenizer.json, read by DJL's Hugging Face tokenizer, agrees with the Java encoder and round-trips. */
class CharTokenizerTest {

    @Test
    void djlReadsTheVocabularyAndRoundTripsTaskText(@TempDir Path dir) throws Exception {
        TaskDatasets data = new TaskDatasets(0);
        List<String> texts = Batches.vocabularyTexts(data, 300, 3);
        CharTokenizer tok = CharTokenizer.build(texts);
        tok.write(dir);
        List<String> all = new ArrayList<>(texts);
        all.add("héllo ☃ 𝔸 tab\there <unk></s>");     // characters outside the vocabulary go through bytes
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), Map.of())) {
            for (String text : all) {
                long[] ids = hf.encode(text, false, false).getIds();
                int[] mine = tok.encode(text);
                assertArrayEquals(Arrays.stream(mine).asLongStream().toArray(), ids, text);
                assertEquals(text, hf.decode(ids, false), "DJL decode");
                assertEquals(text, tok.decode(mine), "Java decode");
            }
        }
    }

    @Test
    void specialTokensComeFirstAndBytesLast(@TempDir Path dir) throws Exception {
        CharTokenizer tok = CharTokenizer.build(List.of("2的10次方是多少？"));
        tok.write(dir);
        assertEquals(0, tok.id("<unk>"));
        assertEquals(1, tok.id("<s>"));
        assertEquals(2, tok.id("</s>"));
        assertEquals(4, tok.id("<|im_end|>"));
        assertEquals(tok.vocabSize() - 1, tok.id("<0xFF>"));
        assertEquals(1, tok.encode("的").length);
        assertEquals(3, tok.encode("猫").length, "an unseen CJK character is three byte pieces");
        var cfg = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
        assertEquals(ChatFormat.CHAT_TEMPLATE, cfg.get("chat_template").asText());
        assertEquals("<|im_end|>", cfg.get("eos_token").asText());
        assertEquals(false, cfg.get("add_bos_token").asBoolean());
        assertEquals(tok.vocab(), CharTokenizer.read(dir.resolve("tokenizer.json")).vocab());
    }
}

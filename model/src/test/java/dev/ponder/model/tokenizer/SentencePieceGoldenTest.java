package dev.ponder.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the SentencePiece 0.1.97 golden fixture (src/test/resources/golden/sentencepiece-bpe): the
 * full vocabulary, 34 encode cases (ids, pieces, decode) and 7 decode-only cases.
 */
class SentencePieceGoldenTest {
    static final String DIR = "/golden/sentencepiece-bpe/";
    static JsonNode golden;
    static SentencePieceTokenizer tok;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        try (InputStream in = SentencePieceGoldenTest.class.getResourceAsStream(DIR + "golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        tok = SentencePieceTokenizer.load(modelPath());
    }

    static Path modelPath() throws URISyntaxException {
        return Path.of(SentencePieceGoldenTest.class.getResource(DIR + "tokenizer.model").toURI());
    }

    @Test
    void vocabularyMatchesPieceScoreAndType() {
        JsonNode vocab = golden.get("vocab");
        List<SentencePieceModel.Piece> pieces = tok.model().pieces();
        assertEquals(golden.get("vocab_size").asInt(), pieces.size());
        assertEquals(vocab.size(), tok.vocabSize());
        for (int id = 0; id < vocab.size(); id++) {
            JsonNode e = vocab.get(id);
            SentencePieceModel.Piece p = pieces.get(id);
            assertEquals(e.get(0).asText(), p.piece(), "piece of id " + id);
            assertEquals((float) e.get(1).asDouble(), p.score(), "score of id " + id);
            assertEquals(e.get(2).asText(), p.type().name(), "type of id " + id);
            assertEquals(e.get(0).asText(), tok.tokenText(id));
            assertEquals(id, tok.tokenId(e.get(0).asText()).orElseThrow());
        }
    }

    @Test
    void specsAndSpecialIdsMatch() {
        JsonNode norm = golden.get("normalizer_spec");
        SentencePieceModel m = tok.model();
        assertEquals(norm.get("name").asText(), m.normalizerName());
        assertEquals(norm.get("add_dummy_prefix").asBoolean(), m.addDummyPrefix());
        assertEquals(norm.get("remove_extra_whitespaces").asBoolean(), m.removeExtraWhitespaces());
        assertEquals(norm.get("escape_whitespaces").asBoolean(), m.escapeWhitespaces());
        assertEquals(SentencePieceModel.ModelType.BPE, m.modelType());
        assertTrue(m.byteFallback());
        JsonNode ids = golden.get("special_ids");
        assertEquals(new SpecialTokens(ids.get("bos").asInt(), ids.get("eos").asInt(), ids.get("pad").asInt(),
                ids.get("unk").asInt()), tok.specialTokens());
        assertTrue(tok.addBosToken());
    }

    @TestFactory
    Stream<DynamicTest> encodeCases() {
        assertEquals(34, golden.get("cases").size());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            String text = c.get("text").asText();
            tests.add(DynamicTest.dynamicTest("encode " + text.replace("\n", "\\n"), () -> {
                int[] ids = ints(c.get("ids"));
                assertArrayEquals(ids, tok.encode(text), "ids");
                assertEquals(strings(c.get("pieces")), tok.encodeAsPieces(text), "pieces");
                assertEquals(c.get("decoded").asText(), tok.decode(ids), "decode");
                assertEquals(c.get("decoded").asText(), tok.decode(ints(c.get("ids_with_bos_eos"))), "decode with bos/eos");
                assertEquals(c.get("roundtrip_equal").asBoolean(), text.equals(tok.decode(tok.encode(text))));
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> decodeCases() {
        assertEquals(7, golden.get("decode_cases").size());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.get("decode_cases")) {
            tests.add(DynamicTest.dynamicTest("decode " + c.get("name").asText(), () -> {
                int[] ids = ints(c.get("ids"));
                List<String> pieces = new ArrayList<>();
                for (int id : ids) {
                    pieces.add(tok.tokenText(id));
                }
                assertEquals(strings(c.get("pieces")), pieces, "pieces");
                assertEquals(c.get("decoded").asText(), tok.decode(ids), "decode");
            }));
        }
        return tests.stream();
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

package dev.ponder.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the identity normalizer, add_dummy_prefix on and remove_extra_whitespaces off, SentencePiece decoding
 * inverts encoding for any text without '▁' (U+2581, which decodes to a space) and without lone surrogates.
 * Checked on the training corpus and on seeded random strings, also through the streaming decoder.
 */
class SentencePieceRoundTripTest {
    static SentencePieceTokenizer tok;

    @BeforeAll
    static void load() throws Exception {
        SentencePieceGoldenTest.load();
        tok = SentencePieceGoldenTest.tok;
    }

    @Test
    void corpusRoundTrips() throws Exception {
        String corpus;
        try (InputStream in = getClass().getResourceAsStream(SentencePieceGoldenTest.DIR + "corpus.txt")) {
            corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : corpus.split("\n")) {
            assertEquals(line, tok.decode(tok.encode(line)));
        }
        assertEquals(corpus, tok.decode(tok.encode(corpus)));
    }

    @Test
    void randomTextRoundTripsAndStreams() {
        Random random = new Random(20240601);
        int[][] ranges = {{0x20, 0x7E}, {0x09, 0x0A}, {0xA0, 0x17F}, {0x4E00, 0x4FFF}, {0x3040, 0x30FF}, {0x1F600, 0x1F64F}};
        for (int n = 0; n < 400; n++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(30);
            for (int i = 0; i < len; i++) {
                int[] r = ranges[random.nextInt(ranges.length)];
                sb.appendCodePoint(r[0] + random.nextInt(r[1] - r[0] + 1));
            }
            String text = sb.toString();
            int[] ids = tok.encode(text);
            assertEquals(text, tok.decode(ids), "round trip of " + text);
            assertEquals(text, String.join("", IncrementalDecoderTest.stream(tok, ids, false)), "stream of " + text);
        }
    }
}

package dev.ponder.bench.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.Generator;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.SamplingParams;
import dev.ponder.model.checkpoint.CheckpointWriter;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.ResultChecks;
import dev.ponder.search.Sampling;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.SearchEvent;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Searches;
import dev.ponder.search.StepDelimiter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded ponder-tiny exported to GGUF and run by llama.cpp gives ponder's tokens and scores. */
class LlamaCppPeerTest {

    static final Path CHECKPOINT = Path.of(System.getProperty("ponder.peer.checkpoint", "../model/src/main/resources/models/ponder-tiny"));
    static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    static Path dir;
    static LanguageModel lm;
    static Path gguf;
    static Engine peer;
    static String rendered;

    @BeforeAll
    static void export() throws Exception {
        assertTrue(Files.isDirectory(CHECKPOINT), "checkpoint missing: " + CHECKPOINT.toAbsolutePath());
        lm = LanguageModel.load(CHECKPOINT);
        gguf = dir.resolve("model.gguf");
        GgufExport.export(lm, gguf);
        peer = new Engine(new LlamaCppRunner(gguf, new LlamaCppRunner.Settings(2, 4096, 2048, 256, 2), lm.profile()),
                EngineConfig.defaults());
        rendered = lm.renderChat(List.of(ChatMessage.user("Use 4 6 8 2 to make 24.")));
    }

    @AfterAll
    static void close() {
        if (peer != null) {
            peer.close();
        }
        if (lm != null) {
            lm.close();
        }
    }

    @Test
    void exportedMetadataAndPermutedQueries() throws Exception {
        GgufReader r = new GgufReader(gguf);
        var c = lm.config();
        assertEquals("llama", r.metadata.get("general.architecture"));
        assertEquals((long) c.numLayers(), r.metadata.get("llama.block_count"));
        assertEquals((long) c.numHeads(), r.metadata.get("llama.attention.head_count"));
        assertEquals((long) c.numKvHeads(), r.metadata.get("llama.attention.head_count_kv"));
        assertEquals((long) c.headDim(), r.metadata.get("llama.rope.dimension_count"));
        assertEquals(c.vocabSize(), ((List<?>) r.metadata.get("tokenizer.ggml.tokens")).size());
        assertEquals(false, r.metadata.get("tokenizer.ggml.add_space_prefix"));
        int space = lm.tokenizer().tokenId(" ").orElseThrow();
        assertEquals("\u2581", ((List<?>) r.metadata.get("tokenizer.ggml.tokens")).get(space), "space spelled as SPM does");
        var hf = CheckpointWriter.tensors(c, lm.transformer().weights());
        var q = hf.get("model.layers.0.self_attn.q_proj.weight");
        var k = hf.get("model.layers.0.self_attn.k_proj.weight");
        assertArrayEquals(GgufExport.permuteRope(q.data(), (int) q.shape()[0], c.hiddenSize(), c.numHeads()),
                r.data("blk.0.attn_q.weight"));
        assertArrayEquals(GgufExport.permuteRope(k.data(), (int) k.shape()[0], c.hiddenSize(), c.numKvHeads()),
                r.data("blk.0.attn_k.weight"));
        assertArrayEquals(hf.get("model.layers.0.self_attn.v_proj.weight").data(), r.data("blk.0.attn_v.weight"));
    }

    @Test
    void tokenizationGreedyTokensAndSelfCheckMatchPonder() {
        int[] ids = lm.encodePrompt(rendered);
        assertArrayEquals(ids, peer.runner().encode(rendered));
        int n = 200;     // long enough for a whole chain, so the self-check follows an end-of-sequence step
        int eos = lm.tokenizer().eosId();
        int[] expected = new Generator(lm.transformer(), lm.manager())
                .generate(List.of(ids), n, SamplingParams.greedy(), t -> t == eos).get(0).tokens();
        int cut = 0;
        while (cut < expected.length && expected[cut] != eos) {
            cut++;
        }
        Sampling greedy = new Sampling(0, 1, n, n, StepDelimiter.NEWLINE);
        Chain root = Chain.of(new Problem("t", rendered));
        Chain a;
        double ca;
        try (SearchSession m = peer.openSession(ids)) {
            a = m.complete(root, greedy).await().atMost(WAIT);
            ca = m.selfCheck(List.of(a)).await().atMost(WAIT).get(0);
        }
        assertArrayEquals(Arrays.copyOf(expected, cut), PeerCheck.tokens(a));
        assertTrue(cut < n && a.terminal(), "the greedy chain ends at end of sequence");
        double cb;
        double lb;
        try (Engine engine = new Engine(lm, EngineConfig.defaults()); SearchSession s = engine.openSession(ids)) {
            Chain b = s.complete(root, greedy).await().atMost(WAIT);
            assertArrayEquals(PeerCheck.tokens(b), PeerCheck.tokens(a));
            cb = s.selfCheck(List.of(b)).await().atMost(WAIT).get(0);
            lb = b.logProb();
        }
        assertEquals(cb, ca, 1e-3);
        assertEquals(lb, a.logProb(), 1e-2);
    }

    @Test
    void searchesFreeEverySequenceTheyHeld() {
        int[] ids = peer.runner().encode(rendered);
        peer.clearPrefixCache();
        assertEquals(0, peer.kvStats().usedBlocks());
        for (String strategy : List.of("best-of-n", "beam")) {
            SearchConfig cfg = SearchConfig.builder().budget(4).seed(3).temperature(1.0).maxStepTokens(24)
                    .maxChainTokens(64).maxDepth(3).build();
            List<SearchEvent> events;
            try (SearchSession m = peer.openSession(ids)) {
                events = Searches.run(strategy, new Problem("t", rendered), cfg, m).collect().asList().await().atMost(WAIT);
            }
            SearchResult result = ResultChecks.assertSound(strategy, cfg, events);
            assertTrue(result.usage().selfChecks() > 0, strategy + " self-checks");
            // the session's branches went back (kept ones hold the prompt's cells); dropping the kept ones empties the cache
            peer.clearPrefixCache();
            assertEquals(0, peer.kvStats().usedBlocks(), strategy);
        }
    }
}

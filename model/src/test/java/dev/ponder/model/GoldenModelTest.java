package dev.ponder.model;

import static dev.ponder.model.GoldenFixture.ints;
import static dev.ponder.model.GoldenFixture.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime against logits and greedy continuations computed by Hugging Face transformers
 * (src/test/resources/golden/README.md): every logit within 1e-4, every greedy token exact,
 * alone and batched with sequences of other lengths, with and without the KV cache.
 */
class GoldenModelTest {

    static final double TOLERANCE = 1e-4;
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static float[] logits(Transformer model, List<SequenceInput> seqs, ForwardBatch.Logits mode, KvPool kv) {
        try (NDManager scope = manager.newSubManager()) {
            return model.forward(scope, new ForwardBatch(seqs, mode), kv).toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2-bias"})
    void singleSequenceLogits(String name) {
        GoldenFixture f = GoldenFixture.load(name);
        Transformer model = f.transformer(manager);
        JsonNode single = f.golden().get("single");
        int[] ids = ints(single.get("input_ids"));
        float[] out = logits(model, List.of(SequenceInput.uncached(ids)), ForwardBatch.Logits.ALL, null);
        double err = maxAbsDiff(single.get("logits"), out, 0, f.config().vocabSize());
        assertTrue(err <= TOLERANCE, name + " single: max abs error " + err);
    }

    /**
     * Half precision ({@code ponder.model.dtype=float16}, the default on CUDA): weights, activations and the KV
     * cache in float16, RMSNorm and softmax in float32. Against the same float32 golden logits (they span about
     * -6 to 6), every logit stays within {@value #HALF_TOLERANCE}, under 1% of that range (measured: 0.044 for
     * llama-gqa, 0.020 for qwen2-bias; float16 keeps 11 significant bits), and the top token of every position is
     * the golden one wherever the golden top two differ by more than twice that.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2-bias"})
    void halfPrecisionStaysCloseToTheFloat32Golden(String name) {
        GoldenFixture f = GoldenFixture.load(name);
        Transformer model = new Transformer(f.config(), dev.ponder.model.checkpoint.WeightsLoader.load(
                f.dir(), f.config(), manager, ai.djl.ndarray.types.DataType.FLOAT16));
        assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, model.dtype());
        JsonNode single = f.golden().get("single");
        int[] ids = ints(single.get("input_ids"));
        float[] out = logits(model, List.of(SequenceInput.uncached(ids)), ForwardBatch.Logits.ALL, null);
        int vocab = f.config().vocabSize();
        double err = maxAbsDiff(single.get("logits"), out, 0, vocab);
        assertTrue(err <= HALF_TOLERANCE, name + " float16: max abs error " + err);
        JsonNode golden = single.get("logits");
        for (int pos = 0; pos < ids.length; pos++) {
            int want = 0;
            int got = 0;
            double first = Double.NEGATIVE_INFINITY;
            double second = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                double g = golden.get(pos).get(v).asDouble();
                if (g > first) {
                    second = first;
                    first = g;
                    want = v;
                } else if (g > second) {
                    second = g;
                }
                if (out[pos * vocab + v] > out[pos * vocab + got]) {
                    got = v;
                }
            }
            if (first - second > 2 * HALF_TOLERANCE) {
                assertEquals(want, got, name + " float16: top token at position " + pos);
            }
        }
    }

    static final double HALF_TOLERANCE = 0.1;

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2-bias"})
    void paddedBatchLogitsOfBothLayouts(String name) {
        GoldenFixture f = GoldenFixture.load(name);
        Transformer model = f.transformer(manager);
        int vocab = f.config().vocabSize();
        for (String layout : List.of("right_padding", "left_padding")) {
            JsonNode b = f.golden().get("batch").get(layout);
            // the real tokens of each padded row, run together as one ragged batch
            List<SequenceInput> seqs = new ArrayList<>();
            for (int r = 0; r < b.get("input_ids").size(); r++) {
                int[] row = ints(b.get("input_ids").get(r));
                JsonNode span = b.get("real_token_span_per_row").get(r);
                seqs.add(SequenceInput.uncached(java.util.Arrays.copyOfRange(row, span.get(0).asInt(), span.get(1).asInt())));
            }
            float[] out = logits(model, seqs, ForwardBatch.Logits.ALL, null);
            int offset = 0;
            for (int r = 0; r < seqs.size(); r++) {
                double err = maxAbsDiff(b.get("logits_per_row").get(r), out, offset, vocab);
                assertTrue(err <= TOLERANCE, name + " " + layout + " row " + r + ": max abs error " + err);
                offset += seqs.get(r).tokens().length;
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"llama-gqa, TORCH", "qwen2-bias, TORCH", "llama-gqa, JAVA", "qwen2-bias, JAVA"})
    void cachedPrefillInChunksMatchesSingleLogits(String name, Kernel kernel) {
        GoldenFixture f = GoldenFixture.load(name);
        Transformer model = f.transformer(manager).withKernel(kernel);
        JsonNode single = f.golden().get("single");
        int[] ids = ints(single.get("input_ids"));
        // prefill the first 10 tokens, then the remaining 14 attend to them through the cache;
        // any slot order works: the cache is addressed by slot
        int[] slots = new int[ids.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = 63 - i;
        }
        double err = prefillInTwoChunks(f, model, ids, 10, slots, 64, 1);
        assertTrue(err <= TOLERANCE, name + " " + kernel + " chunked cached prefill: max abs error " + err);
    }

    /** Max error of the golden single logits when {@code ids} run in two cached chunks over {@code slots}. */
    static double prefillInTwoChunks(GoldenFixture f, Transformer model, int[] ids, int split, int[] slots,
                                     int poolSlots, int blockSize) {
        int vocab = f.config().vocabSize();
        try (KvPool kv = model.newKvPool(manager, poolSlots, blockSize)) {
            float[] a = logits(model, List.of(new SequenceInput(java.util.Arrays.copyOf(ids, split), 0,
                    java.util.Arrays.copyOf(slots, split))), ForwardBatch.Logits.ALL, kv);
            float[] b = logits(model, List.of(new SequenceInput(java.util.Arrays.copyOfRange(ids, split, ids.length),
                    split, slots)), ForwardBatch.Logits.ALL, kv);
            float[] all = new float[ids.length * vocab];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return maxAbsDiff(f.golden().get("single").get("logits"), all, 0, vocab);
        }
    }

    @ParameterizedTest
    @CsvSource({"llama-gqa, TORCH", "qwen2-bias, TORCH", "llama-gqa, JAVA", "qwen2-bias, JAVA"})
    void pagedContextGatheredByBlocksMatchesSingleLogits(String name, Kernel kernel) {
        GoldenFixture f = GoldenFixture.load(name);
        Transformer model = f.transformer(manager).withKernel(kernel);
        JsonNode single = f.golden().get("single");
        int[] ids = ints(single.get("input_ids"));
        // blocks of 4 slots, handed out out of order, as a paged cache does; prefill 9 tokens, then the rest
        int[] blockOrder = {5, 0, 7, 2, 9, 3};
        int[] slots = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            slots[p] = blockOrder[p / 4] * 4 + p % 4;
        }
        double err = prefillInTwoChunks(f, model, ids, 9, slots, 40, 4);
        assertTrue(err <= TOLERANCE, name + " " + kernel + " paged prefill: max abs error " + err);
    }

    @ParameterizedTest
    @CsvSource({"llama-gqa, TORCH", "qwen2-bias, TORCH", "llama-gqa, JAVA", "qwen2-bias, JAVA"})
    void greedyContinuationAloneAndBatched(String name, Kernel kernel) {
        GoldenFixture f = GoldenFixture.load(name);
        Transformer model = f.transformer(manager).withKernel(kernel);
        JsonNode greedy = f.golden().get("greedy");
        int[] prompt = ints(f.golden().get("single").get("input_ids"));   // greedy.prompt names single.input_ids
        int[] expected = ints(greedy.get("new_tokens"));
        Generator gen = new Generator(model, manager);
        var alone = gen.generate(List.of(prompt), expected.length, SamplingParams.greedy(), null);
        assertArrayEquals(expected, alone.get(0).tokens(), name + " unbatched greedy");
        // batched with two sequences of other lengths
        int[] shorter = java.util.Arrays.copyOf(prompt, 7);
        int[] other = ints(f.golden().get("batch").get("right_padding").get("input_ids").get(1));
        var batched = gen.generate(List.of(shorter, prompt, other), expected.length, SamplingParams.greedy(), null);
        assertArrayEquals(expected, batched.get(1).tokens(), name + " batched greedy");
        var shortAlone = gen.generate(List.of(shorter), expected.length, SamplingParams.greedy(), null);
        assertArrayEquals(shortAlone.get(0).tokens(), batched.get(0).tokens(), name + " batch neighbour unaffected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"len40", "len17", "len12"})
    void dynamicNtkRope(String caseName) {
        GoldenFixture f = GoldenFixture.load("llama-dynamic-rope");
        assertEquals(RopeScaling.Type.DYNAMIC, f.config().ropeScaling().type());
        Transformer model = f.transformer(manager);
        for (JsonNode c : f.golden().get("cases")) {
            if (!c.get("name").asText().equals(caseName)) {
                continue;
            }
            int[] ids = ints(c.get("input_ids"));
            float[] inv = new Rope(f.config()).invFreqFor(ids.length);
            for (int i = 0; i < inv.length; i++) {
                double want = c.get("rope_inv_freq_used_layer0").get(i).asDouble();
                assertEquals(want, inv[i], Math.abs(want) * 1e-6, "inv_freq[" + i + "]");
            }
            float[] out = logits(model, List.of(SequenceInput.uncached(ids)), ForwardBatch.Logits.ALL, null);
            double err = maxAbsDiff(c.get("logits"), out, 0, f.config().vocabSize());
            assertTrue(err <= TOLERANCE, caseName + ": max abs error " + err);
            // the Java kernel, in one cached pass
            Transformer onJava = model.withKernel(Kernel.JAVA);
            int[] slots = java.util.stream.IntStream.range(0, ids.length).toArray();
            try (KvPool kv = onJava.newKvPool(manager, ids.length, 1)) {
                float[] host = logits(onJava, List.of(new SequenceInput(ids, 0, slots)), ForwardBatch.Logits.ALL, kv);
                double hostErr = maxAbsDiff(c.get("logits"), host, 0, f.config().vocabSize());
                assertTrue(hostErr <= TOLERANCE, caseName + " on the Java kernel: max abs error " + hostErr);
            }
            return;
        }
        throw new AssertionError("no case " + caseName);
    }
}

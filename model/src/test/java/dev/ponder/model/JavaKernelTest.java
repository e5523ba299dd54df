package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java kernel against the torch kernel on the embedded model (the golden tests hold both to Hugging Face's
 * logits on small fixtures; this covers what only a bigger model reaches): batches big enough to split into one
 * sub-batch per core, branches sharing a paged prefix, a branch attending to blocks another sequence writes in
 * the same pass, copy-on-write of slots, and which kernel {@code auto} picks.
 */
class JavaKernelTest {

    static final double TOLERANCE = 1e-4;
    static final int BLOCK = 16;
    static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Path.of("src/main/resources/models/ponder-tiny"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Logits of one pass of {@code seqs} on {@code t}, with every pool prepared by {@code prefill}. */
    static float[] run(Transformer t, List<List<SequenceInput>> passes, ForwardBatch.Logits mode) {
        try (NDManager m = model.manager().newSubManager(); KvPool kv = t.newKvPool(m, 64 * BLOCK, BLOCK)) {
            float[] last = null;
            for (List<SequenceInput> pass : passes) {
                try (NDManager scope = m.newSubManager()) {
                    last = t.forward(scope, new ForwardBatch(pass, mode), kv).toFloatArray();
                }
            }
            return last;
        }
    }

    static void assertSame(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": logits rows");
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= TOLERANCE, what + ": max abs difference " + err);
    }

    static int[] tokens(SplittableRandom r, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 5 + r.nextInt(model.config().vocabSize() - 5);
        }
        return t;
    }

    /** Slots of a sequence whose first {@code shared} blocks are the prompt's and the rest are its own blocks. */
    static int[] slots(int shared, int ownFirstBlock, int length) {
        int[] s = new int[length];
        for (int p = 0; p < length; p++) {
            int block = p / BLOCK < shared ? p / BLOCK : ownFirstBlock + p / BLOCK - shared;
            s[p] = block * BLOCK + p % BLOCK;
        }
        return s;
    }

    @Test
    void branchesOverASharedPrefixMatchTorchInOnePassSplitAcrossCores() {
        SplittableRandom r = new SplittableRandom(7);
        int[] prompt = tokens(r, 3 * BLOCK);
        List<SequenceInput> prefill = List.of(new SequenceInput(prompt, 0, slots(3, 3, prompt.length)));
        // 8 branches over the shared 48-token prompt, each with its own suffix of 1 to 20 new tokens
        List<SequenceInput> branches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            int[] suffix = tokens(r, 1 + r.nextInt(20));
            int length = prompt.length + suffix.length;
            branches.add(new SequenceInput(suffix, prompt.length, slots(3, 3 + 2 * b, length)));
        }
        for (ForwardBatch.Logits mode : ForwardBatch.Logits.values()) {
            float[] torch = run(model.transformer(), List.of(prefill, branches), mode);
            float[] java = run(model.transformer().withKernel(Kernel.JAVA), List.of(prefill, branches), mode);
            assertSame(torch, java, "8 branches, " + mode);
        }
    }

    @Test
    void branchesReadingSharedBlocksTogetherGetTheBitsOfEachAlone() {
        // block-by-block attention shares the reads of a prefix between branches, never the arithmetic: a pass of
        // 8 branches gives each branch exactly the logits of a pass of that branch alone
        SplittableRandom r = new SplittableRandom(5);
        int[] prompt = tokens(r, 5 * BLOCK + 3);
        Transformer kernel = model.transformer().withKernel(Kernel.JAVA);
        List<SequenceInput> branches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            int[] suffix = tokens(r, 1 + r.nextInt(6));
            int length = prompt.length + suffix.length;
            branches.add(new SequenceInput(suffix, prompt.length, slots(5, 6 + 2 * b, length)));
        }
        try (NDManager m = model.manager().newSubManager(); KvPool kv = kernel.newKvPool(m, 64 * BLOCK, BLOCK)) {
            // the prompt's last 3 tokens are in block 5, which each branch then writes a copy of: shared are 0-4
            try (NDManager s = m.newSubManager()) {
                kernel.forward(s, new ForwardBatch(List.of(new SequenceInput(prompt, 0, slots(5, 5, prompt.length))),
                        ForwardBatch.Logits.LAST), kv);
                for (int b = 0; b < 8; b++) {
                    int[] from = new int[3];
                    int[] to = new int[3];
                    for (int i = 0; i < 3; i++) {
                        from[i] = 5 * BLOCK + i;
                        to[i] = (6 + 2 * b) * BLOCK + i;
                    }
                    kv.copySlots(from, to);
                }
            }
            float[] together;
            try (NDManager s = m.newSubManager()) {
                together = kernel.forward(s, new ForwardBatch(branches, ForwardBatch.Logits.LAST), kv).toFloatArray();
            }
            int vocab = model.config().vocabSize();
            for (int b = 0; b < 8; b++) {
                float[] alone;
                try (NDManager s = m.newSubManager()) {
                    alone = kernel.forward(s, new ForwardBatch(List.of(branches.get(b)), ForwardBatch.Logits.LAST), kv)
                            .toFloatArray();
                }
                assertArrayEquals(alone,
                        Arrays.copyOfRange(together, b * vocab, (b + 1) * vocab), "branch " + b);
            }
        }
    }

    @Test
    void aBranchReadingBlocksWrittenInTheSamePassSeesThem() {
        SplittableRandom r = new SplittableRandom(11);
        int[] first = tokens(r, 2 * BLOCK);
        int[] next = tokens(r, BLOCK);
        // sequence 0 writes its blocks 0 and 1 in this pass; sequence 1 (and 2, 3) attend to block 0 as context
        List<SequenceInput> pass = new ArrayList<>();
        pass.add(new SequenceInput(first, 0, slots(2, 2, first.length)));
        for (int b = 0; b < 3; b++) {
            pass.add(new SequenceInput(next, BLOCK, slots(1, 10 + b, 2 * BLOCK)));
        }
        float[] torch = run(model.transformer(), List.of(pass), ForwardBatch.Logits.ALL);
        float[] java = run(model.transformer().withKernel(Kernel.JAVA), List.of(pass), ForwardBatch.Logits.ALL);
        assertSame(torch, java, "reading blocks written in the same pass");
    }

    @Test
    void copiedSlotsCarryKeysAndValues() {
        SplittableRandom r = new SplittableRandom(3);
        int[] prompt = tokens(r, BLOCK + 5);
        int[] next = tokens(r, 2);
        for (Kernel k : Kernel.values()) {
            Transformer t = model.transformer().withKernel(k);
            try (NDManager m = model.manager().newSubManager(); KvPool kv = t.newKvPool(m, 8 * BLOCK, BLOCK)) {
                int[] slots = slots(2, 2, prompt.length + next.length);
                try (NDManager s = m.newSubManager()) {
                    t.forward(s, new ForwardBatch(List.of(new SequenceInput(prompt, 0,
                            java.util.Arrays.copyOf(slots, prompt.length))), ForwardBatch.Logits.LAST), kv);
                }
                // copy-on-write of the partly filled second block into block 5, then continue from the copy
                int[] from = new int[5];
                int[] to = new int[5];
                for (int i = 0; i < 5; i++) {
                    from[i] = BLOCK + i;
                    to[i] = 5 * BLOCK + i;
                }
                kv.copySlots(from, to);
                int[] moved = slots.clone();
                for (int p = BLOCK; p < moved.length; p++) {
                    moved[p] = 5 * BLOCK + p - BLOCK;
                }
                float[] viaCopy;
                float[] direct;
                try (NDManager s = m.newSubManager()) {
                    viaCopy = t.forward(s, new ForwardBatch(List.of(new SequenceInput(next, prompt.length, moved)),
                            ForwardBatch.Logits.ALL), kv).toFloatArray();
                    direct = t.forward(s, new ForwardBatch(List.of(new SequenceInput(next, prompt.length, slots)),
                            ForwardBatch.Logits.ALL), kv).toFloatArray();
                }
                assertSame(direct, viaCopy, k + ": continuing from copied slots");
            }
        }
    }

    @Test
    void autoPicksJavaForSmallFloat32ModelsOnACpuOnly() {
        ModelConfig c = model.config();
        assertEquals(Kernel.JAVA, Kernel.resolve("auto", Device.cpu(), DataType.FLOAT32, c));
        assertEquals(Kernel.TORCH, Kernel.resolve("auto", Device.cpu(), DataType.FLOAT16, c));
        assertEquals(Kernel.TORCH, Kernel.resolve("auto", Device.gpu(), DataType.FLOAT32, c));
        assertEquals(Kernel.TORCH, Kernel.resolve("torch", Device.cpu(), DataType.FLOAT32, c));
        ModelConfig big = InternLm3Shapes.EIGHT_B;
        assertEquals(Kernel.TORCH, Kernel.resolve("auto", Device.cpu(), DataType.FLOAT32, big));
        var gpu = assertThrows(IllegalArgumentException.class, () -> Kernel.resolve("java", Device.gpu(), DataType.FLOAT16, c));
        assertTrue(gpu.getMessage().contains("ponder.model.kernel=torch"), gpu.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Kernel.resolve("cuda", Device.cpu(), DataType.FLOAT32, c));
        assertTrue(unknown.getMessage().contains("auto, torch or java"), unknown.getMessage());
        // a pool of the Java kernel handed to a torch transformer is refused, not misread
        try (KvPool host = model.transformer().withKernel(Kernel.JAVA).newKvPool(model.manager(), BLOCK, BLOCK)) {
            assertThrows(IllegalArgumentException.class, () -> model.transformer().forward(model.manager(),
                    new ForwardBatch(List.of(new SequenceInput(new int[] {5}, 0, new int[] {0})), ForwardBatch.Logits.LAST),
                    host));
        }
    }
}

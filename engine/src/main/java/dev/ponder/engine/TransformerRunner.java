package dev.ponder.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.engine.kv.KvExhaustedException;
import dev.ponder.engine.kv.KvMemory;
import dev.ponder.engine.kv.KvSequence;
import dev.ponder.engine.kv.KvStats;
import dev.ponder.engine.kv.SlotCopy;
import dev.ponder.model.ForwardBatch;
import dev.ponder.model.KvPool;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.PromptProfile;
import dev.ponder.model.SequenceInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * ponder's own model as a {@link ModelRunner}: the transformer's cached forward pass over a paged KV pool,
 * with block tables, copy-on-write and the prefix cache of {@link KvMemory}. The KV budget of the engine's
 * config sets the number of blocks.
 */
public final class TransformerRunner implements ModelRunner {

    /** A sequence of the paged memory. */
    private record Paged(KvSequence kv) implements Sequence {
        @Override
        public int length() {
            return kv.length();
        }

        @Override
        public int token(int position) {
            return kv.token(position);
        }

        @Override
        public int[] tokens() {
            return kv.tokens();
        }

        @Override
        public boolean isReleased() {
            return kv.isReleased();
        }
    }

    private final LanguageModel model;
    private final NDManager manager;
    private final KvPool pool;
    private final KvMemory memory;
    private final AtomicReferenceArray<String> pieces;
    /** Copy-on-write rows of admitted prompts, applied before the next pass (scheduler thread only). */
    private final List<SlotCopy> pendingCopies = new ArrayList<>();

    public TransformerRunner(LanguageModel model, EngineConfig config) {
        this.model = model;
        ModelConfig c = model.config();
        long bytesPerSlot = 2L * c.numLayers() * c.kvWidth() * model.transformer().dtype().getNumOfBytes();
        int blocks = (int) Math.max(1, config.kvBudgetBytes() / (bytesPerSlot * config.blockSize()));
        this.manager = model.manager().newSubManager();
        this.pool = model.transformer().newKvPool(manager, blocks * config.blockSize(), config.blockSize());
        this.memory = new KvMemory(blocks, config.blockSize());
        this.pieces = new AtomicReferenceArray<>(c.vocabSize());
    }

    public LanguageModel model() {
        return model;
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public PromptProfile profile() {
        return model.profile();
    }

    @Override
    public int[] encode(String text) {
        return model.tokenizer().encode(text);
    }

    @Override
    public String decode(int[] tokens) {
        return model.tokenizer().decode(tokens, true);
    }

    @Override
    public String piece(int token) {
        String s = pieces.get(token);
        if (s == null) {
            s = model.tokenizer().decode(new int[] {token});
            pieces.set(token, s);
        }
        return s;
    }

    @Override
    public boolean isEos(int token) {
        return model.generation().isEos(token);
    }

    @Override
    public Admission admit(int[] prompt) throws KvExhaustedException {
        KvMemory.Admission a = memory.newSequence(prompt);
        pendingCopies.addAll(a.copies());
        return new Admission(new Paged(a.sequence()), a.cachedTokens());
    }

    @Override
    public Sequence empty() {
        return new Paged(memory.emptySequence());
    }

    @Override
    public Sequence fork(Sequence parent) {
        return new Paged(kv(parent).fork());
    }

    @Override
    public void truncate(Sequence sequence, int length) {
        kv(sequence).truncate(length);
    }

    @Override
    public void release(Sequence sequence) {
        kv(sequence).release();
    }

    @Override
    public void keep(Sequence sequence) {
        memory.cache(kv(sequence));   // its full blocks stay for later requests
    }

    @Override
    public void clearKept() {
        memory.clearCache();
    }

    @Override
    public Pass forward(List<Feed> feeds) {
        boolean[] admitted = new boolean[feeds.size()];
        List<SequenceInput> inputs = new ArrayList<>();
        List<SlotCopy> copies = new ArrayList<>(pendingCopies);
        pendingCopies.clear();
        for (int i = 0; i < feeds.size(); i++) {
            Feed f = feeds.get(i);
            KvSequence.Append a;
            try {
                a = kv(f.sequence()).append(f.tokens());
            } catch (KvExhaustedException e) {
                continue;   // waits for memory freed by others
            }
            copies.addAll(a.copies());
            inputs.add(new SequenceInput(f.tokens(), a.start(), a.slots()));
            admitted[i] = true;
        }
        int copied = 0;
        if (!copies.isEmpty()) {
            int[] from = copies.stream().flatMapToInt(c -> Arrays.stream(c.from())).toArray();
            int[] to = copies.stream().flatMapToInt(c -> Arrays.stream(c.to())).toArray();
            pool.copySlots(from, to);
            copied = from.length;
        }
        if (inputs.isEmpty()) {
            return new Pass(admitted, new float[0], copied);
        }
        try (NDManager scope = manager.newSubManager()) {
            float[] logits = model.transformer().forward(scope, new ForwardBatch(inputs, ForwardBatch.Logits.LAST), pool)
                    .toType(DataType.FLOAT32, false).toFloatArray();   // [admitted feeds * vocab]
            return new Pass(admitted, logits, copied);
        }
    }

    @Override
    public KvStats kvStats() {
        return memory.stats();
    }

    @Override
    public void close() {
        pool.close();
        manager.close();
    }

    private static KvSequence kv(Sequence s) {
        return ((Paged) s).kv();
    }
}

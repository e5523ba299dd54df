package dev.ponder.engine;

import dev.ponder.engine.kv.KvMemory;
import dev.ponder.engine.kv.KvSequence;
import dev.ponder.engine.kv.SlotCopy;
import dev.ponder.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** What tasks need from the engine on the scheduler thread: memory, the tokenizer's view of tokens, counters. */
final class EngineCore {

    final LanguageModel model;
    final KvMemory memory;
    final EngineConfig config;
    final EngineMetrics metrics;
    private final AtomicReferenceArray<String> pieces;

    EngineCore(LanguageModel model, KvMemory memory, EngineConfig config, EngineMetrics metrics) {
        this.model = model;
        this.memory = memory;
        this.config = config;
        this.metrics = metrics;
        this.pieces = new AtomicReferenceArray<>(model.config().vocabSize());
    }

    /** Copy-on-write row copies to apply to the KV cache before the next pass (scheduler thread only). */
    private final List<SlotCopy> pendingCopies = new ArrayList<>();

    /** Queues copies that must land before the next pass (an admitted prompt's copy-on-write of a cached block). */
    void deferCopies(List<SlotCopy> copies) {
        pendingCopies.addAll(copies);
    }

    /** The queued copies, oldest first; the queue is empty afterwards. */
    List<SlotCopy> takeCopies() {
        List<SlotCopy> out = List.copyOf(pendingCopies);
        pendingCopies.clear();
        return out;
    }

    /** A child of {@code parent}: shares its blocks, or in the naive engine starts empty. */
    KvSequence fork(KvSequence parent) {
        return config.sharing() ? parent.fork() : memory.emptySequence();
    }

    /** Tokens a child from {@link #fork} must compute again before its own: none when blocks are shared. */
    int[] recomputeFor(KvSequence parent) {
        return config.sharing() ? new int[0] : parent.tokens();
    }

    void release(KvSequence seq) {
        if (!seq.isReleased()) {
            seq.release();
        }
    }

    boolean isEos(int token) {
        return model.generation().isEos(token);
    }

    /** The text one token decodes to on its own (cached). */
    String pieceText(int token) {
        String s = pieces.get(token);
        if (s == null) {
            s = model.tokenizer().decode(new int[] {token});
            pieces.set(token, s);
        }
        return s;
    }

    String decode(int[] tokens) {
        return model.tokenizer().decode(tokens, true);
    }
}

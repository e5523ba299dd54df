package dev.ponder.engine;

import dev.ponder.engine.kv.KvMemory;
import dev.ponder.model.LanguageModel;
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

    /** Copy-on-write row copies to apply to the KV tensors before the next pass. */
    final java.util.List<dev.ponder.engine.kv.SlotCopy> pendingCopies = new java.util.ArrayList<>();

    /** A child of {@code parent}: shares its blocks, or in the naive engine starts empty. */
    dev.ponder.engine.kv.KvSequence fork(dev.ponder.engine.kv.KvSequence parent) {
        return config.sharing() ? parent.fork() : memory.emptySequence();
    }

    /** Tokens a child from {@link #fork} must compute again before its own: none when blocks are shared. */
    int[] recomputeFor(dev.ponder.engine.kv.KvSequence parent) {
        return config.sharing() ? new int[0] : parent.tokens();
    }

    void release(dev.ponder.engine.kv.KvSequence seq) {
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

package dev.ponder.engine;

import dev.ponder.engine.ModelRunner.Sequence;

/**
 * One node of a search tree as the engine holds it: the KV-cached tokens of its whole chain (prompt and
 * steps), tokens known but not yet run, and, once settled, the logits for its next token. Children fork
 * its {@link Sequence}, sharing every key and value. Mutated only on the scheduler thread.
 */
final class Branch {

    Sequence seq;
    int[] pending;
    float[] nextLogits;
    /** Tokens generated along the chain so far (prompt excluded), for the chain length limit. */
    int generated;
    boolean released;
    /** Search nodes that map to this branch (identical chains share one); released when it reaches 0. */
    int holds = 1;
    /** The chain's last step ended at end-of-sequence rather than its delimiter (a final answer line). */
    boolean endedAtEos;

    Branch(Sequence seq, int[] pending, int generated) {
        this.seq = seq;
        this.pending = pending;
        this.generated = generated;
    }

    boolean settled() {
        return pending.length == 0 && nextLogits != null;
    }
}

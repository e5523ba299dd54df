package dev.ponder.engine;

import dev.ponder.engine.ModelRunner.Sequence;

/**
 * One sequence's share of the next forward pass: tokens to feed on a runner {@link Sequence}. After the pass the
 * scheduler hands the lane the logits row of its last fed token.
 */
abstract class Lane {

    Sequence seq;
    /** Tokens still to feed; the scheduler takes a chunk of them per pass. */
    int[] feed = new int[0];
    int fed;
    /** Tokens a naive (non-sharing) lane must recompute before its first feed. */
    private int[] recompute = new int[0];

    Lane(Sequence seq) {
        this.seq = seq;
    }

    boolean wantsPass() {
        return fed < feed.length;
    }

    int remaining() {
        return feed.length - fed;
    }

    void setFeed(int... tokens) {
        if (recompute.length > 0) {
            int[] all = new int[recompute.length + tokens.length];
            System.arraycopy(recompute, 0, all, 0, recompute.length);
            System.arraycopy(tokens, 0, all, recompute.length, tokens.length);
            tokens = all;
            recompute = new int[0];
        }
        this.feed = tokens;
        this.fed = 0;
    }

    /** Makes the next feed start with {@code tokens} (the naive engine recomputes a forked prefix). */
    void recompute(int[] tokens) {
        this.recompute = tokens;
    }

    /** Called after a pass that fed this lane's last pending token (rows of earlier chunks are not reported). */
    abstract void onLogits(float[] logits, int offset, int vocab);
}

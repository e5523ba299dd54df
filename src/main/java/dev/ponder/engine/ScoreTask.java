package dev.ponder.engine;

import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-evaluation without re-prefill: the verification suffix is appended to a fork of each branch's
 * cached chain, so only the suffix is computed; the score is P(yes) / (P(yes) + P(no)) at the next token.
 */
final class ScoreTask extends Task<List<Double>> {

    private final List<Branch> branches;
    private final int[] suffix;
    private final int[] delimiter;
    private final int yes;
    private final int no;
    private final List<ScoreLane> lanes = new ArrayList<>();

    /**
     * @param delimiter tokens of the step delimiter, fed before the suffix when a chain's last step ended at
     *                  end-of-sequence, so the question always follows a complete step line
     */
    ScoreTask(long request, UniEmitter<? super List<Double>> emitter, List<Branch> branches, int[] suffix,
              int[] delimiter, int yes, int no) {
        super(request, emitter);
        this.delimiter = delimiter;
        this.branches = branches;
        this.suffix = suffix;
        this.yes = yes;
        this.no = no;
    }

    private final class ScoreLane extends Lane {
        double score = Double.NaN;
        boolean finished;
        final EngineCore core;

        ScoreLane(EngineCore core, Branch b) {
            super(core.fork(b.seq));
            this.core = core;
            recompute(core.recomputeFor(b.seq));
            int[] sep = b.endedAtEos ? delimiter : new int[0];
            int[] feed = new int[b.pending.length + sep.length + suffix.length];
            System.arraycopy(b.pending, 0, feed, 0, b.pending.length);
            System.arraycopy(sep, 0, feed, b.pending.length, sep.length);
            System.arraycopy(suffix, 0, feed, b.pending.length + sep.length, suffix.length);
            setFeed(feed);
        }

        @Override
        void onLogits(float[] logits, int offset, int vocab) {
            double ly = logits[offset + yes];
            double ln = logits[offset + no];
            double m = Math.max(ly, ln);
            score = Math.exp(ly - m) / (Math.exp(ly - m) + Math.exp(ln - m));
            finished = true;
            core.release(seq);     // the suffix is scratch: give its blocks back at once
        }
    }

    @Override
    void start(EngineCore core) {
        for (Branch b : branches) {
            if (b.released) {
                throw new IllegalStateException("self-check of a released branch");
            }
            lanes.add(new ScoreLane(core, b));
        }
    }

    @Override
    List<? extends Lane> lanes() {
        return lanes.stream().filter(l -> !l.finished).toList();
    }

    @Override
    boolean done() {
        return lanes.stream().allMatch(l -> l.finished);
    }

    @Override
    List<Double> result() {
        return lanes.stream().map(l -> l.score).toList();
    }

    @Override
    void releaseAll(EngineCore core) {
        for (ScoreLane l : lanes) {
            if (!l.finished) {
                core.release(l.seq);
            }
        }
    }
}

package dev.ponder.engine;

import dev.ponder.engine.ModelRunner.Sequence;
import dev.ponder.model.Sampler;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Self-evaluation without re-prefill: the verification suffix is appended to a fork of each chain's cached
 * tokens, so only the suffix is computed; the score is P(yes) / (P(yes) + P(no)) at the next token.
 *
 * <p>A generative check ({@code reasoningTokens} > 0) lets the model work before its verdict, as generative
 * verifiers do (Zhang et al. 2024): it writes greedily, a token per pass batched with everything else, until it
 * starts a line (the first position, or right after a token that ends in a newline) with {@code yes} or {@code no}
 * as its most likely token; the score is read there. After {@code reasoningTokens} written tokens it is read at the
 * next position whatever the model would write. A model trained to answer at once answers at the first position,
 * so step lines cost what they did; only what it learned to recompute (a boxed answer, say) costs more.
 *
 * <p>Each chain is looked up when the task starts, on the scheduler thread, so a chain whose own branch was
 * released in the meantime (a rollout's intermediate step, say) is still scored: from a live branch that
 * extends it, cut back to its length, or from its longest live ancestor. An answer check
 * ({@link SearchSession#checkPrompts}) starts instead from a new sequence for its own question, with no suffix.
 */
final class ScoreTask extends Task<List<Double>> {

    /**
     * Where one self-check starts: a sequence the check owns (a fork, already cut to the chain), the chain's
     * tokens it does not hold yet, and whether the chain's last step ended at end-of-sequence.
     */
    record Start(Sequence seq, int[] rest, boolean endedAtEos) {
    }

    private final List<Supplier<Start>> starts;
    private final int[] suffix;
    private final int[] delimiter;
    private final int yes;
    private final int no;
    private final int reasoningTokens;
    private final BitSet lineEnds;
    private final List<ScoreLane> lanes = new ArrayList<>();

    /**
     * @param starts    where each check starts, one per chain or answer (run on the scheduler thread, at start)
     * @param delimiter tokens of the step delimiter, fed before the suffix when a chain's last step ended at
     *                  end-of-sequence, so the question always follows a complete step line
     * @param reasoningTokens most tokens the model may write before its verdict (0: the verdict at once)
     * @param lineEnds  the tokens that end a line, after which a verdict may start
     */
    ScoreTask(long request, UniEmitter<? super List<Double>> emitter, List<Supplier<Start>> starts, int[] suffix,
              int[] delimiter, int yes, int no, int reasoningTokens, BitSet lineEnds) {
        super(request, emitter);
        this.starts = List.copyOf(starts);
        this.delimiter = delimiter;
        this.suffix = suffix;
        this.yes = yes;
        this.no = no;
        this.reasoningTokens = reasoningTokens;
        this.lineEnds = lineEnds;
    }

    private final class ScoreLane extends Lane {
        double score = Double.NaN;
        boolean finished;
        final EngineCore core;
        /** Tokens written before the verdict so far, and the last of them (-1: none). */
        int written;
        int last = -1;

        ScoreLane(EngineCore core, Start start) {
            super(start.seq());
            this.core = core;
            int[] sep = start.endedAtEos() ? delimiter : new int[0];
            int[] rest = start.rest();
            int[] feed = new int[rest.length + sep.length + suffix.length];
            System.arraycopy(rest, 0, feed, 0, rest.length);
            System.arraycopy(sep, 0, feed, rest.length, sep.length);
            System.arraycopy(suffix, 0, feed, rest.length + sep.length, suffix.length);
            setFeed(feed);
        }

        @Override
        void onLogits(float[] logits, int offset, int vocab) {
            if (written < reasoningTokens) {
                int next = Sampler.argmax(logits, offset, vocab);
                boolean atLineStart = last < 0 || lineEnds.get(last);
                if (!(atLineStart && (next == yes || next == no))) {
                    // the model's own working: written greedily, then the verdict is looked for again
                    last = next;
                    written++;
                    setFeed(next);
                    return;
                }
            }
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
        for (Supplier<Start> s : starts) {
            lanes.add(new ScoreLane(core, s.get()));
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

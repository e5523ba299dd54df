package dev.ponder.engine;

import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.Arrays;
import java.util.List;

/** Runs a branch's pending tokens (a prompt's prefill, in chunks) so that it holds next-token logits. */
final class SettleTask extends Task<Branch> {

    private final Branch branch;
    private Lane lane;
    private boolean finished;

    SettleTask(long request, UniEmitter<? super Branch> emitter, Branch branch) {
        super(request, emitter);
        this.branch = branch;
    }

    @Override
    void start(EngineCore core) {
        if (branch.settled()) {
            finished = true;
            return;
        }
        if (branch.pending.length == 0) {
            throw new IllegalStateException("a branch with no pending tokens and no logits cannot be settled");
        }
        lane = new Lane(branch.seq) {
            @Override
            void onLogits(float[] logits, int offset, int vocab) {
                branch.nextLogits = Arrays.copyOfRange(logits, offset, offset + vocab);
                branch.pending = new int[0];
                finished = true;
            }
        };
        lane.setFeed(branch.pending);
    }

    @Override
    List<? extends Lane> lanes() {
        return finished || lane == null ? List.of() : List.of(lane);
    }

    @Override
    boolean done() {
        return finished;
    }

    @Override
    Branch result() {
        return branch;
    }

    @Override
    void releaseAll(EngineCore core) {
        // the branch belongs to its session, which releases it
    }
}

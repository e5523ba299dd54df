package dev.ponder.service;

import dev.ponder.search.Chain;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import dev.ponder.search.StepModel;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Injected model-call faults ({@code ponder.faults.*}, off by default), a {@link StepModel} decorator: a search
 * whose prompt holds the fail trigger has its n-th model call fail with {@link InjectedFault}, as a crashed
 * forward pass or a lost model worker would; one whose prompt holds the slow trigger has every call delayed.
 * Every other search gets its model unchanged.
 */
public final class FaultInjector {

    private final boolean enabled;
    private final String failTrigger;
    private final int failAtCall;
    private final String slowTrigger;
    private final Duration delay;

    public FaultInjector(PonderConfig.Faults f) {
        this(f.enabled(), f.failTrigger(), f.failAtCall(), f.slowTrigger(), f.callDelay());
    }

    public FaultInjector(boolean enabled, String failTrigger, int failAtCall, String slowTrigger, Duration delay) {
        if (enabled && (failTrigger.isEmpty() || slowTrigger.isEmpty() || failAtCall < 1 || delay.isNegative())) {
            throw new IllegalArgumentException("ponder.faults needs non-empty triggers, fail-at-call >= 1, call-delay >= 0");
        }
        this.enabled = enabled;
        this.failTrigger = failTrigger;
        this.failAtCall = failAtCall;
        this.slowTrigger = slowTrigger;
        this.delay = delay;
    }

    /** {@code model}, or a faulty decorator of it when faults are on and {@code prompt} holds a trigger. */
    public StepModel wrap(String prompt, StepModel model) {
        if (!enabled || prompt == null) {
            return model;
        }
        boolean fail = prompt.contains(failTrigger);
        boolean slow = prompt.contains(slowTrigger);
        return fail || slow ? new Faulty(model, fail ? failAtCall : 0, slow ? delay : Duration.ZERO) : model;
    }

    /** The failure a faulty model call ends with. */
    public static final class InjectedFault extends RuntimeException {
        public InjectedFault(int call) {
            super("injected failure of model call " + call + " (ponder.faults)");
        }
    }

    /** Passes calls through, each after {@code delay}, until call {@code failAt} (0: never), which fails, as all after it. */
    private static final class Faulty implements StepModel {
        private final StepModel inner;
        private final int failAt;
        private final Duration delay;
        private final AtomicInteger calls = new AtomicInteger();

        Faulty(StepModel inner, int failAt, Duration delay) {
            this.inner = inner;
            this.failAt = failAt;
            this.delay = delay;
        }

        private <T> Uni<T> call(Supplier<Uni<T>> real) {
            int n = calls.incrementAndGet();
            if (failAt > 0 && n >= failAt) {
                return Uni.createFrom().failure(new InjectedFault(n));
            }
            if (delay.isZero()) {
                return real.get();
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(delay).onItem().transformToUni(x -> real.get());
        }

        @Override
        public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
            return call(() -> inner.propose(chain, k, sampling));
        }

        @Override
        public Uni<List<Double>> selfCheck(List<Chain> chains) {
            return call(() -> inner.selfCheck(chains));
        }

        @Override
        public Uni<Chain> complete(Chain chain, Sampling sampling) {
            return call(() -> inner.complete(chain, sampling));
        }

        @Override
        public void release(Chain chain) {
            inner.release(chain);
        }
    }
}

package dev.ponder.backend;

import dev.ponder.config.PonderConfig;
import dev.ponder.reason.Message;
import dev.ponder.search.Chain;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Injected model-call faults ({@code ponder.faults.*}, off by default): a {@link ModelBackend} decorator that
 * {@link Backends} puts around the real backend when faults are switched on. A session whose rendered prompt holds
 * the fail trigger has its n-th model call fail with {@link InjectedFault}, as a crashed forward pass or a lost
 * model worker would; one whose prompt holds the slow trigger has every call delayed. Every other session is the
 * backend's own, unchanged. The rest of the service does not know faults exist.
 */
public final class FaultyBackend implements ModelBackend {

    private final ModelBackend inner;
    private final String failTrigger;
    private final int failAtCall;
    private final String slowTrigger;
    private final Duration delay;

    public FaultyBackend(ModelBackend inner, PonderConfig.Faults f) {
        this(inner, f.failTrigger(), f.failAtCall(), f.slowTrigger(), f.callDelay());
    }

    public FaultyBackend(ModelBackend inner, String failTrigger, int failAtCall, String slowTrigger, Duration delay) {
        if (failTrigger.isEmpty() || slowTrigger.isEmpty() || failAtCall < 1 || delay.isNegative()) {
            throw new IllegalArgumentException("ponder.faults needs non-empty triggers, fail-at-call >= 1, call-delay >= 0");
        }
        this.inner = inner;
        this.failTrigger = failTrigger;
        this.failAtCall = failAtCall;
        this.slowTrigger = slowTrigger;
        this.delay = delay;
    }

    /** {@code backend}, or a faulty decorator of it when {@code ponder.faults.enabled}. */
    public static ModelBackend around(ModelBackend backend, PonderConfig.Faults f) {
        return f.enabled() ? new FaultyBackend(backend, f) : backend;
    }

    @Override
    public BackendStatus status() {
        return inner.status();
    }

    @Override
    public Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP) {
        return inner.open(messages, maxTokens, topP).onItem().transform(this::wrap);
    }

    /** {@code session}, or a faulty decorator of it when its prompt holds a trigger. */
    ModelSession wrap(ModelSession session) {
        String prompt = session.rendered();
        boolean fail = prompt != null && prompt.contains(failTrigger);
        boolean slow = prompt != null && prompt.contains(slowTrigger);
        return fail || slow ? new FaultySession(session, fail ? failAtCall : 0, slow ? delay : Duration.ZERO) : session;
    }

    /** The failure a faulty model call ends with. */
    public static final class InjectedFault extends RuntimeException {
        public InjectedFault(int call) {
            super("injected failure of model call " + call + " (ponder.faults)");
        }
    }

    /** Passes calls through, each after {@code delay}, until call {@code failAt} (0: never), which fails, as all after it. */
    private static final class FaultySession implements ModelSession {
        private final ModelSession inner;
        private final int failAt;
        private final Duration delay;
        private final AtomicInteger calls = new AtomicInteger();

        FaultySession(ModelSession inner, int failAt, Duration delay) {
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
        public boolean checksAnswers() {
            return inner.checksAnswers();
        }

        @Override
        public Uni<List<Double>> checkAnswers(List<String> answers) {
            return call(() -> inner.checkAnswers(answers));
        }

        @Override
        public Uni<Chain> complete(Chain chain, Sampling sampling) {
            return call(() -> inner.complete(chain, sampling));
        }

        @Override
        public void release(Chain chain) {
            inner.release(chain);
        }

        @Override
        public String rendered() {
            return inner.rendered();
        }

        @Override
        public int promptTokens() {
            return inner.promptTokens();
        }

        @Override
        public int chainTokens() {
            return inner.chainTokens();
        }

        @Override
        public String stepDelimiter() {
            return inner.stepDelimiter();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}

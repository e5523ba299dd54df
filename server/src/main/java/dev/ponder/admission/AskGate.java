package dev.ponder.admission;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Every accepted ask passes this gate, whatever endpoint it came through: it holds a {@link Lease} from
 * acceptance to its terminal event. The gate limits the asks one API key may have running at once
 * ({@code ponder.limits.max-asks-per-key}, 429), refuses new asks while the service drains for shutdown
 * (503), and can end the asks still running when the drain time is up, each with one {@code error}.
 */
@ApplicationScoped
public class AskGate {

    private final int maxPerKey;
    private final boolean keyed;
    private final Map<String, Integer> perKey = new HashMap<>();
    private final Set<Lease> running = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    @Inject
    public AskGate(PonderConfig config) {
        this(config.limits().maxAsksPerKey(), config.apiKeys().map(k -> !k.isEmpty()).orElse(false));
    }

    /** @param keyed whether API keys are configured (without them there is no key to count by) */
    public AskGate(int maxPerKey, boolean keyed) {
        if (maxPerKey < 1) {
            throw new IllegalArgumentException("ponder.limits.max-asks-per-key must be >= 1, is " + maxPerKey);
        }
        this.maxPerKey = maxPerKey;
        this.keyed = keyed;
    }

    /** One accepted ask's hold on the gate; released once, on its terminal event. */
    public final class Lease {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile Consumer<ProblemDetail> killer;

        private Lease(String key) {
            this.key = key;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                running.remove(this);
                if (key != null) {
                    synchronized (perKey) {
                        perKey.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
                    }
                }
            }
        }

        /** Ends the ask with {@code problem} (it is released when its stream terminates). */
        void kill(ProblemDetail problem) {
            Consumer<ProblemDetail> k = killer;
            if (k != null) {
                k.accept(problem);
            } else {
                release();
            }
        }
    }

    /**
     * Admits one ask presenting {@code key} (null: none); throws a 503 problem while draining and a 429
     * problem when that key already has {@code max-asks-per-key} asks running.
     */
    public Lease enter(String key) {
        if (draining) {
            throw new ProblemException(ProblemDetail.unavailable("the service is shutting down; retry on another instance"));
        }
        String counted = keyed ? key : null;
        if (counted != null) {
            synchronized (perKey) {
                int n = perKey.getOrDefault(counted, 0);
                if (n >= maxPerKey) {
                    throw new ProblemException(ProblemDetail.overloaded("this API key already has " + n
                            + " asks running; at most " + maxPerKey + " at once (ponder.limits.max-asks-per-key)"));
                }
                perKey.put(counted, n + 1);
            }
        }
        Lease lease = new Lease(counted);
        running.add(lease);
        return lease;
    }

    /**
     * {@code events} holding {@code lease} until they terminate (complete, fail or are cancelled). If the gate
     * kills the lease first, the stream fails with the kill's problem and the inner stream is cancelled.
     */
    public <T> Multi<T> guard(Lease lease, Multi<T> events) {
        return Multi.createFrom().<T>emitter(emitter -> {
            Cancellable inner = events.subscribe().with(emitter::emit, emitter::fail, emitter::complete);
            lease.killer = problem -> {
                inner.cancel();
                emitter.fail(new ProblemException(problem));
            };
            emitter.onTermination(() -> {
                inner.cancel();
                lease.release();
            });
        }).onCancellation().invoke(lease::release);
    }

    /** Asks accepted and not yet ended. */
    public int running() {
        return running.size();
    }

    public boolean draining() {
        return draining;
    }

    /** From now on new asks get 503. */
    public void close() {
        draining = true;
    }

    /** Waits until no ask runs or {@code timeout} passes; true if none runs. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() - giveUp >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Ends every running ask with {@code problem}; returns how many there were. */
    public int killAll(ProblemDetail problem) {
        int n = 0;
        for (Lease lease : running.toArray(Lease[]::new)) {
            lease.kill(problem);
            n++;
        }
        return n;
    }
}

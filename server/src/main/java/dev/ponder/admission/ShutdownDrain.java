package dev.ponder.admission;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown. Before the HTTP server closes its connections (Quarkus' pre-shutdown phase, which fires
 * {@link ShutdownDelayInitiatedEvent} with {@code quarkus.shutdown.delay-enabled}), new asks get 503, running
 * asks get {@code ponder.shutdown.drain-timeout} to finish, and the ones still running then end with one
 * {@code error} (503 "shutting down") that reaches their client before anything is closed. The same drain runs
 * first thing on {@link ShutdownEvent} in case the pre-shutdown phase did not (it then finds nothing to do).
 */
@ApplicationScoped
public class ShutdownDrain {

    private static final Logger LOG = Logger.getLogger(ShutdownDrain.class);
    /** Time for the final error messages to be written once the asks are killed. */
    private static final Duration FLUSH = Duration.ofSeconds(2);

    @Inject
    AskGate gate;

    @Inject
    PonderConfig config;

    void onPreShutdown(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        drain(gate, config.shutdown().drainTimeout());
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) throws InterruptedException {
        drain(gate, config.shutdown().drainTimeout());
    }

    /** Closes {@code gate}, waits up to {@code timeout} for its asks, then ends the rest with an error. */
    static void drain(AskGate gate, Duration timeout) throws InterruptedException {
        gate.close();
        int running = gate.running();
        if (running == 0) {
            return;
        }
        LOG.infof("Shutting down: waiting up to %d ms for %d running asks", timeout.toMillis(), running);
        long t0 = System.nanoTime();
        if (gate.awaitIdle(timeout)) {
            LOG.infof("Shutting down: every ask finished after %d ms", (System.nanoTime() - t0) / 1_000_000);
            return;
        }
        int killed = gate.killAll(ProblemDetail.unavailable("the service is shutting down: the search did not finish within "
                + timeout.toMillis() + " ms (ponder.shutdown.drain-timeout)"));
        boolean flushed = gate.awaitIdle(FLUSH);
        LOG.infof("Shutting down: %d asks still running after %d ms ended with an error%s", killed, timeout.toMillis(),
                flushed ? "" : " (some did not release in time)");
        Thread.sleep(300);   // WebSocket error messages are queued on the connections' event loops: let them go out
    }
}

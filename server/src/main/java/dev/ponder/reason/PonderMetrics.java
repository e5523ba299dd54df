package dev.ponder.reason;

import dev.ponder.backend.Backends;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Gauges for Prometheus ({@code /q/metrics}) of the service layer: model readiness and searches running and
 * waiting (the engine's own gauges come from {@code dev.ponder.local.EngineGauges}). Per-search counters
 * ({@code ponder_searches_total}, {@code ponder_search_duration}, {@code ponder_generated_tokens_total}) are
 * recorded by the {@link Reasoner}; HTTP request counts come from Quarkus' own HTTP metrics.
 */
@ApplicationScoped
public class PonderMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    Backends backends;

    @Inject
    Reasoner reasoner;

    void register(@Observes StartupEvent event) {
        Gauge.builder("ponder.model.ready", backends, b -> b.current().status().ready() ? 1 : 0)
                .description("1 once the model is loaded and warmed up").register(registry);
        Gauge.builder("ponder.searches.active", reasoner, r -> r.admission().running())
                .description("searches holding a slot").register(registry);
        Gauge.builder("ponder.searches.waiting", reasoner, r -> r.admission().queued())
                .description("searches waiting for a slot (autoscalers scale on it)").register(registry);
        Gauge.builder("ponder.limits.max.queue.wait.seconds", reasoner,
                        r -> r.admission().maxWait() == null ? Double.NaN : r.admission().maxWait().toMillis() / 1000.0)
                .description("ponder.limits.max-queue-wait: the longest a search waits for a slot (NaN: no limit)")
                .register(registry);
        FunctionCounter.builder("ponder.queue.timeouts", reasoner, r -> r.admission().timedOut())
                .description("searches refused (429) because they waited ponder.limits.max-queue-wait for a slot")
                .register(registry);
    }
}

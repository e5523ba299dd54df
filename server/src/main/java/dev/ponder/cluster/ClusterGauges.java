package dev.ponder.cluster;

import dev.ponder.config.PonderConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** A control plane's view of its workers for Prometheus: how many are known and up, and the searches it holds. */
@ApplicationScoped
public class ClusterGauges {

    @Inject
    PonderConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    WorkerPool pool;

    void register(@Observes StartupEvent event) {
        if (config.cluster().workers().isEmpty()) {
            return;
        }
        Gauge.builder("ponder.workers", pool, p -> p.workers().size())
                .description("model workers known (configured or resolved)").register(registry);
        Gauge.builder("ponder.workers.up", pool, p -> p.workers().stream().filter(Worker::up).count())
                .description("model workers taking new searches").register(registry);
        Gauge.builder("ponder.workers.sessions", pool, p -> p.workers().stream().mapToInt(Worker::sessions).sum())
                .description("this control plane's searches open on workers").register(registry);
    }
}

package dev.ponder.local;

import dev.ponder.engine.kv.KvStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToDoubleFunction;

/**
 * The engine's gauges and counters for Prometheus ({@code /q/metrics}): its queue, throughput and batching,
 * and KV-cache use. Values read NaN until the model is ready (and always on a control plane, which runs no
 * engine).
 */
@ApplicationScoped
public class EngineGauges {

    @Inject
    MeterRegistry registry;

    @Inject
    LocalBackend local;

    void register(@Observes StartupEvent event) {
        engineGauge("ponder.engine.queue.depth", "tasks waiting for the scheduler", s -> s.engine().queueDepth());
        engineGauge("ponder.engine.tokens.per.second", "tokens computed per second of model time", s -> {
            var m = s.engine().metrics();
            double seconds = m.modelNanos.sum() / 1e9;
            return seconds == 0 ? 0 : m.tokensComputed.sum() / seconds;
        });
        engineGauge("ponder.engine.batch.size.mean", "mean sequences per forward pass", s -> s.engine().metrics().meanBatchSize());
        engineCounter("ponder.engine.tokens.computed", "tokens run through the model", s -> s.engine().metrics().tokensComputed.sum());
        engineCounter("ponder.engine.passes", "forward passes", s -> s.engine().metrics().passes.sum());
        engineCounter("ponder.engine.model.seconds", "time spent in forward passes", s -> s.engine().metrics().modelNanos.sum() / 1e9);
        kvGauge("total", KvStats::totalBlocks);
        kvGauge("used", KvStats::usedBlocks);
        kvGauge("free", KvStats::freeBlocks);
        kvGauge("shared", KvStats::sharedBlocks);
        kvGauge("cached", KvStats::cachedBlocks);
        engineGauge("ponder.kv.prefix.hit.rate", "share of prompt tokens found in the prefix cache",
                s -> s.engine().kvStats().prefixHitRate());
    }

    private void engineGauge(String name, String description, ToDoubleFunction<Served> f) {
        Gauge.builder(name, local, h -> h.current() == null ? Double.NaN : f.applyAsDouble(h.current()))
                .description(description).register(registry);
    }

    private void engineCounter(String name, String description, ToDoubleFunction<Served> f) {
        FunctionCounter.builder(name, local, h -> h.current() == null ? 0 : f.applyAsDouble(h.current()))
                .description(description).register(registry);
    }

    private void kvGauge(String state, ToDoubleFunction<KvStats> f) {
        Gauge.builder("ponder.kv.blocks", local, h -> h.current() == null ? Double.NaN
                        : f.applyAsDouble(h.current().engine().kvStats()))
                .tag("state", state).description("KV-cache blocks by state").register(registry);
    }
}

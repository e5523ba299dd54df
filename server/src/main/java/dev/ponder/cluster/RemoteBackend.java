package dev.ponder.cluster;

import dev.ponder.backend.BackendStatus;
import dev.ponder.backend.ModelBackend;
import dev.ponder.backend.ModelSession;
import dev.ponder.config.PonderConfig;
import dev.ponder.reason.Message;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The model on workers ({@code ponder.cluster.workers} set): this JVM is a control plane that runs the
 * searches and sends their model calls to the least-loaded worker, a search staying on one worker so its KV
 * cache stays warm. Needs no model runtime on the class path.
 */
@ApplicationScoped
public class RemoteBackend implements ModelBackend.Selectable {

    @Inject
    PonderConfig config;

    @Inject
    WorkerPool pool;

    @Override
    public boolean selected() {
        return config.cluster().workers().isPresent();
    }

    @Override
    public BackendStatus status() {
        List<Worker> all = pool.workers();
        long up = all.stream().filter(Worker::up).count();
        Map<String, Object> data = Map.of("workers", up + " of " + all.size() + " up");
        for (Worker w : all) {
            if (w.up()) {
                WorkerLoad l = w.load();
                return new BackendStatus(BackendStatus.State.READY, l.model(), l.createdEpoch(), null, data);
            }
        }
        boolean starting = !pool.polledOnce() || all.stream().anyMatch(w -> w.load() != null && "loading".equals(w.load().state()));
        return new BackendStatus(starting ? BackendStatus.State.LOADING : BackendStatus.State.FAILED, null, 0,
                "no model worker is up: " + pool.describe(), data);
    }

    @Override
    public Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP) {
        return RemoteSession.open(pool, messages, maxTokens, topP);
    }
}

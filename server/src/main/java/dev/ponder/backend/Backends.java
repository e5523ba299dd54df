package dev.ponder.backend;

import dev.ponder.config.PonderConfig;
import dev.ponder.reason.Message;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * Picks the {@link ModelBackend} this JVM serves with: the one whose {@link ModelBackend.Selectable#selected}
 * says so (the engine in this JVM unless {@code ponder.cluster.workers} is set, the workers when it is), inside
 * the fault-injection decorator when {@code ponder.faults.enabled} ({@link FaultyBackend}). A control-plane build
 * holds only the remote backend.
 */
@ApplicationScoped
public class Backends {

    private static final ModelBackend NONE = new ModelBackend() {
        @Override
        public BackendStatus status() {
            return new BackendStatus(BackendStatus.State.FAILED, null, 0,
                    "no model backend in this build: set ponder.cluster.workers to the model workers' URLs", Map.of());
        }

        @Override
        public Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP) {
            return Uni.createFrom().failure(ModelBackend.unavailable(status()));
        }
    };

    @Inject
    @Any
    Instance<ModelBackend.Selectable> candidates;

    @Inject
    PonderConfig config;

    private volatile ModelBackend current;

    public ModelBackend current() {
        ModelBackend b = current;
        if (b == null) {
            b = NONE;
            for (ModelBackend.Selectable c : candidates) {
                if (c.selected()) {
                    b = c;
                    break;
                }
            }
            current = b == NONE ? b : FaultyBackend.around(b, config.faults());
            b = current;
        }
        return b;
    }
}

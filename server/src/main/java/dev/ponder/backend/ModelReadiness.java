package dev.ponder.backend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a model can take asks ({@code /q/health/ready}): loaded and warmed up in this JVM, or at least
 * one model worker up for a control plane; reports why not otherwise.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    Backends backends;

    @Override
    public HealthCheckResponse call() {
        BackendStatus s = backends.current().status();
        var b = HealthCheckResponse.named("model").withData("state", s.state().name().toLowerCase());
        if (s.model() != null) {
            b.withData("name", s.model());
        }
        s.data().forEach((k, v) -> {
            if (v instanceof Number n) {
                b.withData(k, n.longValue());
            } else {
                b.withData(k, String.valueOf(v));
            }
        });
        if (s.detail() != null) {
            b.withData("error", s.detail());
        }
        return s.ready() ? b.up().build() : b.down().build();
    }
}

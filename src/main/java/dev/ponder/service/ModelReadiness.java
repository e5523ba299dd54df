package dev.ponder.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded and warmed up ({@code /q/health/ready}); reports why not otherwise. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    ModelHolder holder;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("model").withData("state", holder.state().name().toLowerCase());
        Served s = holder.current();
        if (s != null) {
            return b.up().withData("name", s.name()).withData("architecture", s.model().config().architecture())
                    .withData("context", s.context()).build();
        }
        if (holder.failure() != null) {
            b.withData("error", holder.failure());
        }
        return b.down().build();
    }
}

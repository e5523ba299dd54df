package dev.ponder.ws;

import dev.ponder.admission.ApiKeys;
import dev.ponder.cluster.Frame;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Refuses the WebSocket upgrade (401) without a configured key. Browsers cannot set headers on a WebSocket,
 * so {@code ?api_key=} is accepted besides {@code Authorization: Bearer} and {@code X-Api-Key}.
 */
@ApplicationScoped
public class ApiKeyCheck implements HttpUpgradeCheck {

    @Inject
    ApiKeys keys;

    /** Every endpoint but model workers' sessions, which have a token of their own ({@code ponder.worker.token}). */
    @Override
    public boolean appliesTo(String endpointId) {
        return !Frame.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest r = context.httpRequest();
        String key = ApiKeys.presented(r.getHeader("Authorization"), r.getHeader("X-Api-Key"), r.getParam("api_key"));
        return keys.admits(key) ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(401);
    }
}

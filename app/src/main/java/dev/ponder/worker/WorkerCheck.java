package dev.ponder.worker;

import dev.ponder.admission.ApiKeys;
import dev.ponder.cluster.Frame;
import dev.ponder.config.PonderConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Who may open a worker session: nobody unless {@code ponder.worker.enabled} (404), and with
 * {@code ponder.worker.token} set only a caller presenting it as {@code Authorization: Bearer} (401).
 * Clients' API keys do not apply here; the worker token does not open the public API.
 */
@ApplicationScoped
public class WorkerCheck implements HttpUpgradeCheck {

    @Inject
    PonderConfig config;

    @Override
    public boolean appliesTo(String endpointId) {
        return Frame.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (!config.worker().enabled()) {
            return CheckResult.rejectUpgrade(404);
        }
        return admits(context.httpRequest().getHeader("Authorization"))
                ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(401);
    }

    boolean admits(String authorization) {
        return config.worker().token()
                .map(t -> new ApiKeys(List.of(t)).admits(ApiKeys.presented(authorization, null, null)))
                .orElse(true);
    }
}

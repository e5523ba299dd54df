package dev.ponder.worker;

import dev.ponder.cluster.WorkerLoad;
import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.local.LocalBackend;
import dev.ponder.local.Served;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /worker/v1/load}: what this worker serves and how busy it is, for control planes' routing. */
@Path("/worker/v1/load")
public class WorkerLoadResource {

    @Inject
    PonderConfig config;

    @Inject
    WorkerCheck check;

    @Inject
    WorkerSocket sockets;

    @Inject
    LocalBackend backend;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A model worker's load (only with ponder.worker.enabled)")
    public WorkerLoad load(@HeaderParam("Authorization") String authorization) {
        if (!config.worker().enabled()) {
            throw new ProblemException(new ProblemDetail("/problems/not-found", "Not found", 404,
                    "this service is not a model worker (ponder.worker.enabled=false)"));
        }
        if (!check.admits(authorization)) {
            throw new ProblemException(new ProblemDetail("/problems/unauthorized", "Unauthorized", 401,
                    "a worker token is required: Authorization: Bearer <ponder.worker.token>"));
        }
        var status = backend.status();
        Served s = backend.current();
        int queue = s == null ? 0 : s.engine().queueDepth();
        var stats = s == null ? null : s.engine().kvStats();
        double kv = stats == null || stats.totalBlocks() == 0 ? 0 : (double) stats.usedBlocks() / stats.totalBlocks();
        return new WorkerLoad(status.model(), status.state().name().toLowerCase(), status.createdEpoch(),
                sockets.sessions(), sockets.opened(), queue, kv);
    }
}

package dev.ponder.rest;

import dev.ponder.admission.AskGate;
import dev.ponder.http.ApiKeyFilter;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemException;
import dev.ponder.http.Sse;
import dev.ponder.reason.Prepared;
import dev.ponder.reason.ReasonEvent;
import dev.ponder.reason.ReasonResult;
import dev.ponder.reason.Reasoner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /v1/reason}: one question, answered by test-time search, as JSON or as a live event stream. */
@Path("/v1/reason")
public class ReasonResource {

    @Inject
    Reasoner reasoner;

    @Inject
    AskGate gate;

    @Inject
    dev.ponder.config.PonderConfig config;

    @POST
    @Blocking
    @Operation(summary = "Reason about a question with test-time search",
            description = "Runs the chosen strategy over the model. Returns the result as JSON, or, with \"stream\": true"
                    + " or Accept: text/event-stream, server-sent events node, score, prune, best, token and finally"
                    + " done (carrying the result) or error.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ReasonRequest.class)))
    @APIResponse(responseCode = "200", description = "The result, or the event stream",
            content = {@Content(mediaType = "application/json", schema = @Schema(implementation = ReasonResult.class)),
                    @Content(mediaType = Sse.MEDIA_TYPE)})
    @APIResponse(responseCode = "400", description = "Malformed or invalid request",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = dev.ponder.http.ProblemDetail.class)))
    @APIResponse(responseCode = "429", description = "Too many searches queued, or too many running for this API key (Retry-After)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = dev.ponder.http.ProblemDetail.class)))
    @APIResponse(responseCode = "503", description = "Model still loading, or the service is shutting down",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = dev.ponder.http.ProblemDetail.class)))
    public Multi<Buffer> reason(byte[] body, @HeaderParam("Accept") String accept, HttpServerRequest http) {
        ReasonRequest request = Json.readStrict(body, ReasonRequest.class);
        Prepared prepared = reasoner.prepare(request.toAsk());
        boolean stream = request.stream() != null ? request.stream() : Sse.accepted(accept);
        AskGate.Lease lease = gate.enter(ApiKeyFilter.presented(http));
        Multi<ReasonEvent> events = gate.guard(lease, reasoner.events(prepared));
        if (!stream) {
            return Sse.json(Reasoner.result(events), p -> p);
        }
        Multi<Buffer> frames = events
                .map(e -> Sse.event(e.type(), Json.write(e)))
                .onFailure().recoverWithItem(f -> Sse.event("error", Json.write(ErrorEvent.of(ProblemException.of(f)))));
        return Sse.stream(frames, config.streams().keepAlive());
    }

    /** The {@code error} event: the problem under {@code error}, its type being the event's. */
    public record ErrorEvent(String type, dev.ponder.http.ProblemDetail error) {
        public static ErrorEvent of(dev.ponder.http.ProblemDetail p) {
            return new ErrorEvent("error", p);
        }
    }
}

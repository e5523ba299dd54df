package dev.ponder.openai;

import dev.ponder.api.ApiKeyFilter;
import dev.ponder.api.ProblemMappers;
import dev.ponder.api.Sse;
import dev.ponder.service.AskGate;
import dev.ponder.service.Json;
import dev.ponder.service.BackendStatus;
import dev.ponder.service.Backends;
import dev.ponder.service.ModelBackend;
import dev.ponder.service.Prepared;
import dev.ponder.service.ProblemDetail;
import dev.ponder.service.ProblemException;
import dev.ponder.service.ReasonEvent;
import dev.ponder.service.Reasoner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The OpenAI-compatible API: {@code POST /v1/chat/completions} (streamed or not) and {@code GET /v1/models},
 * so chat front-ends and client libraries can use ponder as they use OpenAI.
 */
@Path("/v1")
public class OpenAiResource {

    @Inject
    Reasoner reasoner;

    @Inject
    Backends backends;

    @Inject
    AskGate gate;

    @POST
    @Path("/chat/completions")
    @Blocking
    @Operation(summary = "OpenAI-compatible chat completion answered by test-time search",
            description = "Reads search_budget and strategy from the body. The best chain is returned as reasoning_content,"
                    + " its final answer as content. With \"stream\": true, chat.completion.chunk events end with data: [DONE].")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ChatCompletionRequest.class)))
    @APIResponse(responseCode = "200", description = "A chat.completion, or a stream of chat.completion.chunk",
            content = {@Content(mediaType = "application/json", schema = @Schema(implementation = ChatCompletion.Completion.class)),
                    @Content(mediaType = Sse.MEDIA_TYPE)})
    @APIResponse(responseCode = "400", description = "Problem JSON with OpenAI's error object",
            content = @Content(mediaType = "application/problem+json"))
    public Multi<Buffer> chatCompletions(byte[] body, HttpServerRequest http) {
        ChatCompletionRequest request = Json.read(body, ChatCompletionRequest.class);
        Prepared prepared = reasoner.prepare(request.toAsk());
        AskGate.Lease lease = gate.enter(ApiKeyFilter.presented(http));
        Multi<ReasonEvent> searched = gate.guard(lease, reasoner.events(prepared));
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        String model = prepared.model();
        if (!request.streaming()) {
            return Sse.json(Reasoner.result(searched).map(r -> ChatCompletion.completion(id, created, model, r)),
                    ProblemMappers.OpenAiErrors::decorate);
        }
        ChunkStream chunks = new ChunkStream(id, created, model, request.includeUsage());
        Multi<Buffer> events = searched
                .onItem().transformToIterable(chunks::map)
                .map(c -> Sse.data(Json.write(c)))
                .onFailure().recoverWithItem(f -> Sse.data(Json.write(ProblemMappers.OpenAiErrors.decorate(ProblemException.of(f)))));
        Multi<Buffer> frames = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(Sse.data(Json.write(chunks.first()))),
                events,
                Multi.createFrom().item(Sse.data("[DONE]")));
        return Sse.stream(frames);
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The served model, as OpenAI lists models")
    public ModelList models() {
        return new ModelList("list", List.of(ModelCard.of(ready())));
    }

    @GET
    @Path("/models/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One model by id")
    public ModelCard model(@PathParam("id") String id) {
        BackendStatus s = ready();
        if (!s.model().equals(id)) {
            throw new ProblemException(new ProblemDetail("/problems/model-not-found", "Model not found", 404,
                    "no model '" + id + "'; this server serves '" + s.model() + "'"));
        }
        return ModelCard.of(s);
    }

    private BackendStatus ready() {
        BackendStatus s = backends.current().status();
        if (!s.ready()) {
            throw ModelBackend.unavailable(s);
        }
        return s;
    }

    public record ModelList(String object, List<ModelCard> data) {
    }

    public record ModelCard(String id, String object, long created, @com.fasterxml.jackson.annotation.JsonProperty("owned_by") String ownedBy) {
        static ModelCard of(BackendStatus s) {
            return new ModelCard(s.model(), "model", s.createdEpoch(), "ponder");
        }
    }
}

package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ponder.admission.AskGate;
import dev.ponder.backend.BackendStatus;
import dev.ponder.backend.Backends;
import dev.ponder.backend.ModelBackend;
import dev.ponder.config.PonderConfig;
import dev.ponder.http.ApiKeyFilter;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.http.ProblemMappers;
import dev.ponder.http.Sse;
import dev.ponder.reason.Prepared;
import dev.ponder.reason.ReasonEvent;
import dev.ponder.reason.Reasoner;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
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

    @Inject
    OpenAiAsks asks;

    @Inject
    SearchPresets presets;

    @Inject
    PonderConfig config;

    /** The response header that carries the search's seed: ask again with it to repeat the search. */
    public static final String SEED_HEADER = "X-Ponder-Seed";

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
        Call c = begin(asks.resolve(request, null, request.conversation()), http, "chatcmpl-");
        if (!request.streaming()) {
            return Sse.json(Reasoner.result(c.searched()).map(r -> ChatCompletion.completion(c.id(), c.created(), c.model(), r, c.stop())),
                    ProblemMappers.OpenAiErrors::decorate, seedHeader(c.prepared()));
        }
        ChunkStream chunks = new ChunkStream(c.id(), c.created(), c.model(), c.prepared().seed(), request.includeUsage(), c.stop());
        return stream(Json.write(chunks.first()), c.searched().onItem().transformToIterable(chunks::map).map(Json::write), c.prepared());
    }

    @POST
    @Path("/completions")
    @Blocking
    @Operation(summary = "OpenAI-compatible text completion answered by test-time search",
            description = "The prompt is asked as the user's question; text is the chosen chain, ending with its"
                    + " \\boxed{} answer. With \"stream\": true, text_completion chunks end with data: [DONE].")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CompletionRequest.class)))
    @APIResponse(responseCode = "200", description = "A text_completion, or a stream of them",
            content = {@Content(mediaType = "application/json", schema = @Schema(implementation = TextCompletion.Completion.class)),
                    @Content(mediaType = Sse.MEDIA_TYPE)})
    @APIResponse(responseCode = "400", description = "Problem JSON with OpenAI's error object",
            content = @Content(mediaType = "application/problem+json"))
    public Multi<Buffer> completions(byte[] body, HttpServerRequest http) {
        CompletionRequest request = Json.read(body, CompletionRequest.class);
        Call c = begin(asks.resolve(request, request.promptText(), null), http, "cmpl-");
        String id = c.id();
        long created = c.created();
        String model = c.model();
        StopSequences stop = c.stop();
        Prepared prepared = c.prepared();
        Multi<ReasonEvent> searched = c.searched();
        if (!request.streaming()) {
            return Sse.json(Reasoner.result(searched).map(r -> TextCompletion.completion(id, created, model, r, stop)),
                    ProblemMappers.OpenAiErrors::decorate, seedHeader(prepared));
        }
        String fingerprint = ChatCompletion.fingerprint(prepared.seed());
        TextStream text = new TextStream(stop);
        BiFunction<String, String, TextCompletion.Completion> chunk = (t, finish) ->
                new TextCompletion.Completion(id, "text_completion", created, model, fingerprint,
                        List.of(new TextCompletion.Choice(t, 0, null, finish)), null, null);
        Multi<String> chunks = searched.onItem().transformToIterable(e -> {
            List<TextCompletion.Completion> out = new ArrayList<>();
            if (e instanceof ReasonEvent.Token t) {
                String delta = text.token(t);
                if (delta != null) {
                    out.add(chunk.apply(delta, null));
                }
            } else if (e instanceof ReasonEvent.Done d) {
                StopSequences.Reply reply = stop.reply(d.result());
                String rest = text.finish(reply.text());
                out.add(chunk.apply(rest == null ? "" : rest, reply.finishReason()));
                if (request.includeUsage()) {
                    out.add(new TextCompletion.Completion(id, "text_completion", created, model, fingerprint, List.of(),
                            ChatCompletion.Usage.of(d.result()), null));
                }
            }
            return out;
        }).map(Json::write);
        return stream(null, chunks, prepared);
    }

    /** One OpenAI call under way: its search, and the id, time and model its answer is labelled with. */
    private record Call(Prepared prepared, Multi<ReasonEvent> searched, String id, long created, String model,
                        StopSequences stop) {
    }

    /** Prepares the resolved ask and starts its search at the gate. */
    private Call begin(OpenAiAsks.Resolved resolved, HttpServerRequest http, String idPrefix) {
        Prepared prepared = reasoner.prepare(resolved.ask());
        return new Call(prepared, run(prepared, http), idPrefix + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis() / 1000, resolved.model(), resolved.stop());
    }

    /** The search holding its place at the gate (per-key limits, shutdown) until it ends. */
    private Multi<ReasonEvent> run(Prepared prepared, HttpServerRequest http) {
        AskGate.Lease lease = gate.enter(ApiKeyFilter.presented(http));
        return gate.guard(lease, reasoner.events(prepared));
    }

    /**
     * An OpenAI event stream: {@code first} (if any), the chunks, an error as {@code data: {"error": ...}} if the
     * search fails, then {@code data: [DONE]}; keep-alive comments while it is silent.
     */
    private Multi<Buffer> stream(String first, Multi<String> chunks, Prepared prepared) {
        Multi<Buffer> events = chunks.map(Sse::data)
                .onFailure().recoverWithItem(f -> Sse.data(Json.write(ProblemMappers.OpenAiErrors.decorate(ProblemException.of(f)))));
        Multi<Buffer> frames = Multi.createBy().concatenating().streams(
                first == null ? Multi.createFrom().empty() : Multi.createFrom().item(Sse.data(first)),
                events,
                Multi.createFrom().item(Sse.data("[DONE]")));
        return Sse.stream(frames, config.streams().keepAlive(), seedHeader(prepared));
    }

    /** {@value #SEED_HEADER}: the search's seed (also in {@code system_fingerprint} as {@code seed-<n>}). */
    private static Map<String, String> seedHeader(Prepared prepared) {
        return Map.of(SEED_HEADER, Long.toString(prepared.seed()));
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The served model and its search presets (<model>:<strategy>-<budget>), as OpenAI lists models")
    public ModelList models() {
        BackendStatus s = ready();
        return new ModelList("list", presets.modelIds(s.model()).stream().map(id -> ModelCard.of(id, s)).toList());
    }

    @GET
    @Path("/models/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One model by id: the served model, or a search preset of it")
    public ModelCard model(@PathParam("id") String id) {
        BackendStatus s = ready();
        boolean known = s.model().equals(id);
        if (!known && id.startsWith(s.model() + ":")) {
            SearchPresets.Preset p = SearchPresets.parse(id.substring(s.model().length() + 1));
            known = p != null && p.budget() <= config.search().maxBudget();
        }
        if (!known) {
            throw new ProblemException(new ProblemDetail("/problems/model-not-found", "Model not found", 404,
                    "no model '" + id + "'; this server serves " + String.join(", ", presets.modelIds(s.model())))
                    .withParam("model"));
        }
        return ModelCard.of(id, s);
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

    public record ModelCard(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
        static ModelCard of(String id, BackendStatus s) {
            return new ModelCard(id, "model", s.createdEpoch(), "ponder");
        }
    }
}

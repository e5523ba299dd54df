package dev.ponder.openai;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.catalog.ModelDescription;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.language.StreamingLanguageModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiLanguageModel;
import dev.langchain4j.model.openai.OpenAiModelCatalog;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingLanguageModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.StreamedChat;
import dev.ponder.testing.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #16's OpenAI conventions, each through a real OpenAI client library (langchain4j) and checked on the wire:
 * reasoning under both names, a fresh seed when none is given (and returned), reasoning_effort and model-id presets,
 * top_p and stop honoured, unsupported parameters refused by name, max_tokens clamped, /v1/completions.
 */
@QuarkusTest
class OpenAiFitTest {

    private static final String MODEL = "internlm3-tiny";

    @TestHTTPResource("/v1")
    URL base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    private OpenAiChatModel.OpenAiChatModelBuilder chat() {
        return OpenAiChatModel.builder().baseUrl(base.toString()).apiKey("unused").modelName(MODEL)
                .returnThinking(true).timeout(Duration.ofMinutes(2)).maxRetries(0);
    }

    private static JsonPath post(String path, String body) {
        var r = given().contentType("application/json").body(body).post(path);
        r.then().statusCode(200);
        return r.jsonPath();
    }

    private static final String ONE_CHAIN = "\"messages\": [{\"role\": \"user\", \"content\": \"What is 2+3?\"}],"
            + " \"search_budget\": 1, \"strategy\": \"best-of-n\", \"temperature\": 1.0, \"max_tokens\": 14";

    @Test
    void reasoningIsSentUnderBothNames() throws Exception {
        JsonPath r = post("/v1/chat/completions", "{" + ONE_CHAIN + "}");
        String reasoning = r.getString("choices[0].message.reasoning");
        assertFalse(reasoning.isEmpty());
        assertEquals(reasoning, r.getString("choices[0].message.reasoning_content"));
        String body = given().contentType("application/json").body("{" + ONE_CHAIN + ", \"stream\": true}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        StringBuilder streamed = new StringBuilder();
        for (Terminals.Sse e : Terminals.parseSse(body.replace("data: [DONE]", ""))) {
            JsonNode delta = e.data().at("/choices/0/delta");
            if (delta.has("reasoning")) {
                assertEquals(delta.get("reasoning"), delta.get("reasoning_content"), "both names in every delta");
                streamed.append(delta.get("reasoning").asText());
            }
            assertTrue(e.data().get("system_fingerprint").asText().startsWith("seed-"));
        }
        assertFalse(streamed.isEmpty(), "the chain streams as reasoning");
    }

    @Test
    void missingSeedIsFreshAndReturned() {
        OpenAiChatModel model = chat().temperature(1.0).maxTokens(14)
                .customParameters(Map.of("search_budget", 1, "strategy", "best-of-n")).build();
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("What is 2+3?")).build();
        ChatResponse a = model.chat(ask);
        ChatResponse b = model.chat(ask);
        String fa = ((OpenAiChatResponseMetadata) a.metadata()).systemFingerprint();
        String fb = ((OpenAiChatResponseMetadata) b.metadata()).systemFingerprint();
        assertTrue(fa.matches("seed-\\d+"), fa);
        assertNotEquals(fa, fb, "no seed: each request draws its own");
        assertNotEquals(a.aiMessage().thinking(), b.aiMessage().thinking(), "so regenerating gives another chain");
        // the returned seed repeats the search, and the header carries it too
        long seed = Long.parseLong(fa.substring(5));
        var again = given().contentType("application/json").body("{" + ONE_CHAIN + ", \"seed\": " + seed + "}")
                .post("/v1/chat/completions");
        again.then().statusCode(200).header(OpenAiResource.SEED_HEADER, equalTo(Long.toString(seed)));
        assertEquals(a.aiMessage().thinking(), again.jsonPath().getString("choices[0].message.reasoning"));
        assertEquals(fa, again.jsonPath().getString("system_fingerprint"));
        assertEquals(seed, again.jsonPath().getLong("ponder.seed"));
    }

    @Test
    void reasoningEffortChoosesTheSearch() {
        // minimal -> greedy-1, high -> auto-32 capped at the test's max budget 8, which runs best-of-n (the defaults)
        JsonPath minimal = post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}],"
                + " \"max_tokens\": 6, \"reasoning_effort\": \"minimal\"}");
        assertEquals("greedy", minimal.getString("ponder.strategy"));
        assertEquals(1, minimal.getInt("ponder.searchBudget"));
        JsonPath high = post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}],"
                + " \"max_tokens\": 6, \"reasoning_effort\": \"high\"}");
        assertEquals("best-of-n", high.getString("ponder.strategy"));
        assertEquals(8, high.getInt("ponder.searchBudget"));
        // explicit fields win over the effort
        JsonPath explicit = post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}],"
                + " \"max_tokens\": 6, \"reasoning_effort\": \"high\", \"search_budget\": 2, \"strategy\": \"beam\"}");
        assertEquals("beam", explicit.getString("ponder.strategy"));
        assertEquals(2, explicit.getInt("ponder.searchBudget"));
        // through the client library's own reasoningEffort
        ChatResponse r = chat().maxTokens(6).build().chat(ChatRequest.builder().messages(UserMessage.from("2+2?"))
                .parameters(OpenAiChatRequestParameters.builder().reasoningEffort("minimal").build()).build());
        assertTrue(r.aiMessage().thinking() != null);
        given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                        + " \"reasoning_effort\": \"extreme\"}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-reasoning-effort"))
                .body("error.param", equalTo("reasoning_effort"));
    }

    @Test
    void modelsListSearchPresetsThatChooseTheSearch() {
        List<String> ids = OpenAiModelCatalog.builder().baseUrl(base.toString()).apiKey("unused").build()
                .listModels().stream().map(ModelDescription::name).toList();
        assertEquals(MODEL, ids.get(0));
        assertTrue(ids.contains(MODEL + ":greedy-1") && ids.contains(MODEL + ":bon-8"), ids.toString());
        assertFalse(ids.contains(MODEL + ":beam-16"), "presets above the max budget (8 in tests) are not listed: " + ids);
        ChatResponse r = chat().modelName(MODEL + ":bon-8").maxTokens(6).build()
                .chat(ChatRequest.builder().messages(UserMessage.from("2+2?")).build());
        assertEquals(MODEL + ":bon-8", r.modelName(), "the reply names the preset it ran");
        JsonPath wire = post("/v1/chat/completions", "{\"model\": \"" + MODEL + ":sc-3\", \"max_tokens\": 6,"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}]}");
        assertEquals("self-consistency", wire.getString("ponder.strategy"), "any <strategy>-<budget>, listed or not");
        assertEquals(3, wire.getInt("ponder.searchBudget"));
        given().get("/v1/models/" + MODEL + ":bon-8").then().statusCode(200).body("id", equalTo(MODEL + ":bon-8"));
        given().contentType("application/json").body("{\"model\": \"" + MODEL + ":fastest\","
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("model"));
    }

    @Test
    void topPIsHonoured() {
        // with a vanishing nucleus every sample is the most likely token: two seeds give one chain
        String nucleus = ONE_CHAIN + ", \"top_p\": 1e-9, \"seed\": ";
        String a = post("/v1/chat/completions", "{" + nucleus + "1}").getString("choices[0].message.reasoning");
        String b = post("/v1/chat/completions", "{" + nucleus + "2}").getString("choices[0].message.reasoning");
        assertEquals(a, b);
        String free1 = post("/v1/chat/completions", "{" + ONE_CHAIN + ", \"seed\": 1}").getString("choices[0].message.reasoning");
        String free2 = post("/v1/chat/completions", "{" + ONE_CHAIN + ", \"seed\": 2}").getString("choices[0].message.reasoning");
        assertNotEquals(free1, free2, "without top_p the two seeds sample differently");
        // the client library's topP reaches the sampler the same way
        OpenAiChatModel model = chat().topP(1e-9).temperature(1.0).maxTokens(14)
                .customParameters(Map.of("search_budget", 1, "strategy", "best-of-n")).build();
        assertEquals(a, model.chat(ChatRequest.builder().messages(UserMessage.from("What is 2+3?")).build()).aiMessage().thinking());
        given().contentType("application/json").body("{" + ONE_CHAIN + ", \"top_p\": 0}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("top_p"));
    }

    @Test
    void stopCutsTheChainStreamedOrNot() throws Exception {
        String full = post("/v1/chat/completions", "{" + ONE_CHAIN + ", \"seed\": 7}").getString("choices[0].message.reasoning");
        assertTrue(full.length() >= 4, full);
        String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
        String expected = full.substring(0, full.indexOf(stop));
        ChatResponse cut = chat().temperature(1.0).maxTokens(14).stop(List.of(stop))
                .customParameters(Map.of("search_budget", 1, "strategy", "best-of-n", "seed", 7)).build()
                .chat(ChatRequest.builder().messages(UserMessage.from("What is 2+3?")).build());
        assertEquals(expected, cut.aiMessage().thinking());
        assertEquals(FinishReason.STOP, cut.finishReason());
        // streamed: nothing from the stop sequence on is ever sent
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(base.toString()).apiKey("unused")
                .modelName(MODEL).returnThinking(true).timeout(Duration.ofMinutes(2)).temperature(1.0).maxTokens(14)
                .stop(List.of(stop)).customParameters(Map.of("search_budget", 1, "strategy", "best-of-n", "seed", 7)).build();
        StreamedChat chat = StreamedChat.ask(streaming, "What is 2+3?");
        ChatResponse streamed = chat.response();
        List<String> thinking = chat.thinking();
        assertEquals(expected, String.join("", thinking));
        assertEquals(FinishReason.STOP, streamed.finishReason());
        given().contentType("application/json").body("{" + ONE_CHAIN + ", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("stop"));
    }

    @Test
    void unsupportedParametersAreRefusedByName() {
        String msgs = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], ";
        Map<String, String> refused = Map.of(
                "tools", "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {}}}]",
                "response_format", "\"response_format\": {\"type\": \"json_object\"}",
                "logprobs", "\"logprobs\": true",
                "top_logprobs", "\"top_logprobs\": 3");
        refused.forEach((param, field) -> given().contentType("application/json").body("{" + msgs + field + "}")
                .post("/v1/chat/completions").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/unsupported-parameter"))
                .body("param", equalTo(param))
                .body("error.param", equalTo(param)));
        // what is allowed: empty tools, a text response format, logprobs false
        post("/v1/chat/completions", "{" + msgs + "\"tools\": [], \"response_format\": {\"type\": \"text\"},"
                + " \"logprobs\": false, \"max_tokens\": 4, \"search_budget\": 1}");
        // the client library reports the server's message, which names the parameter
        var model = chat().maxTokens(4).build();
        Exception e = assertThrows(Exception.class, () -> model.chat(ChatRequest.builder().messages(UserMessage.from("x"))
                .parameters(OpenAiChatRequestParameters.builder().logprobs(true).build()).build()));
        assertTrue(String.valueOf(e.getMessage()).contains("logprobs"), e.getMessage());
    }

    @Test
    void maxTokensAboveTheLimitIsClamped() {
        JsonPath r = post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"2+2?\"}],"
                + " \"max_tokens\": 1000000, \"search_budget\": 1, \"seed\": 3}");
        assertTrue(r.getLong("usage.completion_tokens") > 0);
        given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"max_tokens\": 0}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("max_tokens"));
    }

    @Test
    void completionsThroughTheClientLibrary() throws Exception {
        Response<String> r = OpenAiLanguageModel.builder().baseUrl(base.toString()).apiKey("unused").modelName(MODEL)
                .temperature(1.0).timeout(Duration.ofMinutes(2)).maxRetries(0).build().generate("What is 2+3?");
        assertFalse(r.content().isEmpty());
        assertTrue(r.tokenUsage().outputTokenCount() > 0);
        assertTrue(r.finishReason() == FinishReason.STOP || r.finishReason() == FinishReason.LENGTH, String.valueOf(r.finishReason()));

        StreamingLanguageModel streaming = OpenAiStreamingLanguageModel.builder().baseUrl(base.toString()).apiKey("unused")
                .modelName(MODEL).temperature(1.0).timeout(Duration.ofMinutes(2)).build();
        List<String> parts = new ArrayList<>();
        CompletableFuture<Response<String>> done = new CompletableFuture<>();
        streaming.generate("What is 3+4?", new dev.langchain4j.model.StreamingResponseHandler<>() {
            @Override
            public void onNext(String token) {
                parts.add(token);
            }

            @Override
            public void onComplete(Response<String> response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        Response<String> s = done.get(2, TimeUnit.MINUTES);
        assertFalse(parts.isEmpty());
        assertEquals(String.join("", parts), s.content());
    }

    @Test
    void completionsOnTheWire() throws Exception {
        JsonPath r = post("/v1/completions", "{\"model\": \"" + MODEL + "\", \"prompt\": \"What is 2+3?\", \"max_tokens\": 10,"
                + " \"search_budget\": 1, \"seed\": 5}");
        assertEquals("text_completion", r.getString("object"));
        assertTrue(r.getString("id").startsWith("cmpl-"));
        String text = r.getString("choices[0].text");
        assertEquals(r.getString("ponder.text"), text, "text is the chosen chain");
        assertEquals("seed-5", r.getString("system_fingerprint"));
        // streamed, the same seed: the chunks add up to the same text; usage last, then [DONE]
        String body = given().contentType("application/json").body("{\"prompt\": [\"What is 2+3?\"], \"max_tokens\": 10,"
                        + " \"search_budget\": 1, \"seed\": 5, \"stream\": true, \"stream_options\": {\"include_usage\": true}}")
                .post("/v1/completions").then().statusCode(200).extract().asString();
        assertTrue(body.endsWith("data: [DONE]\n\n"));
        List<Terminals.Sse> chunks = Terminals.parseSse(body.replace("data: [DONE]", ""));
        StringBuilder streamed = new StringBuilder();
        for (Terminals.Sse c : chunks) {
            assertEquals("text_completion", c.data().get("object").asText());
            if (c.data().get("choices").size() > 0) {
                streamed.append(c.data().at("/choices/0/text").asText());
            }
        }
        assertEquals(text, streamed.toString());
        assertTrue(chunks.get(chunks.size() - 1).data().at("/usage/total_tokens").asInt() > 0);
        for (String bad : List.of("{\"prompt\": 5}", "{\"prompt\": [1, 2, 3]}", "{\"prompt\": [\"a\", \"b\"]}", "{}")) {
            given().contentType("application/json").body(bad).post("/v1/completions").then().statusCode(400)
                    .contentType("application/problem+json").body("error.param", equalTo("prompt"));
        }
        given().contentType("application/json").body("{\"prompt\": \"x\", \"echo\": true}").post("/v1/completions")
                .then().statusCode(400).body("error.param", equalTo("echo"));
        given().contentType("application/json").body("{\"prompt\": \"x\", \"logprobs\": 1}").post("/v1/completions")
                .then().statusCode(400).body("error.param", equalTo("logprobs"));
    }
}

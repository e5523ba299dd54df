package dev.ponder.openai;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.StreamedChat;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible API, driven by a real OpenAI client library (langchain4j) and checked on the wire. */
@QuarkusTest
class ChatCompletionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<FinishReason> ENDED = Set.of(FinishReason.STOP, FinishReason.LENGTH);

    @TestHTTPResource("/v1")
    URL base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void clientLibraryChats() {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(base.toString()).apiKey("unused").modelName("internlm3-tiny")
                .maxTokens(8).returnThinking(true).timeout(Duration.ofMinutes(2))
                .customParameters(Map.of("search_budget", 2, "strategy", "best-of-n"))
                .build();
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("What is 2+3?")).build());
        assertNotNull(r.aiMessage().text(), "content");
        assertNotNull(r.aiMessage().thinking(), "reasoning_content");
        assertEquals("internlm3-tiny", r.modelName());
        assertTrue(r.tokenUsage().inputTokenCount() > 0);
        assertTrue(r.tokenUsage().outputTokenCount() > 0);
        assertTrue(ENDED.contains(r.finishReason()), String.valueOf(r.finishReason()));
    }

    @Test
    void clientLibraryStreams() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(base.toString()).apiKey("unused").modelName("internlm3-tiny")
                .maxTokens(8).returnThinking(true).timeout(Duration.ofMinutes(2))
                .customParameters(Map.of("search_budget", 1))
                .build();
        StreamedChat streamed = StreamedChat.ask(model, "Count to three.");
        ChatResponse r = streamed.response();
        List<String> thinking = streamed.thinking();
        List<String> content = streamed.content();
        assertFalse(thinking.isEmpty(), "the greedy chain streams as reasoning");
        assertEquals(String.join("", thinking), r.aiMessage().thinking());
        assertEquals(String.join("", content), r.aiMessage().text());
        assertTrue(ENDED.contains(r.finishReason()), String.valueOf(r.finishReason()));
        assertNotNull(r.tokenUsage(), "usage arrives in the last chunk");
    }

    @Test
    void streamIsFramedAsOpenAiClientsExpect() throws Exception {
        Response r = given().contentType("application/json")
                .body("{\"model\": \"anything\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\","
                        + " \"text\": \"Hi\"}]}], \"stream\": true, \"max_tokens\": 6, \"search_budget\": 1,"
                        + " \"stream_options\": {\"include_usage\": true}, \"top_p\": 0.9, \"logit_bias\": {}}")
                .post("/v1/chat/completions");
        r.then().statusCode(200);
        assertTrue(r.contentType().startsWith("text/event-stream"));
        String body = r.asString();
        assertTrue(body.endsWith("data: [DONE]\n\n"), "ends with [DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            assertTrue(block.startsWith("data: "), "every event is one data line: " + block);
            if (!block.equals("data: [DONE]")) {
                chunks.add(JSON.readTree(block.substring(6)));
            }
        }
        String id = chunks.get(0).get("id").asText();
        assertTrue(id.startsWith("chatcmpl-"));
        assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
        for (JsonNode c : chunks) {
            assertEquals("chat.completion.chunk", c.get("object").asText());
            assertEquals(id, c.get("id").asText(), "one id for the whole stream");
        }
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertEquals(0, usage.get("choices").size(), "the usage chunk has no choices");
        assertTrue(usage.at("/usage/total_tokens").asInt() > 0);
        JsonNode last = chunks.get(chunks.size() - 2);
        assertTrue(Set.of("stop", "length").contains(last.at("/choices/0/finish_reason").asText()));
    }

    @Test
    void completionCarriesReasoningAnswerAndUsage() {
        given().contentType("application/json")
                .body("{\"messages\": [{\"role\": \"developer\", \"content\": \"Be brief.\"},"
                        + " {\"role\": \"user\", \"content\": \"2+2?\"}], \"max_completion_tokens\": 6, \"search_budget\": 1}")
                .post("/v1/chat/completions")
                .then().statusCode(200).contentType("application/json")
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", notNullValue())
                .body("choices[0].message.reasoning_content", notNullValue())
                .body("usage.prompt_tokens", notNullValue())
                .body("ponder.strategy", equalTo("greedy"));
    }

    @Test
    void badRequestsGetProblemJsonWithAnOpenAiError() {
        given().contentType("application/json")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"search_budget\": 0}")
                .post("/v1/chat/completions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-budget"))
                .body("status", equalTo(400))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", notNullValue());
        given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"n\": 3}")
                .post("/v1/chat/completions").then().statusCode(400).body("type", equalTo("/problems/unsupported-parameter"))
                .body("error.param", equalTo("n"));
        given().contentType("application/json").body("{\"messages\": ")
                .post("/v1/chat/completions").then().statusCode(400).body("type", equalTo("/problems/malformed-json"));
    }

    @Test
    void modelsListsTheServedModel() {
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data[0].id", equalTo("internlm3-tiny"))
                .body("data[0].object", equalTo("model"))
                .body("data[0].owned_by", equalTo("ponder"));
        given().get("/v1/models/internlm3-tiny").then().statusCode(200).body("id", equalTo("internlm3-tiny"));
        given().get("/v1/models/gpt-5").then().statusCode(404).contentType("application/problem+json")
                .body("error.message", notNullValue());
    }
}

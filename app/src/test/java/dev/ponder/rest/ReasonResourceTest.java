package dev.ponder.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.Terminals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class ReasonResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void budgetOneRunsOneGreedyChain() throws Exception {
        Response r = given().contentType("application/json")
                .body("{\"prompt\": \"What is 2+3?\", \"searchBudget\": 1, \"maxTokens\": 12}")
                .post("/v1/reason");
        r.then().statusCode(200).contentType("application/json")
                .body("strategy", equalTo("greedy"))
                .body("searchBudget", equalTo(1))
                .body("usage.promptTokens", greaterThan(0))
                .body("usage.nodes", greaterThan(0))
                .body("text", notNullValue());
        JsonNode body = JSON.readTree(r.asString());
        StringBuilder joined = new StringBuilder();
        body.get("chain").forEach(s -> joined.append(s.get("text").asText()));
        assertEquals(body.get("text").asText(), joined.toString(), "text is the chain's steps joined");
        assertTrue(body.get("usage").get("generatedTokens").asInt() <= 12, "maxTokens bounds the chain");
        assertTrue(body.has("answer") && body.has("alternatives") && body.has("score"));
    }

    @Test
    void messagesWorkLikeAPrompt() {
        given().contentType("application/json")
                .body("{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                        + " {\"role\": \"user\", \"content\": \"2+2?\"}], \"searchBudget\": 1, \"maxTokens\": 4}")
                .post("/v1/reason")
                .then().statusCode(200).body("strategy", equalTo("greedy"));
    }

    @Test
    void streamSendsTreeEventsThenTheResult() throws Exception {
        Response r = given().contentType("application/json")
                .body("{\"prompt\": \"What is 2+3?\", \"searchBudget\": 2, \"strategy\": \"best-of-n\","
                        + " \"maxTokens\": 8, \"stream\": true}")
                .post("/v1/reason");
        r.then().statusCode(200);
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        List<Terminals.Sse> events = Terminals.parseSse(r.asString());
        assertEquals("node", events.get(0).name());
        assertEquals("root", events.get(0).data().get("node").asText());
        assertEquals("done", events.get(events.size() - 1).name(), "the stream ends with done");
        assertEquals(1, events.stream().filter(e -> e.name().equals("done")).count());
        Set<String> seen = new HashSet<>();
        for (Terminals.Sse e : events) {
            assertEquals(e.name(), e.data().get("type").asText(), "event name and type agree");
            if (e.name().equals("node")) {
                JsonNode parent = e.data().get("parent");
                assertTrue(parent.isNull() || seen.contains(parent.asText()), "parents come before children");
                seen.add(e.data().get("node").asText());
            }
        }
        JsonNode result = events.get(events.size() - 1).data().get("result");
        assertEquals("best-of-n", result.get("strategy").asText());
        assertEquals(2, result.get("searchBudget").asInt());
    }

    @Test
    void acceptHeaderAloneAsksForTheStream() {
        Response r = given().contentType("application/json").accept("text/event-stream")
                .body("{\"prompt\": \"Hi\", \"searchBudget\": 1, \"maxTokens\": 4}")
                .post("/v1/reason");
        r.then().statusCode(200);
        List<Terminals.Sse> events = Terminals.parseSse(r.asString());
        assertEquals("done", events.get(events.size() - 1).name());
        assertTrue(events.stream().anyMatch(e -> e.name().equals("token")), "the best chain is streamed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON           | {\"prompt\": \"x\"                                  | malformed-json",
            "not an object            | [1, 2]                                              | malformed-json",
            "empty body               | ''                                                  | malformed-json",
            "unknown strategy         | {\"prompt\": \"x\", \"strategy\": \"psychic\"}       | unknown-strategy",
            "budget zero              | {\"prompt\": \"x\", \"searchBudget\": 0}             | invalid-budget",
            "budget above max         | {\"prompt\": \"x\", \"searchBudget\": 9}             | invalid-budget",
            "budget as string         | {\"prompt\": \"x\", \"searchBudget\": \"4\"}         | invalid-request",
            "budget fractional        | {\"prompt\": \"x\", \"searchBudget\": 2.5}           | invalid-request",
            "empty prompt             | {\"prompt\": \"   \"}                               | empty-prompt",
            "no prompt                | {\"searchBudget\": 1}                               | invalid-request",
            "prompt and messages      | {\"prompt\": \"x\", \"messages\": []}               | invalid-request",
            "empty messages           | {\"messages\": []}                                 | empty-prompt",
            "bad role                 | {\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]} | invalid-request",
            "unpaired surrogate       | {\"prompt\": \"a\\ud800b\"}                         | invalid-utf8",
            "negative temperature     | {\"prompt\": \"x\", \"temperature\": -1}             | invalid-temperature",
            "zero maxTokens           | {\"prompt\": \"x\", \"maxTokens\": 0}                | invalid-max-tokens"})
    void badInputIsAProblem(String name, String body, String kind) {
        assertProblem(given().contentType("application/json").body(body).post("/v1/reason"), kind);
    }

    @Test
    void invalidUtf8IsAProblem() {
        byte[] head = "{\"prompt\": \"caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xC3;      // a lead byte...
        body[head.length + 1] = (byte) 0x28;  // ...followed by no continuation byte
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        assertProblem(given().contentType("application/json").body(body).post("/v1/reason"), "invalid-utf8");
    }

    @Test
    void promptLongerThanTheContextIsAProblem() {
        String prompt = "1 + 2 + 3 + 4 + 5 ".repeat(200);
        assertProblem(given().contentType("application/json")
                .body("{\"prompt\": \"" + prompt + "\", \"searchBudget\": 1}").post("/v1/reason"), "prompt-too-long");
    }

    @Test
    void streamedRequestsAreValidatedBeforeTheStreamStarts() {
        assertProblem(given().contentType("application/json").accept("text/event-stream")
                .body("{\"prompt\": \"x\", \"searchBudget\": 100}").post("/v1/reason"), "invalid-budget");
    }

    static void assertProblem(Response r, String kind) {
        r.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/" + kind))
                .body("title", notNullValue())
                .body("status", equalTo(400))
                .body("detail", notNullValue());
    }
}

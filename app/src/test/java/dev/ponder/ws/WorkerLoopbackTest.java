package dev.ponder.ws;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.local.LocalBackend;
import dev.ponder.testing.Management;
import dev.ponder.testing.ServiceReady;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The split in one JVM: this service is a control plane whose only worker is itself, so every search
 * crosses the worker protocol ({@code /worker/v1/session}) over loopback and runs on the engine behind it.
 * (ControlPlaneIT, in this module, runs the same with separate processes and a killed worker.)
 */
@QuarkusTest
@TestProfile(WorkerLoopbackTest.Loopback.class)
class WorkerLoopbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "loopback-secret";

    /** Its own worker: the worker protocol on, and the control plane pointed at its own port. */
    public static class Loopback implements QuarkusTestProfile {
        private static final int PORT = freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", Integer.toString(PORT),
                    "ponder.cluster.workers", "http://127.0.0.1:" + PORT,
                    "ponder.cluster.poll-interval", "0.2s",
                    "ponder.cluster.worker-token", TOKEN,
                    "ponder.worker.enabled", "true",
                    "ponder.worker.token", TOKEN,
                    // the worker's model checks final answers (over the wire: checkAnswers frames)
                    "ponder.reasoning.answer-check-prompt", "{problem}\ncheck {answer}",
                    "ponder.reasoning.answer-check-reasoning-tokens", "4");
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    LocalBackend local;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void searchesRunOnTheWorkerThroughTheProtocol() {
        Management.given().get("/q/health/ready").then().statusCode(200).body(containsString("1 of 1 up"));
        long before = load().path("opened").asLong();
        for (String strategy : new String[] {"greedy", "best-of-n", "beam", "mcts", "self-consistency"}) {
            given().contentType("application/json")
                    .body("{\"prompt\": \"2+3?\", \"strategy\": \"" + strategy + "\", \"searchBudget\": 4, \"maxTokens\": 12}")
                    .post("/v1/reason")
                    .then().statusCode(200).body("strategy", equalTo(strategy))
                    .body("usage.modelCalls", org.hamcrest.Matchers.greaterThan(0));
        }
        assertEquals(before + 5, load().path("opened").asLong(), "one worker session per search");
        awaitIdle();
    }

    @Test
    void aPromptTooLongForTheWorkersContextIsA400() {
        given().contentType("application/json")
                .body("{\"prompt\": \"" + "7 ".repeat(900) + "\", \"searchBudget\": 1}")
                .post("/v1/reason")
                .then().statusCode(400).body("type", equalTo("/problems/prompt-too-long"));
        awaitIdle();
    }

    @Test
    void aCancelledSearchIsCancelledOnTheWorkerAndItsKvFreed() throws Exception {
        LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        WebSocketClientConnection ws = connect("/ws/reason", null, inbox);
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"long\", \"prompt\": \"2+3?\", \"strategy\": \"mcts\","
                + " \"searchBudget\": 8, \"maxTokens\": 300, \"temperature\": 1.0}");
        JsonNode first = inbox.poll(60, TimeUnit.SECONDS);
        assertTrue(first != null && first.path("id").asText().equals("long"), "the search started: " + first);
        ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"long\"}");
        JsonNode m = first;
        while (!m.path("type").asText().equals("cancelled") && !m.path("type").asText().equals("done")) {
            m = inbox.poll(60, TimeUnit.SECONDS);
            assertTrue(m != null, "a terminal message");
            assertTrue(!m.path("type").asText().equals("error"), m.toString());
        }
        ws.closeAndAwait();
        awaitIdle();
    }

    @Test
    void theWorkerSocketWantsItsTokenAndRefusesBrokenFrames() throws Exception {
        given().get("/worker/v1/load").then().statusCode(401);
        LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        WebSocketClientConnection ws = connect("/worker/v1/session", "Bearer " + TOKEN, inbox);
        ws.sendTextAndAwait("{\"type\": \"propose\", \"call\": 1, \"chain\": [], \"k\": 1,"
                + " \"sampling\": {\"temperature\": 0, \"seed\": 1, \"maxStepTokens\": 4, \"maxChainTokens\": 4, \"delimiter\": \"\\n\"}}");
        assertProblem(inbox.poll(30, TimeUnit.SECONDS), "/problems/worker-protocol");
        ws.sendTextAndAwait("{\"type\": \"open\", \"messages\": [{\"role\": \"user\", \"content\": \"2+3?\"}], \"maxTokens\": 8}");
        JsonNode opened = inbox.poll(30, TimeUnit.SECONDS);
        assertEquals("opened", opened.path("type").asText(), opened.toString());
        assertTrue(opened.path("promptTokens").asInt() > 0 && opened.path("chainTokens").asInt() == 8, opened.toString());
        ws.sendTextAndAwait("{\"type\": \"selfCheck\", \"call\": 2, \"chains\": [[41]]}");
        assertProblem(inbox.poll(30, TimeUnit.SECONDS), "/problems/worker-protocol");
        // final answers are checked in a fresh context: the opened frame says the model can (configured above)
        assertTrue(opened.path("checksAnswers").asBoolean(), opened.toString());
        ws.sendTextAndAwait("{\"type\": \"checkAnswers\", \"call\": 5, \"answers\": [\"5\", \"6\"]}");
        JsonNode checked = inbox.poll(60, TimeUnit.SECONDS);
        assertEquals("scores", checked.path("type").asText(), checked.toString());
        assertEquals(5, checked.path("call").asInt());
        assertEquals(2, checked.path("scores").size(), checked.toString());
        for (JsonNode v : checked.path("scores")) {
            assertTrue(v.asDouble() >= 0 && v.asDouble() <= 1, checked.toString());
        }
        ws.sendTextAndAwait("not json");
        assertProblem(inbox.poll(30, TimeUnit.SECONDS), "/problems/malformed-json");
        ws.sendTextAndAwait("{\"type\": \"propose\", \"call\": 3, \"chain\": [], \"k\": 2,"
                + " \"sampling\": {\"temperature\": 1, \"seed\": 1, \"maxStepTokens\": 4, \"maxChainTokens\": 8, \"delimiter\": \"\\n\"}}");
        JsonNode steps = inbox.poll(60, TimeUnit.SECONDS);
        assertEquals("steps", steps.path("type").asText(), steps.toString());
        assertEquals(3, steps.path("call").asInt());
        int id = steps.path("steps").get(0).path("id").asInt();
        ws.sendTextAndAwait("{\"type\": \"selfCheck\", \"call\": 4, \"chains\": [[" + id + "], []]}");
        JsonNode scores = inbox.poll(60, TimeUnit.SECONDS);
        assertEquals("scores", scores.path("type").asText(), scores.toString());
        assertEquals(2, scores.path("scores").size());
        ws.closeAndAwait();
        awaitIdle();
    }

    // --- helpers

    private WebSocketClientConnection connect(String path, String authorization, LinkedBlockingQueue<JsonNode> inbox) {
        var c = BasicWebSocketConnector.create().baseUri(base).path(path)
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((conn, m) -> {
                    try {
                        JsonNode n = JSON.readTree(m);
                        if (!n.path("type").asText().equals("hello")) {   // the reason socket's greeting; WsSchemaTest covers it
                            inbox.add(n);
                        }
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + m, e);
                    }
                });
        if (authorization != null) {
            c.addHeader("Authorization", authorization);
        }
        return c.connectAndAwait();
    }

    private static void assertProblem(JsonNode m, String type) {
        assertTrue(m != null, "an answer");
        assertEquals("failed", m.path("type").asText(), m.toString());
        assertEquals(type, m.path("problem").path("type").asText(), m.toString());
    }

    private static JsonNode load() {
        try {
            return JSON.readTree(given().header("Authorization", "Bearer " + TOKEN).get("/worker/v1/load")
                    .then().statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every session closed on the worker, and its KV cache holds nothing but cached prefixes. */
    private void awaitIdle() {
        long until = System.currentTimeMillis() + 10_000;
        while (load().path("sessions").asInt() != 0 && System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        assertEquals(0, load().path("sessions").asInt(), "worker sessions closed");
        var kv = local.current().engine().kvStats();
        long until2 = System.currentTimeMillis() + 10_000;
        while (kv.usedBlocks() != kv.evictableBlocks() && System.currentTimeMillis() < until2) {
            Thread.onSpinWait();
            kv = local.current().engine().kvStats();
        }
        assertEquals(kv.evictableBlocks(), kv.usedBlocks(), "only cached prefixes hold blocks: " + kv);
    }
}

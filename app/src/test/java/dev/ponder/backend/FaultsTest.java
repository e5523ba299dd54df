package dev.ponder.backend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.admission.AskGate;
import dev.ponder.reason.Reasoner;
import dev.ponder.testing.Drills;
import dev.ponder.testing.Eventually;
import dev.ponder.testing.LogCapture;
import dev.ponder.testing.Management;
import dev.ponder.testing.Metrics;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import dev.ponder.testing.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An injected model-call failure ends that search, and only that one, with exactly one error on every
 * interface (JSON, SSE, OpenAI, WebSocket); slots, leases and KV blocks come back and the service keeps serving.
 */
@QuarkusTest
@TestProfile(Drills.class)
class FaultsTest {

    private static final String FAILING = "\"prompt\": \"2+3? " + Drills.FAIL + "\", \"strategy\": \"best-of-n\","
            + " \"searchBudget\": 2, \"maxTokens\": 8";
    private static final String FINE = "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Reasoner reasoner;

    @Inject
    AskGate gate;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void aFailedModelCallEndsItsAskWithOneErrorAndTheServiceGoesOn() {
        try (LogCapture log = LogCapture.start()) {
            failEverywhere();
            // the failure stays with its search: the engine goes on without an error of its own
            List<String> engine = log.atOrAbove(Level.SEVERE).stream().filter(l -> l.startsWith("dev.ponder.engine")).toList();
            assertTrue(engine.isEmpty(), "the engine logged errors: " + engine);
        }
    }

    private void failEverywhere() {
        double errorsBefore = errors();
        given().contentType("application/json").body("{" + FAILING + "}").post("/v1/reason")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo("/problems/internal")).body("detail", containsString("injected failure of model call 2"));

        String sse = given().contentType("application/json").body("{" + FAILING + ", \"stream\": true}").post("/v1/reason")
                .then().statusCode(200).extract().asString();
        Terminals.Sse last = Terminals.exactlyOneSse(sse, "SSE");
        assertEquals("error", last.name());
        assertEquals(500, last.data().at("/error/status").asInt());
        assertTrue(Terminals.parseSse(sse).size() > 1, "the search ran until the faulty call: " + sse);

        String chat = "{\"messages\": [{\"role\": \"user\", \"content\": \"2+3? " + Drills.FAIL + "\"}], \"max_tokens\": 8,"
                + " \"search_budget\": 2, \"strategy\": \"best-of-n\"";
        given().contentType("application/json").body(chat + "}").post("/v1/chat/completions")
                .then().statusCode(500).body("error.type", equalTo("server_error"));
        String chunks = given().contentType("application/json").body(chat + ", \"stream\": true}").post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();
        assertTrue(chunks.contains("\"error\"") && chunks.trim().endsWith("data: [DONE]"), chunks);
        assertEquals(1, chunks.split("\"error\":\\{", -1).length - 1, "one error chunk: " + chunks);

        try (SocketClient ws = SocketClient.connect(base)) {
            ws.ask("bad", FAILING);
            ws.ask("good", FINE);
            ws.awaitTerminal("bad", Duration.ofMinutes(1));
            ws.awaitTerminal("good", Duration.ofMinutes(1));
            Terminals.settle();
            assertEquals("error", ws.exactlyOnce("bad"));
            assertEquals(500, ws.messages("bad").get(ws.messages("bad").size() - 1).at("/error/status").asInt());
            assertEquals("done", ws.exactlyOnce("good"), "an ask beside the faulty one is not affected");
            assertTrue(ws.isOpen());
        }

        // the service goes on: everything given back, the next ask answered, readiness still up
        Eventually.holds(() -> gate.running() == 0 && reasoner.admission().running() == 0, Duration.ofSeconds(30),
                "leases and slots given back");
        Eventually.holds(Metrics::kvAtBaseline, Duration.ofSeconds(30), "KV blocks back to the prefix cache only");
        given().contentType("application/json").body("{" + FINE + "}").post("/v1/reason").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200);
        assertTrue(errors() - errorsBefore >= 5, "every faulty search counted as an error in ponder_searches_total");
    }

    private static double errors() {
        double v = Metrics.value("ponder_searches_total", "outcome=\"error\"", "strategy=\"best-of-n\"");
        return Double.isNaN(v) ? 0 : v;
    }
}

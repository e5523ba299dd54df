package dev.ponder.ws;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.reason.Reasoner;
import dev.ponder.testing.Eventually;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No silent queueing: an ask that has to wait says so ({@code queued}, with its place), and one that waits longer than
 * {@code ponder.limits.max-queue-wait} ends with {@code overloaded} (429 with Retry-After over REST); the limit and the
 * refusals are in the metrics. One slot, a one-second wait limit, and model calls made slow by fault injection.
 */
@QuarkusTest
@TestProfile(QueueTest.OneSlot.class)
class QueueTest {

    public static class OneSlot implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ponder.limits.max-concurrent", "1",
                    "ponder.limits.max-queued", "4",
                    "ponder.limits.max-queue-wait", "PT1S",
                    "ponder.limits.max-asks-per-connection", "4",
                    "ponder.faults.enabled", "true",
                    "ponder.faults.call-delay", "PT0.3S",
                    "ponder.search.max-budget", "64",
                    "ponder.model.warm-up", "false");
        }
    }

    /**
     * Holds the one slot for many slow model calls (cancelled by each test once it is done): mcts runs its simulations
     * four at a time, so 64 of them take 16 rounds of slowed calls, seconds more than the test needs (at budget 8 a
     * hold on a loaded machine once finished before the test cancelled it).
     */
    private static final String HOLD = "\"prompt\": \"Count. [[slow]]\", \"strategy\": \"mcts\", \"searchBudget\": 64,"
            + " \"maxTokens\": 300, \"temperature\": 1.0";
    private static final String QUICK = "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Reasoner reasoner;

    @BeforeEach
    void ready() {
        ServiceReady.await();
        Eventually.holds(() -> reasoner.admission().running() == 0 && reasoner.admission().queued() == 0,
                Duration.ofMinutes(1), "no search left from another test");
    }

    @Test
    void aWaitingAskSaysSoAndEndsOverloadedAfterTheLimit() {
        try (SocketClient ws = SocketClient.connect(base)) {
            JsonNode hello = ws.hello(Duration.ofMinutes(1));
            assertEquals(1000, hello.at("/limits/maxQueueWaitMs").asInt());
            ws.ask("hold", HOLD);
            ws.awaitType("hold", Duration.ofMinutes(1), "node");
            long t0 = System.nanoTime();
            ws.ask("waits", QUICK);
            JsonNode end = ws.awaitTerminal("waits", Duration.ofMinutes(1));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            List<JsonNode> msgs = ws.messages("waits");
            msgs.forEach(WsSchema::assertValid);
            assertEquals("queued", msgs.get(0).get("type").asText(), "first it says it waits: " + msgs);
            assertEquals(1, msgs.get(0).get("position").asInt());
            assertEquals("error", end.get("type").asText(), msgs.toString());
            assertEquals("overloaded", end.get("code").asText());
            assertTrue(end.get("terminal").asBoolean());
            assertEquals(2, msgs.size(), "queued, then the refusal: " + msgs);
            assertTrue(waitedMs >= 900, "it waited the limit: " + waitedMs + " ms");

            // REST: the same wait ends with 429 and Retry-After
            long r0 = System.nanoTime();
            Response r = given().contentType("application/json").body("{" + QUICK + "}").post("/v1/reason");
            assertEquals(429, r.statusCode(), r.asString());
            assertEquals("1", r.header("Retry-After"));
            assertTrue(r.contentType().startsWith("application/problem+json"));
            assertEquals("/problems/overloaded", r.jsonPath().getString("type"));
            assertTrue((System.nanoTime() - r0) / 1_000_000 >= 900);

            String metrics = dev.ponder.testing.Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("ponder_limits_max_queue_wait_seconds 1.0"), "the limit is in the metrics");
            double timeouts = metrics.lines().filter(l -> l.startsWith("ponder_queue_timeouts_total"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertTrue(timeouts >= 2, "two asks waited too long: " + timeouts);
            ws.cancel("hold");
            assertEquals("cancelled", ws.awaitTerminal("hold", Duration.ofMinutes(1)).get("type").asText());
        }
    }

    @Test
    void aWaitingAskThatGetsItsSlotInTimeRuns() {
        try (SocketClient ws = SocketClient.connect(base)) {
            ws.ask("brief", "\"prompt\": \"Count. [[slow]]\", \"strategy\": \"mcts\", \"searchBudget\": 8,"
                    + " \"maxTokens\": 64, \"deadlineMs\": 300");
            ws.awaitType("brief", Duration.ofMinutes(1), "node");
            ws.ask("next", QUICK);
            assertEquals("done", ws.awaitTerminal("next", Duration.ofMinutes(1)).get("type").asText(),
                    ws.messages("next").toString());
            List<JsonNode> msgs = ws.messages("next");
            msgs.forEach(WsSchema::assertValid);
            assertEquals("queued", msgs.get(0).get("type").asText());
            assertEquals("node", msgs.get(1).get("type").asText(), "then the search starts: " + msgs);
            ws.awaitTerminal("brief", Duration.ofMinutes(1));
            assertEquals("done", ws.exactlyOnce("next"));
        }
    }
}

package dev.ponder.reason;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.testing.Drills;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import dev.ponder.testing.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request's own deadline ({@code deadlineMs}): a search slower than it (each model call 150 ms late) ends
 * at the deadline with its best chain so far, marked cutShort, on REST, SSE and WebSocket; out-of-range
 * deadlines are refused with 400.
 */
@QuarkusTest
@TestProfile(Drills.class)
class DeadlineTest {

    /** Unbounded by its own limits, this search would take many seconds: mcts, long chains, slow calls. */
    private static final String SLOW = "\"prompt\": \"Think hard. " + Drills.SLOW + "\", \"strategy\": \"mcts\","
            + " \"searchBudget\": 8, \"maxTokens\": 300, \"temperature\": 1.0";

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void aSearchPastItsDeadlineEndsWithItsBestChainCutShort() {
        long t0 = System.nanoTime();
        given().contentType("application/json").body("{" + SLOW + ", \"deadlineMs\": 700}").post("/v1/reason")
                .then().statusCode(200).body("cutShort", equalTo(true)).body("finishReason", equalTo("length"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 700 && ms < 10_000, "answered at the deadline, after " + ms + " ms");

        String sse = given().contentType("application/json").body("{" + SLOW + ", \"deadlineMs\": 500, \"stream\": true}")
                .post("/v1/reason").then().statusCode(200).extract().asString();
        Terminals.Sse done = Terminals.exactlyOneSse(sse, "SSE");
        assertEquals("done", done.name());
        assertTrue(done.data().at("/result/cutShort").asBoolean(), sse);

        try (SocketClient ws = SocketClient.connect(base)) {
            ws.ask("d", SLOW + ", \"deadlineMs\": 500");
            JsonNode end = ws.awaitTerminal("d", Duration.ofMinutes(1));
            Terminals.settle();
            assertEquals("done", ws.exactlyOnce("d"));
            assertTrue(end.at("/result/cutShort").asBoolean(), end.toString());
        }
    }

    @Test
    void aFastSearchIsNotCutShortByALongDeadline() {
        given().contentType("application/json")
                .body("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4, \"deadlineMs\": 60000}")
                .post("/v1/reason").then().statusCode(200).body("cutShort", equalTo(false));
    }

    @Test
    void deadlinesOutOfRangeAreRefused() {
        for (String bad : new String[] {"0", "-5", "60001", "99999999999999"}) {
            given().contentType("application/json").body("{\"prompt\": \"1+1?\", \"deadlineMs\": " + bad + "}")
                    .post("/v1/reason").then().statusCode(400).body("type", equalTo("/problems/invalid-deadline"));
        }
        for (String bad : new String[] {"\"soon\"", "1.5", "1e400", "99999999999999999999999"}) {
            given().contentType("application/json").body("{\"prompt\": \"1+1?\", \"deadlineMs\": " + bad + "}")
                    .post("/v1/reason").then().statusCode(400).body("type", equalTo("/problems/invalid-request"));
        }
        try (SocketClient ws = SocketClient.connect(base)) {
            ws.ask("z", "\"prompt\": \"1+1?\", \"deadlineMs\": 0");
            JsonNode end = ws.awaitTerminal("z", Duration.ofSeconds(30));
            assertEquals("/problems/invalid-deadline", end.at("/error/type").asText());
        }
    }
}

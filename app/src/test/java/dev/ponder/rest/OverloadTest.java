package dev.ponder.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.Terminals;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An engine with almost no KV memory: work it cannot hold ends the ask with one 503 problem, nothing lingers. */
@QuarkusTest
@TestProfile(OverloadTest.TinyKv.class)
class OverloadTest {

    /** Two blocks of 1024 slots: room for a prompt and one branch, not for eight (and none for a warm-up). */
    public static class TinyKv implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ponder.engine.block-size", "1024", "ponder.engine.kv-budget-mb", "1",
                    "ponder.model.warm-up", "false");
        }
    }

    @jakarta.inject.Inject
    dev.ponder.reason.Reasoner reasoner;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void aSearchTooBigForKvMemoryFailsWithA503() {
        Response r = given().contentType("application/json")
                .body("{\"prompt\": \"2+3?\", \"strategy\": \"beam\", \"searchBudget\": 8, \"maxTokens\": 40}")
                .post("/v1/reason");
        r.then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
    }

    @Test
    void theStreamEndsWithOneErrorEvent() {
        Response r = given().contentType("application/json")
                .body("{\"prompt\": \"2+3?\", \"strategy\": \"beam\", \"searchBudget\": 8, \"maxTokens\": 40, \"stream\": true}")
                .post("/v1/reason");
        r.then().statusCode(200);
        List<Terminals.Sse> events = Terminals.parseSse(r.asString());
        Terminals.Sse last = events.get(events.size() - 1);
        assertEquals("error", last.name());
        assertEquals(503, last.data().at("/error/status").asInt());
        assertTrue(events.stream().noneMatch(e -> e.name().equals("done")));
        long giveUp = System.currentTimeMillis() + 60_000;
        while (reasoner.admission().running() > 0) {
            assertTrue(System.currentTimeMillis() < giveUp, "the failed search kept its slot");
            Thread.onSpinWait();
        }
    }
}

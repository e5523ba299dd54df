package dev.ponder.admission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.testing.Drills;
import dev.ponder.testing.Eventually;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import dev.ponder.testing.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ponder.limits.max-asks-per-key: one key's running asks are counted over every connection and endpoint;
 * one more gets 429 with Retry-After (REST) or an {@code overloaded} error (WebSocket); other keys are not
 * affected, and the key may ask again once its ask ended.
 */
@QuarkusTest
@TestProfile(KeyLimitTest.OneAskPerKey.class)
class KeyLimitTest {

    public static class OneAskPerKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new Drills().getConfigOverrides());
            m.put("ponder.api-keys", "key-a,key-b");
            m.put("ponder.limits.max-asks-per-key", "1");
            // model calls of the long ask slow enough that it outlasts the rest of the test however fast the
            // kernel is (it is cancelled at the end)
            m.put("ponder.faults.call-delay", "PT1S");
            return m;
        }
    }

    private static final String LONG = "\"prompt\": \"Think hard. " + Drills.SLOW + "\", \"strategy\": \"beam\","
            + " \"searchBudget\": 8, \"maxTokens\": 300";
    private static final String SHORT = "{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}";

    @TestHTTPResource("/")
    URI base;

    @Inject
    AskGate gate;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void aKeyOverItsLimitIsRefusedOnEveryInterfaceUntilItsAskEnds() {
        try (SocketClient a1 = SocketClient.connect(base, Map.of("Authorization", "Bearer key-a"));
             SocketClient a2 = SocketClient.connect(base, Map.of("X-Api-Key", "key-a"));
             SocketClient b = SocketClient.connect(base, Map.of("Authorization", "Bearer key-b"))) {
            a1.ask("long", LONG);
            Eventually.holds(() -> !a1.messages("long").isEmpty(), Duration.ofSeconds(30), "the long ask runs");

            // key-a is at its limit: REST, OpenAI and another connection are refused
            given().header("Authorization", "Bearer key-a").contentType("application/json").body(SHORT).post("/v1/reason")
                    .then().statusCode(429).header("Retry-After", "1").contentType("application/problem+json")
                    .body("type", equalTo("/problems/overloaded")).body("detail", containsString("max-asks-per-key"));
            given().header("Authorization", "Bearer key-a").contentType("application/json")
                    .body("{\"messages\": [{\"role\": \"user\", \"content\": \"1+1?\"}], \"max_tokens\": 4}")
                    .post("/v1/chat/completions").then().statusCode(429).body("error.code", equalTo("overloaded"));
            a2.ask("second", "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4");
            JsonNode refused = a2.awaitTerminal("second", Duration.ofSeconds(30));
            assertEquals("overloaded", refused.path("code").asText(), refused.toString());
            assertEquals(429, refused.at("/error/status").asInt());

            // another key is not affected
            given().header("Authorization", "Bearer key-b").contentType("application/json").body(SHORT).post("/v1/reason")
                    .then().statusCode(200);
            b.ask("b1", "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4");
            assertEquals("done", b.awaitTerminal("b1", Duration.ofMinutes(1)).path("type").asText());

            // once the long ask ends, key-a may ask again
            a1.cancel("long");
            a1.awaitTerminal("long", Duration.ofSeconds(30));
            Eventually.holds(() -> gate.running() == 0, Duration.ofSeconds(30), "the lease given back");
            given().header("Authorization", "Bearer key-a").contentType("application/json").body(SHORT).post("/v1/reason")
                    .then().statusCode(200);
            Terminals.settle();
            assertEquals("cancelled", a1.exactlyOnce("long"));
            assertEquals("error", a2.exactlyOnce("second"));
            assertEquals("done", b.exactlyOnce("b1"));
        }
    }
}

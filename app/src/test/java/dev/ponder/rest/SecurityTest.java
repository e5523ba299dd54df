package dev.ponder.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.testing.Drills;
import dev.ponder.testing.LogCapture;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request size limits, CORS closed by default, and no prompt text in the logs at INFO. */
@QuarkusTest
@TestProfile(Drills.class)
class SecurityTest {

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        String huge = "{\"prompt\": \"" + "a".repeat(1_100_000) + "\"}";
        given().contentType("application/json").body(huge).post("/v1/reason").then().statusCode(413);
        given().contentType("application/json").body(huge).post("/v1/chat/completions").then().statusCode(413);
        // under the body limit but over ponder.limits.max-prompt-chars: a problem
        given().contentType("application/json").body("{\"prompt\": \"" + "a".repeat(300_000) + "\"}").post("/v1/reason")
                .then().statusCode(400);
    }

    @Test
    void aWebSocketMessageOverTheLimitClosesOnlyItsConnection() {
        try (SocketClient big = SocketClient.connect(base)) {
            big.ask("big", "\"prompt\": \"" + "a".repeat(1_100_000) + "\"");
            dev.ponder.testing.Eventually.holds(() -> !big.isOpen(), Duration.ofSeconds(30), "the connection closed");
        }
        try (SocketClient next = SocketClient.connect(base)) {
            next.ask("ok", "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4");
            assertEquals("done", next.awaitTerminal("ok", Duration.ofMinutes(1)).path("type").asText());
        }
    }

    @Test
    void corsStaysClosed() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/reason").then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").contentType("application/json")
                .body("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}").post("/v1/reason")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void noPromptTextInTheLogsAtInfo() {
        String secret = "zebra-quartz-4711";
        try (LogCapture log = LogCapture.start()) {
            given().contentType("application/json").body("{\"prompt\": \"" + secret + " 1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}")
                    .post("/v1/reason").then().statusCode(200);
            given().contentType("application/json").body("{\"prompt\": \"" + secret + " " + Drills.FAIL
                    + "\", \"searchBudget\": 2, \"strategy\": \"best-of-n\", \"maxTokens\": 8}").post("/v1/reason").then().statusCode(500);
            given().contentType("application/json").body("{\"prompt\": \"" + secret + "\", \"strategy\": \"psychic\"}")
                    .post("/v1/reason").then().statusCode(400);
            given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"" + secret
                    + "\"}], \"max_tokens\": 4, \"stream\": true}").post("/v1/chat/completions").then().statusCode(200);
            given().get("/v1/reason/options?api_key=" + secret).then().statusCode(200);
            try (SocketClient ws = SocketClient.connect(base)) {
                ws.ask("s", "\"prompt\": \"" + secret + "\", \"searchBudget\": 1, \"maxTokens\": 4");
                ws.awaitTerminal("s", Duration.ofMinutes(1));
                ws.send("{\"type\": \"ask\", \"id\": \"" + secret + "\", \"prompt\": 5}");
                ws.awaitTerminal(secret, Duration.ofSeconds(30));
            }
            List<String> leaks = log.atOrAbove(Level.INFO).stream().filter(l -> l.contains(secret)).toList();
            assertTrue(leaks.isEmpty(), "prompt text in the logs: " + leaks);
            assertTrue(log.atOrAbove(Level.INFO).stream().anyMatch(l -> l.contains("/v1/reason/options")),
                    "the capture saw the access log: " + log.atOrAbove(Level.INFO));
        }
    }
}

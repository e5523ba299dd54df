package dev.ponder.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.tasks.Game24Checker;
import dev.ponder.testing.ServiceReady;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance request of the embedded model (issue #5), as a user sends it: beam search with budget 64 on the
 * benchmark's puzzle ranked 1000, which the model never saw in training, must answer with an expression the exact
 * checker accepts. Greedy decoding gets this puzzle wrong, so the search has to earn it.
 */
@QuarkusTest
@TestProfile(EmbeddedModelSolvesTest.Embedded.class)
class EmbeddedModelSolvesTest {

    /** The service as a fresh install runs it: the embedded model and the production search limits. */
    public static class Embedded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ponder.model.path", "../model/src/main/resources/models/ponder-tiny", "ponder.model.name", "ponder-tiny",
                    "ponder.search.max-budget", "64", "ponder.search.default-max-tokens", "512",
                    "ponder.engine.kv-budget-mb", "256");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void beamAtBudget64MakesTwentyFourFrom4_9_10_13() throws Exception {
        // about 30-60 s on 2 busy cores: longer than the 30 s read timeout Quarkus gives RestAssured
        RestAssuredConfig patient = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 600_000).setParam("http.connection.timeout", 10_000));
        JsonNode body = JSON.readTree(given().config(patient).contentType("application/json")
                .body("{\"prompt\": \"Use 4 9 10 13 to make 24.\", \"searchBudget\": 64, \"strategy\": \"beam\"}")
                .post("/v1/reason").then().statusCode(200).extract().asString());
        assertEquals("beam", body.get("strategy").asText());
        String answer = body.get("answer").asText();
        assertTrue(Game24Checker.check("4 9 10 13", answer).valid(), "not a valid expression for 24: " + answer
                + "\n" + body.get("text").asText());
        assertTrue(body.get("usage").get("nodes").asInt() > 1, "a search, not one chain");
    }
}

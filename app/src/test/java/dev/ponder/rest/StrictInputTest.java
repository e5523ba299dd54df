package dev.ponder.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.testing.ServiceReady;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strict input on {@code POST /v1/reason}: a wrong JSON type, a key given twice and an unknown field are 400 problems
 * naming the field; OpenAI requests still accept unknown fields. And every 4xx from any path is problem JSON, the
 * server's own (413, 404, 405) included.
 */
@QuarkusTest
class StrictInputTest {

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    private static void refused(String body, String type, String param) {
        given().contentType("application/json").body(body).post("/v1/reason")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(type))
                .body("param", equalTo(param));
    }

    @Test
    void wrongTypesDuplicatesAndUnknownFieldsAreNamed() {
        refused("{\"prompt\": 5}", "/problems/invalid-request", "prompt");
        refused("{\"prompt\": true}", "/problems/invalid-request", "prompt");
        refused("{\"prompt\": \"x\", \"strategy\": 3}", "/problems/invalid-request", "strategy");
        refused("{\"prompt\": \"x\", \"searchBudget\": \"4\"}", "/problems/invalid-request", "searchBudget");
        refused("{\"messages\": [{\"role\": \"user\", \"content\": 7}]}", "/problems/invalid-request", "messages[0].content");
        refused("{\"prompt\": \"x\", \"prompt\": \"y\"}", "/problems/duplicate-field", "prompt");
        refused("{\"messages\": [{\"role\": \"user\", \"role\": \"system\", \"content\": \"x\"}]}",
                "/problems/duplicate-field", "messages[0].role");
        refused("{\"prompt\": \"x\", \"searchbudget\": 4}", "/problems/unknown-field", "searchbudget");
        refused("{\"prompt\": \"x\", \"top_p\": 0.5}", "/problems/unknown-field", "top_p");
        refused("{\"prompt\": \"x\", \"searchBudget\": 100}", "/problems/invalid-budget", "searchBudget");
        refused("{\"prompt\": \"x\", \"topP\": 1.5}", "/problems/invalid-top-p", "topP");
        // the same key twice is refused on OpenAI paths too; unknown fields there are accepted, as clients expect
        given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                        + " \"max_tokens\": 4, \"max_tokens\": 5}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("max_tokens"));
        given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                        + " \"max_tokens\": 4, \"search_budget\": 1, \"frequency_penalty\": 0, \"user\": \"u1\", \"metadata\": {}}")
                .post("/v1/chat/completions").then().statusCode(200);
        // and a known field with topP is fine on /v1/reason
        given().contentType("application/json").body("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4, \"topP\": 0.9}")
                .post("/v1/reason").then().statusCode(200).body("seed", equalTo(0));
    }

    @TestHTTPResource("/v1/reason")
    URI reason;

    /** A body of unknown length: the client sends it chunked. */
    private HttpResponse<String> chunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return post(reason, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    }

    /** A JSON POST over HTTP/1.1 through java.net.http. */
    private static HttpResponse<String> post(URI uri, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(body).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChunkedBodyOverTheLimitGetsProblemJsonAndOneWithinItIsServed() throws Exception {
        HttpResponse<String> big = chunked("{\"prompt\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertTrue(big.statusCode() == 413 && big.headers().firstValue("content-type").orElse("").startsWith("application/problem+json")
                && big.body().contains("/problems/body-too-large"), big.statusCode() + " " + big.headers() + " " + big.body());
        HttpResponse<String> small = chunked("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}");
        assertTrue(small.statusCode() == 200 && small.body().contains("\"answer\""), small.statusCode() + " " + small.body());
    }

    @Test
    void theServersOwnRefusalsAreProblemJsonToo() throws Exception {
        String big = "{\"prompt\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        // the server answers before the client has written all 2 MiB, then reads and drops the rest before it
        // closes: a client still writing gets the 413, not a reset connection (three times each, as it is a race)
        for (String path : new String[] {"/v1/reason", "/v1/chat/completions", "/v1/reason", "/v1/chat/completions",
                "/v1/reason", "/v1/chat/completions"}) {
            HttpResponse<String> r = post(reason.resolve(path), HttpRequest.BodyPublishers.ofString(big));
            assertTrue(r.statusCode() == 413
                    && r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json")
                    && r.body().contains("\"type\":\"/problems/body-too-large\"") && r.body().contains("\"status\":413"),
                    path + ": " + r.statusCode() + " " + r.headers() + " " + r.body());
        }
        given().get("/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
        given().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("nothing is served"));
        given().get("/v1/models/no-such-model").then().statusCode(404).contentType("application/problem+json")
                .body("error.code", equalTo("model-not-found"));
        given().get("/v1/reason").then().statusCode(405).contentType("application/problem+json")
                .body("type", equalTo("/problems/method-not-allowed"));
        given().delete("/v1/chat/completions").then().statusCode(405).contentType("application/problem+json")
                .body("error.code", equalTo("method-not-allowed"));
        // whatever else a client gets wrong, a 4xx is problem JSON
        for (Map.Entry<String, String> odd : Map.of("text/plain", "hello", "application/x-www-form-urlencoded", "a=1",
                "application/xml", "<a/>").entrySet()) {
            Response r = given().contentType(odd.getKey()).body(odd.getValue()).post("/v1/reason");
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, odd + " -> " + r.statusCode());
            assertTrue(r.contentType().startsWith("application/problem+json"), odd + " -> " + r.contentType() + " " + r.asString());
        }
        // the page and its files are still served
        given().get("/").then().statusCode(200).contentType(startsWith("text/html"));
        given().get("/app.js").then().statusCode(200);
    }
}

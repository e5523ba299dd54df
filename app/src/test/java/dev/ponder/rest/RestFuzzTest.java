package dev.ponder.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.search.Gen;
import dev.ponder.testing.Payloads;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed bodies ({@link Payloads}) against {@code POST /v1/reason} and {@code /v1/chat/completions}: every one
 * is answered within a minute with 200 (a valid ask; a stream then ends with exactly one terminal event) or a
 * 4xx problem, never a 5xx; afterwards the service still answers. The seed is fixed so a failure repeats.
 */
@QuarkusTest
class RestFuzzTest {

    private static final long SEED = 20261125L;
    private static final int TRIES = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void everyFuzzedBodyGetsA200OrA4xxNeverA5xx() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Random random = new Random(SEED);
        Gen<byte[]> bodies = Payloads.bodies();
        for (int i = 0; i < TRIES; i++) {
            byte[] body = bodies.next(random);
            String path = i % 3 == 2 ? "/v1/chat/completions" : "/v1/reason";
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(1))
                    .header("Content-Type", i % 5 == 4 ? "text/plain" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            String what = "try " + i + " (seed " + SEED + ") " + path + " " + Payloads.preview(body) + " -> " + r.statusCode()
                    + " " + Payloads.preview(r.body().getBytes());
            statuses.merge(r.statusCode(), 1, Integer::sum);
            assertTrue(r.statusCode() == 200 || (r.statusCode() >= 400 && r.statusCode() < 500), what);
            if (r.statusCode() == 400) {
                assertTrue(JSON.readTree(r.body()).path("type").asText().startsWith("/problems/"), what);
            }
            if (r.statusCode() == 200 && path.equals("/v1/reason")
                    && r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                assertEquals("done", Terminals.exactlyOneSse(r.body(), what).name(), what);
            }
        }
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(base.resolve("/v1/reason"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode(), "the service still answers");
        assertTrue(statuses.keySet().stream().anyMatch(s -> s == 400), "the fuzzer reached validation: " + statuses);
        assertTrue(statuses.getOrDefault(200, 0) > 0, "the fuzzer reached searches: " + statuses);
        System.out.println("REST fuzz statuses (" + TRIES + " tries, seed " + SEED + "): " + statuses);
    }
}

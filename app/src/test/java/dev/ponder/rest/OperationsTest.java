package dev.ponder.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.local.LocalBackend;
import dev.ponder.reason.Reasoner;
import dev.ponder.testing.Management;
import dev.ponder.testing.ServiceReady;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health, metrics, OpenAPI, the page, and what happens when a streaming client goes away. */
@QuarkusTest
class OperationsTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    Reasoner reasoner;

    @Inject
    LocalBackend holder;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void readinessNamesTheModel() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("model"))
                .body("checks.find { it.name == 'model' }.data.name", equalTo("internlm3-tiny"));
    }

    @Test
    void prometheusExposesSearchEngineAndKvMetrics() {
        given().contentType("application/json").body("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}")
                .post("/v1/reason").then().statusCode(200);
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] {"ponder_searches_total", "ponder_searches_active", "ponder_searches_waiting",
                "ponder_engine_queue_depth", "ponder_engine_tokens_per_second", "ponder_engine_tokens_computed_total",
                "ponder_kv_blocks{state=\"used\"", "ponder_kv_prefix_hit_rate", "ponder_generated_tokens_total",
                "http_server_requests_seconds_count"}) {
            assertTrue(metrics.contains(name), name + " missing");
        }
    }

    @Test
    void openApiDescribesTheEndpoints() {
        Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/reason"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/chat/completions"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/models"));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void operationsAreServedOnTheManagementPortOnly() {
        assertTrue(Management.port() != RestAssured.port, "management port " + Management.port() + " is the public one");
        for (String path : new String[] {"/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi", "/q/swagger-ui/"}) {
            given().get(path).then().statusCode(404);
            Management.given().get(path).then().statusCode(200);
        }
    }

    @Test
    void thePageAndItsOptionsAreServed() {
        given().get("/").then().statusCode(200).body(containsString("Search tree"));
        given().get("/app.js").then().statusCode(200);
        given().get("/v1/reason/options").then().statusCode(200)
                .body("state", equalTo("ready"))
                .body("strategies", hasItem("mcts"))
                .body("maxBudget", equalTo(8));
    }

    @Test
    void aStreamingClientThatLeavesCancelsItsSearch() throws Exception {
        clientLeaves(true);
    }

    @Test
    void aClientThatLeavesBeforeTheResultCancelsItsSearch() throws Exception {
        clientLeaves(false);
    }

    /** Starts a long search over a raw socket, hangs up once it runs, and waits for it to be cancelled. */
    private void clientLeaves(boolean stream) throws Exception {
        var cancelled = registry.counter("ponder.searches", "strategy", "mcts", "outcome", "cancelled");
        double before = cancelled.count();
        String body = "{\"prompt\": \"Think hard.\", \"strategy\": \"mcts\", \"searchBudget\": 8, \"maxTokens\": 300,"
                + " \"temperature\": 1.0, \"stream\": " + stream + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/reason HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            if (stream) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("event: node")) {
                    // headers and chunk sizes
                }
                assertTrue(line != null, "the stream started");
            } else {
                long started = System.currentTimeMillis() + 60_000;
                while (reasoner.admission().running() == 0) {
                    assertTrue(System.currentTimeMillis() < started, "the search never started");
                    Thread.sleep(10);
                }
            }
        }
        long giveUp = System.currentTimeMillis() + 60_000;
        while (reasoner.admission().running() > 0 || !noSequenceHoldsKv()) {
            assertTrue(System.currentTimeMillis() < giveUp, "the search kept running after its client left");
            Thread.sleep(50);
        }
        assertTrue(cancelled.count() == before + 1, "the search was cancelled, not finished");
    }

    private boolean noSequenceHoldsKv() {
        var kv = holder.current().engine().kvStats();
        return kv.usedBlocks() == kv.evictableBlocks();
    }
}

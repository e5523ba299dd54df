package dev.ponder.admission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.ponder.testing.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With ponder.api-keys set, the API and the WebSocket need a key; the page, health and metrics do not. */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeys.class)
class ApiKeysTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ponder.api-keys", "first-key,second-key", "ponder.model.warm-up", "false");
        }
    }

    private static final String ASK = "{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}";

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void ready() {
        dev.ponder.testing.ServiceReady.await();
    }

    @Test
    void theApiNeedsAKey() {
        given().contentType("application/json").body(ASK).post("/v1/reason")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("/problems/unauthorized"));
        given().header("Authorization", "Bearer wrong-key").contentType("application/json").body(ASK).post("/v1/reason")
                .then().statusCode(401);
        given().header("Authorization", "Bearer second-key").contentType("application/json").body(ASK).post("/v1/reason")
                .then().statusCode(200);
        given().header("X-Api-Key", "first-key").get("/v1/models").then().statusCode(200);
        given().get("/v1/models").then().statusCode(401).body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void thePageStaysOpenAndOperationsNeedNoKeyOnTheManagementPortOnly() {
        given().get("/").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200);
        // Not on the public port, key or no key: the Ingress never reaches them.
        given().get("/q/metrics").then().statusCode(404);
        given().header("Authorization", "Bearer first-key").get("/q/metrics").then().statusCode(404);
    }

    @Test
    void anOpenAiClientSendsItsKey() {
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .baseUrl(base.resolve("/v1").toString()).modelName("internlm3-tiny").maxTokens(4)
                .timeout(Duration.ofMinutes(1)).customParameters(Map.of("search_budget", 1));
        assertNotNull(builder.apiKey("first-key").build().chat("1+1?"));
        assertThrows(RuntimeException.class, () -> builder.apiKey("nope").build().chat("1+1?"));
    }

    @Test
    void theWebSocketNeedsAKeyInAHeaderOrTheQuery() throws Exception {
        assertThrows(RuntimeException.class, () -> BasicWebSocketConnector.create().baseUri(base).path("/ws/reason")
                .connectAndAwait());
        var withHeader = BasicWebSocketConnector.create().baseUri(base).path("/ws/reason")
                .addHeader("Authorization", "Bearer first-key").connectAndAwait();
        assertTrue(withHeader.isOpen());
        withHeader.closeAndAwait();
        // a browser cannot set headers on a WebSocket: the key may come as ?api_key=
        URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/reason?api_key=second-key");
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                if (data.toString().contains("\"error\"")) {   // the first frame is the hello
                    reply.complete(data.toString());
                }
                w.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        socket.sendText("{\"type\": \"dance\", \"id\": \"d\"}", true);
        assertTrue(reply.get(30, TimeUnit.SECONDS).contains("/problems/unknown-message"));
        socket.abort();
    }

    @Test
    void keysAreComparedExactly() {
        ApiKeys keys = new ApiKeys(List.of("abc", " def "));
        assertTrue(keys.admits("abc") && keys.admits("def"));
        assertTrue(!keys.admits("ab") && !keys.admits("abcd") && !keys.admits(null) && !keys.admits(""));
        assertTrue(new ApiKeys(List.of()).admits(null), "no keys configured: open");
        assertTrue("k".equals(ApiKeys.presented("bearer k", null, null)));
        assertTrue("q".equals(ApiKeys.presented(null, null, "q")));
    }
}

package dev.ponder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.testing.Terminals;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the packaged service (run by failsafe after {@code package}): SIGTERM while asks run on
 * WebSocket, SSE and JSON. An ask that can finish within {@code ponder.shutdown.drain-timeout} (3 s here) ends
 * with {@code done}; asks that cannot (each of their model calls 6 s late, longer than the drain, so how many
 * calls a search makes does not matter) end with exactly one 503 error; a new ask during the drain gets 503;
 * the process exits soon after the drain time.
 */
class ShutdownDrainIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLOW = "\"prompt\": \"Think hard. [[slow]]\", \"strategy\": \"mcts\", \"searchBudget\": 8,"
            + " \"maxTokens\": 300, \"temperature\": 1.0";
    private static final String FINISHING = "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4";

    @Test
    void inFlightAsksFinishOrEndWithOneErrorWithinTheDrainTimeout() throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("ponder-shutdown", ".log");
        Process service = new ProcessBuilder("java", "-Xmx1g", "-Dai.djl.offline=true",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dponder.model.path=" + Path.of("../model/src/test/resources/models/internlm3-tiny").toAbsolutePath(),
                "-Dponder.reasoning.architecture.\"InternLM3ForCausalLM\".system-prompt=Think step by step.",
                "-Dponder.model.warm-up=false", "-Dponder.faults.enabled=true", "-Dponder.faults.call-delay=PT6S",
                "-Dponder.shutdown.drain-timeout=PT3S", "-jar", System.getProperty("ponder.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            awaitReady(http, URI.create("http://127.0.0.1:" + managementPort), service, log);

            List<JsonNode> messages = new CopyOnWriteArrayList<>();   // streamed over while the socket adds to it
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/reason"),
                    new Collector(messages)).get(30, TimeUnit.SECONDS);
            ws.sendText("{\"type\": \"ask\", \"id\": \"slow\", " + SLOW + "}", true).join();
            CompletableFuture<HttpResponse<String>> sse = http.sendAsync(post(base, "{" + SLOW + ", \"stream\": true}"),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> plain = http.sendAsync(post(base, "{" + SLOW + "}"),
                    HttpResponse.BodyHandlers.ofString());
            waitUntil(() -> messages.stream().anyMatch(m -> m.path("id").asText().equals("slow")), "the slow ask runs");
            Thread.sleep(500);
            ws.sendText("{\"type\": \"ask\", \"id\": \"finishing\", " + FINISHING + "}", true).join();
            Thread.sleep(300);

            long t0 = System.nanoTime();
            service.destroy();   // SIGTERM
            Thread.sleep(700);
            HttpResponse<String> late = http.send(post(base, "{\"prompt\": \"1+1?\", \"searchBudget\": 1}"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, late.statusCode(), "a new ask while draining: " + late.body());

            assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the service exits");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 3000 + 8000, "exited " + ms + " ms after SIGTERM (drain 3 s)");

            assertEquals(503, plain.get(10, TimeUnit.SECONDS).statusCode(), plain.get().body());
            Terminals.Sse end = Terminals.exactlyOneSse(sse.get(10, TimeUnit.SECONDS).body(), "SSE");
            assertEquals("error", end.name());
            assertEquals(503, end.data().at("/error/status").asInt());
            List<JsonNode> slow = messages.stream().filter(m -> m.path("id").asText().equals("slow")).toList();
            assertEquals("error", Terminals.exactlyOne(slow, "WebSocket slow ask"));
            assertTrue(slow.get(slow.size() - 1).at("/error/detail").asText().contains("shutting down"), slow.toString());
            List<JsonNode> finishing = messages.stream().filter(m -> m.path("id").asText().equals("finishing")).toList();
            assertEquals("done", Terminals.exactlyOne(finishing, "WebSocket finishing ask"), "it finished within the drain");
        } finally {
            service.destroyForcibly();
            System.out.println(Files.readString(log).lines().filter(l -> l.contains("ShutdownDrain") || l.contains("stopped"))
                    .reduce("", (a, b) -> a + b + "\n"));
        }
    }

    private static HttpRequest post(URI base, String body) {
        return HttpRequest.newBuilder(base.resolve("/v1/reason")).timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitReady(HttpClient http, URI base, Process service, Path log) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (!service.isAlive() || System.nanoTime() > giveUp) {
                throw new AssertionError("the service did not become ready:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < giveUp, "never: " + what);
            Thread.sleep(20);
        }
    }

    /** Keeps every message of the connection. */
    private record Collector(List<JsonNode> messages) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            try {
                messages.add(JSON.readTree(data.toString()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            ws.request(1);
            return null;
        }
    }
}

package dev.ponder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service (run by failsafe after {@code package}) with the packaged configuration: operations
 * ({@code /q/metrics}, health, OpenAPI, Swagger UI) answer on the management port only; the public port, the
 * one the Service behind the Ingress exposes, answers 404 for them and still serves the API.
 */
class ManagementPortIT {

    private static final List<String> OPERATIONS =
            List.of("/q/metrics", "/q/health/ready", "/q/health/live", "/q/openapi", "/q/swagger-ui/");

    @Test
    void metricsHealthAndApiDocsAreNotOnThePublicPort() throws Exception {
        int port = freePort();
        int management = freePort();
        Path log = Files.createTempFile("ponder-management", ".log");
        // Only the ports and the loopback host are set: the management interface is the packaged default.
        Process service = new ProcessBuilder("java", "-Xmx1g", "-Dai.djl.offline=true",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + management,
                "-Dponder.model.path=" + Path.of("../model/src/test/resources/models/internlm3-tiny").toAbsolutePath(),
                "-Dponder.model.warm-up=false", "-jar", System.getProperty("ponder.jar"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI publicBase = URI.create("http://127.0.0.1:" + port);
            URI managementBase = URI.create("http://127.0.0.1:" + management);
            awaitReady(http, managementBase, service, log);

            for (String path : OPERATIONS) {
                assertEquals(404, get(http, publicBase, path).statusCode(), "public port serves " + path);
                assertEquals(200, get(http, managementBase, path).statusCode(), "management port lacks " + path);
            }
            String metrics = get(http, managementBase, "/q/metrics").body();
            assertTrue(metrics.contains("ponder_searches_waiting"), "ponder's gauges are on the management port");
            // The public port is the API's: the models list answers there (no keys configured) and not on management.
            assertEquals(200, get(http, publicBase, "/v1/models").statusCode());
            assertEquals(404, get(http, managementBase, "/v1/models").statusCode());
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitReady(HttpClient http, URI management, Process service, Path log) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                if (get(http, management, "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!service.isAlive() || System.nanoTime() > giveUp) {
                throw new AssertionError("the service did not become ready:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }
}

package dev.ponder.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The split on one machine, as real processes: the control plane's packaged jar (no model runtime) in front
 * of two model workers (the root build's jar with {@code ponder.worker.enabled}). Searches spread over both
 * workers; one worker is killed mid-run; its searches end with one {@code error} event each
 * ({@code worker-lost}), the others finish, and every new search goes to the survivor.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASK = "{\"prompt\": \"Use 4 9 10 13 to make 24.\", \"strategy\": \"%s\","
            + " \"searchBudget\": %d, \"seed\": %d, \"stream\": true}";

    private static Processes processes;
    private static Processes.Service a;
    private static Processes.Service b;
    private static Processes.Service controlPlane;

    @BeforeAll
    static void start() throws Exception {
        processes = new Processes(Path.of(System.getProperty("control-plane.lib")).getParent().getParent()
                .resolve("it-logs"));
        Path worker = Path.of(System.getProperty("worker.jar"));
        Map<String, String> asWorker = Map.of("PONDER_WORKER_ENABLED", "true", "PONDER_WORKER_TOKEN", "it-secret");
        a = processes.start("worker-a", worker, asWorker);
        b = processes.start("worker-b", worker, asWorker);
        controlPlane = processes.start("control-plane", Path.of(System.getProperty("control-plane.jar")), Map.of(
                "PONDER_CLUSTER_WORKERS", a.base() + "," + b.base(),
                "PONDER_CLUSTER_WORKER_TOKEN", "it-secret",
                "PONDER_CLUSTER_POLL_INTERVAL", "0.2s"));
        controlPlane.await("/q/health/ready", "2 of 2 up", Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    @Order(1)
    void theControlPlaneJarHoldsNoModelRuntime() throws IOException {
        try (Stream<Path> jars = Files.walk(Path.of(System.getProperty("control-plane.lib")))) {
            List<String> names = jars.map(p -> p.getFileName().toString().toLowerCase()).toList();
            assertTrue(names.stream().anyMatch(n -> n.contains("quarkus-rest")), "a real lib folder: " + names);
            assertTrue(names.stream().noneMatch(n -> n.contains("djl") || n.contains("pytorch")
                    || n.contains("tokenizers") || n.contains("jinjava")), "model runtime jars: " + names);
        }
    }

    @Test
    @Order(2)
    void workersRefuseCallersWithoutTheirToken() {
        assertEquals(401, a.get("/worker/v1/load").status(), "the load endpoint wants the worker token");
        assertEquals(404, controlPlane.get("/worker/v1/load").status(), "a control plane is no worker");
    }

    @Test
    @Order(3)
    void searchesSpreadOverBothWorkers() throws Exception {
        long before = opened(a) + opened(b);
        List<CompletableFuture<Events>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(stream("beam", 16, i));
        }
        for (var run : runs) {
            Events s = run.get();
            assertEquals(List.of("done"), s.terminals(), "one terminal event, done: " + s);
            assertTrue(s.last().path("result").path("text").asText().length() > 0, s.toString());
        }
        assertEquals(before + 8, opened(a) + opened(b), "one worker session per search");
        assertTrue(opened(a) >= 2 && opened(b) >= 2, "least-loaded routing uses both workers: a opened "
                + opened(a) + ", b opened " + opened(b));
        System.out.printf("split: 8 concurrent searches -> worker a %d, worker b %d sessions%n", opened(a), opened(b));
        awaitIdle(a);
        awaitIdle(b);
    }

    @Test
    @Order(4)
    void aKilledWorkersSearchesEndWithAnErrorAndNewOnesGoToTheSurvivor() throws Exception {
        // long searches on both workers, then worker a dies under its searches
        List<CompletableFuture<Events>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(stream("beam", 32, 100 + i));
        }
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load(a).path("sessions").asInt() == 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(load(a).path("sessions").asInt() > 0, "worker a holds searches when it is killed");
        a.process().destroyForcibly().waitFor();

        int lost = 0;
        int done = 0;
        for (var run : runs) {
            Events s = run.get();
            assertEquals(1, s.terminals().size(), "exactly one terminal event: " + s);
            if (s.terminals().get(0).equals("error")) {
                assertEquals("/problems/worker-lost", s.last().path("error").path("type").asText(), s.toString());
                lost++;
            } else {
                assertEquals("done", s.terminals().get(0), s.toString());
                done++;
            }
        }
        assertTrue(lost >= 1, "the killed worker's searches end with an error (lost " + lost + ", done " + done + ")");
        System.out.printf("split: worker a killed under 4 searches -> %d ended worker-lost, %d done%n", lost, done);

        // the control plane still serves, on the survivor only
        controlPlane.await("/q/health/ready", "1 of 2 up", Duration.ofSeconds(10));
        controlPlane.await("/q/metrics", "ponder_workers_up 1.0", Duration.ofSeconds(5));
        long survivorBefore = opened(b);
        for (int i = 0; i < 4; i++) {
            Events s = stream("best-of-n", 4, 200 + i).get();
            assertEquals(List.of("done"), s.terminals(), s.toString());
        }
        assertEquals(survivorBefore + 4, opened(b), "every new search went to the surviving worker");
        System.out.println("split: 4 searches after the kill -> all done on worker b");
        awaitIdle(b);
    }

    // --- helpers

    /** One streamed search through the control plane's REST API: its events, read to the end. */
    private static CompletableFuture<Events> stream(String strategy, int budget, int seed) {
        HttpRequest r = HttpRequest.newBuilder(controlPlane.base().resolve("/v1/reason"))
                .timeout(Duration.ofMinutes(3))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(String.format(ASK, strategy, budget, seed))).build();
        return Processes.HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofLines()).thenApply(resp -> {
            List<String> names = new ArrayList<>();
            List<String> data = new ArrayList<>();
            resp.body().forEach(line -> {
                if (line.startsWith("event: ")) {
                    names.add(line.substring(7));
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            });
            return new Events(resp.statusCode(), names, data);
        });
    }

    private record Events(int status, List<String> events, List<String> data) {
        List<String> terminals() {
            return events.stream().filter(e -> e.equals("done") || e.equals("error") || e.equals("cancelled")).toList();
        }

        JsonNode last() {
            try {
                return JSON.readTree(data.get(data.size() - 1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return status + " " + events.size() + " events, last " + (data.isEmpty() ? "none" : data.get(data.size() - 1));
        }
    }

    private static JsonNode load(Processes.Service worker) throws IOException, InterruptedException {
        HttpResponse<String> r = Processes.HTTP.send(HttpRequest.newBuilder(worker.base().resolve("/worker/v1/load"))
                .header("Authorization", "Bearer it-secret").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static long opened(Processes.Service worker) throws IOException, InterruptedException {
        return load(worker).path("opened").asLong();
    }

    /** A worker whose searches all ended holds no sessions and is back to its idle KV use. */
    private static void awaitIdle(Processes.Service worker) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode l = load(worker);
        while (l.path("sessions").asInt() != 0 && System.nanoTime() < until) {
            Thread.sleep(50);
            l = load(worker);
        }
        assertEquals(0, l.path("sessions").asInt(), "sessions closed on " + worker.name() + ": " + l);
        assertFalse(l.path("queueDepth").asInt() > 0, "nothing queued on " + worker.name() + ": " + l);
    }
}

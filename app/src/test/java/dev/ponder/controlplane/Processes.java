package dev.ponder.controlplane;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Service processes started from their packaged jars, each on a free port, logging to a file. */
final class Processes implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Process> started = new ArrayList<>();
    private final Path logs;

    Processes(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
    }

    /**
     * A service on a free port, with its management interface ({@code /q/health}, {@code /q/metrics}) on another:
     * {@code java -jar jar} with {@code env}; returns its base URLs.
     */
    Service start(String name, Path jar, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package it first (mvn -B package: server/ and app/ target/quarkus-app)");
        }
        int port = freePort();
        int managementPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Process p = pb.start();
        started.add(p);
        return new Service(name, URI.create("http://127.0.0.1:" + port),
                URI.create("http://127.0.0.1:" + managementPort), p);
    }

    @Override
    public void close() {
        started.forEach(Process::destroy);
        for (Process p : started) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code base}: the public port (API, worker protocol); {@code management}: {@code /q/*}. */
    record Service(String name, URI base, URI management, Process process) {

        /** GET a path, on the management port when it is under {@code /q/}: status and body (-1: no answer). */
        Reply get(String path) {
            URI root = path.startsWith("/q/") ? management : base;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(root.resolve(path))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(r.statusCode(), r.body());
            } catch (IOException e) {
                return new Reply(-1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Reply(-1, e.toString());
            }
        }

        /** Waits until {@code path} answers 200 and its body contains {@code text}. */
        void await(String path, String text, Duration within) throws InterruptedException {
            long end = System.nanoTime() + within.toNanos();
            Reply last = null;
            while (System.nanoTime() < end) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + " (see its log)");
                }
                last = get(path);
                if (last.status() == 200 && last.body().contains(text)) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + ": " + path + " did not answer '" + text + "' within " + within
                    + "; last: " + last);
        }
    }

    record Reply(int status, String body) {
    }
}

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

    /** A service on a free port: {@code java -jar jar} with {@code env}; returns its base URL. */
    Service start(String name, Path jar, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package it first (see control-plane/pom.xml)");
        }
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Process p = pb.start();
        started.add(p);
        return new Service(name, URI.create("http://127.0.0.1:" + port), p);
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

    record Service(String name, URI base, Process process) {

        /** GET a path: status and body (status -1 when nothing answers). */
        Reply get(String path) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
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

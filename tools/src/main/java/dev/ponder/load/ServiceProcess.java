package dev.ponder.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service a drill drives: the packaged one it started on loopback ports (the public port for clients and
 * Quarkus' management port for readiness and metrics, its output in a log file), or one already running
 * ({@code process} null).
 */
record ServiceProcess(Process process, URI base, URI management) {

    /** A service the drill did not start: it is only driven, never stopped. */
    static ServiceProcess running(URI base, URI management) {
        return new ServiceProcess(null, base, management);
    }

    static ServiceProcess start(Path jar, String javaOpts, int port, int managementPort, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(List.of(javaOpts.split(" ")));
        cmd.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", jar.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        System.out.println("started " + String.join(" ", cmd) + " (log: " + log + ")");
        return new ServiceProcess(p, URI.create("http://127.0.0.1:" + port), URI.create("http://127.0.0.1:" + managementPort));
    }

    /**
     * Stops a service the drill started: SIGTERM (Quarkus' graceful shutdown, ponder's drain), then SIGKILL if it
     * is still running after {@code waitSeconds}. Says what happened, for the report.
     */
    String stop(int waitSeconds) throws InterruptedException {
        if (process == null) {
            return "not started by the drill";
        }
        long t0 = System.nanoTime();
        process.destroy();
        if (process.waitFor(waitSeconds, TimeUnit.SECONDS)) {
            return "exited " + process.exitValue() + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms of SIGTERM";
        }
        process.destroyForcibly();
        return "still running " + waitSeconds + " s after SIGTERM";
    }

    /** Where a service already running at {@code url} answers {@code /q/health}: Quarkus' default management port on its host. */
    static URI defaultManagement(URI url) {
        return URI.create(url.getScheme() + "://" + url.getHost() + ":9000");
    }
}

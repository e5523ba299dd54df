package dev.ponder.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged service started by a drill on loopback ports: the public port for clients and Quarkus' management
 * port for readiness and metrics, its output in a log file.
 */
record ServiceProcess(Process process, URI base, URI management) {

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

    /** Where a service already running at {@code url} answers {@code /q/health}: Quarkus' default management port on its host. */
    static URI defaultManagement(URI url) {
        return URI.create(url.getScheme() + "://" + url.getHost() + ":9000");
    }
}

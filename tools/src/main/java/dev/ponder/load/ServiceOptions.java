package dev.ponder.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options {@link LoadHarness} and {@link BurstDrill} share (a picocli mixin): the service to drive, either the
 * packaged one they start on loopback ports ({@code --jar}) or one already running ({@code --url}), where Quarkus'
 * management interface answers, and where the report goes. The two drills start the service on different ports,
 * given to the constructor, so that both can run at once.
 */
final class ServiceOptions {

    @Option(names = "--jar", paramLabel = "PATH",
            description = "start this packaged service (quarkus-run.jar) on 127.0.0.1; without it, drive the one at --url")
    Path jar;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "a running service's public URL, when there is no --jar (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--management-url", paramLabel = "URL",
            description = "where a running service answers /q/health and /q/metrics (default: --url's host, port 9000)")
    URI managementUrl;

    @Option(names = "--port", paramLabel = "PORT",
            description = "public port of the service started with --jar (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--management-port", paramLabel = "PORT",
            description = "management port of the service started with --jar (default: ${DEFAULT-VALUE})")
    int managementPort;

    @Option(names = "--java-opts", paramLabel = "OPTS", defaultValue = "-Xmx2g",
            description = "JVM options of the service started with --jar, space-separated (default: ${DEFAULT-VALUE})")
    String javaOpts;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs/reliability",
            description = "where the report, its JSON and the service's log go (default: ${DEFAULT-VALUE})")
    Path out;

    /** The defaults of the ports a drill starts the service on. */
    ServiceOptions(int port, int managementPort) {
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The service to drive: the one {@code --jar} starts (its output in {@code out/logName}), or the one at {@code --url}. */
    ServiceProcess service(String logName) throws IOException {
        Files.createDirectories(out);
        return jar != null ? ServiceProcess.start(jar, javaOpts, port, managementPort, out.resolve(logName))
                : ServiceProcess.running(url, management());
    }

    /** Where a running service's management interface answers: {@code --management-url}, or the default beside {@code --url}. */
    URI management() {
        return managementUrl != null ? managementUrl : ServiceProcess.defaultManagement(url);
    }
}

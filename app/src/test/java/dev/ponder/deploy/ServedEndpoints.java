package dev.ponder.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ports and paths the application really serves, derived from
 * {@code server/src/main/resources/application.properties} (the packaged configuration, not the tests' one) with
 * Quarkus' defaults: port 8080, non-application root {@code q}, SmallRye Health root {@code health},
 * and the management interface (port 9000) when it is enabled; and the model-worker endpoints
 * ({@code /worker/v1/...}), read from the sources, which are always on the HTTP port.
 */
record ServedEndpoints(int healthPort, int httpPort, Set<String> healthPaths) {

    static final Path APPLICATION_PROPERTIES = Path.of("../server/src/main/resources/application.properties");
    static final Path WORKER_SOURCES = Path.of("src/main/java/dev/ponder/worker");

    /** {@code @Path("/worker/...")} on a resource, {@code @WebSocket(path = "/worker/...")} on an endpoint. */
    private static final Pattern WORKER_ENDPOINT =
            Pattern.compile("@(?:Path|WebSocket)\\((?:path\\s*=\\s*)?\"(/worker/[^\"]+)\"");

    static ServedEndpoints fromApplicationProperties() {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            p.load(r);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + APPLICATION_PROPERTIES.toAbsolutePath(), e);
        }
        return of(p);
    }

    static ServedEndpoints of(Properties p) {
        // A %prod. key wins in the container (the prod profile), then the plain key, then Quarkus' default.
        boolean management = Boolean.parseBoolean(get(p, "quarkus.management.enabled", "false"));
        int http = Integer.parseInt(get(p, "quarkus.http.port", "8080"));
        int port = management ? Integer.parseInt(get(p, "quarkus.management.port", "9000")) : http;
        String root = management
                ? get(p, "quarkus.management.root-path", "q")
                : get(p, "quarkus.http.non-application-root-path", "q");
        String health = get(p, "quarkus.smallrye-health.root-path", "health");
        String base = join(management ? "/" : get(p, "quarkus.http.root-path", "/"), root, health);
        return new ServedEndpoints(port, http, Set.of(base + "/live", base + "/ready", base + "/started"));
    }

    /**
     * The model-worker endpoints the sources declare ({@code /worker/v1/load}, {@code /worker/v1/session}),
     * served on {@link #httpPort()} when {@code ponder.worker.enabled} is true.
     */
    static Set<String> workerEndpoints() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(WORKER_SOURCES)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                Matcher m = WORKER_ENDPOINT.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + WORKER_SOURCES.toAbsolutePath(), e);
        }
        return out;
    }

    String live() {
        return pick("/live");
    }

    String ready() {
        return pick("/ready");
    }

    String started() {
        return pick("/started");
    }

    private String pick(String suffix) {
        return healthPaths.stream().filter(s -> s.endsWith(suffix)).findFirst().orElseThrow();
    }

    private static String get(Properties p, String key, String fallback) {
        return p.getProperty("%prod." + key, p.getProperty(key, fallback)).trim();
    }

    /** Joins path parts; a part starting with '/' is absolute, as Quarkus resolves it. */
    private static String join(String httpRoot, String nonAppRoot, String healthRoot) {
        String base = nonAppRoot.startsWith("/") ? nonAppRoot : trimSlash(httpRoot) + "/" + nonAppRoot;
        String path = healthRoot.startsWith("/") ? healthRoot : trimSlash(base) + "/" + healthRoot;
        return path.startsWith("/") ? trimSlash(path) : "/" + trimSlash(path);
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

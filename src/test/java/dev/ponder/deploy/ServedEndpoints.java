package dev.ponder.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;

/**
 * The port and health paths the application really serves, derived from
 * {@code src/main/resources/application.properties} (the packaged configuration, not the tests' one) with
 * Quarkus' defaults: port 8080, non-application root {@code q}, SmallRye Health root {@code health},
 * and the management interface (port 9000) when it is enabled.
 */
record ServedEndpoints(int healthPort, Set<String> healthPaths) {

    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

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
        int port = management
                ? Integer.parseInt(get(p, "quarkus.management.port", "9000"))
                : Integer.parseInt(get(p, "quarkus.http.port", "8080"));
        String root = management
                ? get(p, "quarkus.management.root-path", "q")
                : get(p, "quarkus.http.non-application-root-path", "q");
        String health = get(p, "quarkus.smallrye-health.root-path", "health");
        String base = join(management ? "/" : get(p, "quarkus.http.root-path", "/"), root, health);
        return new ServedEndpoints(port, Set.of(base + "/live", base + "/ready", base + "/started"));
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

package dev.ponder.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The renderer's failure modes and the served-endpoint derivation the probe checks rely on. */
class KustomizeTest {

    @Test
    void aMissingKubectlFailsWithAnExplanationInsteadOfSkipping() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Kustomize.render("kubectl-that-does-not-exist", Kustomize.K8S.resolve("overlays/cpu-demo")));
        assertTrue(e.getMessage().contains("kubectl with its built-in kustomize"), e.getMessage());
    }

    @Test
    void aBrokenKustomizationFailsWithKustomizesMessage() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Kustomize.render("kubectl", Path.of("src/test/java/dev/ponder/deploy")));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
    }

    @Test
    void healthEndpointsFollowTheQuarkusConfiguration() {
        ServedEndpoints defaults = ServedEndpoints.of(new Properties());
        assertTrue(defaults.healthPort() == 8080 && defaults.ready().equals("/q/health/ready"), defaults.toString());

        Properties moved = new Properties();
        moved.setProperty("quarkus.http.port", "8081");
        moved.setProperty("%prod.quarkus.http.port", "8082");
        moved.setProperty("quarkus.http.root-path", "/api");
        assertTrue(ServedEndpoints.of(moved).healthPort() == 8082);
        assertTrue(ServedEndpoints.of(moved).live().equals("/api/q/health/live"), ServedEndpoints.of(moved).toString());

        Properties management = new Properties();
        management.setProperty("quarkus.management.enabled", "true");
        assertTrue(ServedEndpoints.of(management).healthPort() == 9000);
        assertTrue(ServedEndpoints.of(management).httpPort() == 8080, "the API and /worker/v1/* stay on the HTTP port");
        assertTrue(ServedEndpoints.of(management).started().equals("/q/health/started"));
    }

    @Test
    void theWorkerEndpointsThatTheManifestsAndTheGuideRelyOnAreDeclared() {
        // The control plane polls GET /worker/v1/load and opens /worker/v1/session on each worker's HTTP port.
        assertEquals(Set.of("/worker/v1/load", "/worker/v1/session"), ServedEndpoints.workerEndpoints());
    }
}

package dev.ponder.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.ValidationReport;
import io.fabric8.kubernetes.schema.validator.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rendered document against the Kubernetes OpenAPI schema, offline (fabric8's validator). */
class ManifestSchemaTest {

    private static final Validator VALIDATOR = Validator.newInstance();

    @ParameterizedTest
    @ValueSource(strings = {"cpu-demo", "gpu-internlm3", "gpu-internlm3-single"})
    void everyRenderedDocumentMatchesTheSchema(String overlay) {
        List<JsonNode> documents = Rendering.documents(Kustomize.render("overlays/" + overlay));
        assertFalse(documents.isEmpty(), overlay + " renders nothing");
        List<String> problems = new ArrayList<>();
        for (JsonNode document : documents) {
            problems.addAll(errors(document));
        }
        assertTrue(problems.isEmpty(), overlay + " has schema errors:\n" + String.join("\n", problems));
    }

    @Test
    void theMonitoringKustomizationMatchesTheSchemaAndFeedsTheAutoscalers() throws IOException {
        List<JsonNode> documents = Rendering.documents(Kustomize.render("monitoring"));
        List<String> problems = new ArrayList<>();
        documents.forEach(d -> problems.addAll(errors(d)));
        assertEquals(List.of(), problems);
        JsonNode endpoint = documents.get(0).path("spec").path("podMetricsEndpoints").get(0);
        // Scraped on the pod's management port, the port every overlay's containers name "management".
        assertEquals("management", endpoint.path("port").asText());
        assertEquals("/q/metrics", endpoint.path("path").asText());
        for (String overlay : List.of("cpu-demo", "gpu-internlm3", "gpu-internlm3-single")) {
            for (Rendering.Workload w : Rendering.overlay(overlay).servers()) {
                var port = ManifestPolicyTest.containerPort(w.template().getSpec().getContainers(),
                        new io.fabric8.kubernetes.api.model.IntOrString("management"));
                assertTrue(port != null && port.getContainerPort() == ManifestPolicyTest.SERVED.healthPort(),
                        overlay + " " + w.name() + ": no port 'management' on " + ManifestPolicyTest.SERVED.healthPort());
            }
        }
        // The adapter serves, per pod, every metric an HPA of an overlay asks for, from a series of that name.
        JsonNode rules = Rendering.YAML.readTree(
                Files.readString(Kustomize.K8S.resolve("monitoring/prometheus-adapter-values.yaml"))).path("rules");
        Set<String> served = new TreeSet<>();
        for (JsonNode rule : rules.path("custom")) {
            String name = rule.path("name").path("as").asText();
            assertTrue(rule.path("seriesQuery").asText().startsWith(name + "{"), name);
            assertEquals("pod", rule.path("resources").path("overrides").path("pod").path("resource").asText(), name);
            served.add(name);
        }
        for (String overlay : List.of("cpu-demo", "gpu-internlm3", "gpu-internlm3-single")) {
            for (HorizontalPodAutoscaler hpa : Rendering.overlay(overlay).all(HorizontalPodAutoscaler.class)) {
                for (MetricSpec m : hpa.getSpec().getMetrics()) {
                    if ("Resource".equals(m.getType())) {
                        continue;  // CPU and memory come from metrics-server, not the adapter
                    }
                    assertEquals("Pods", m.getType(), overlay + " " + hpa.getMetadata().getName() + ": only per-pod metrics are served");
                    assertTrue(served.contains(m.getPods().getMetric().getName()), overlay + " " + hpa.getMetadata().getName()
                            + " scales on " + m.getPods().getMetric().getName() + ", the adapter serves " + served);
                }
            }
        }
    }

    @Test
    void theValidatorCatchesAWrongTypeAndAnUnknownField() {
        // Guards the test above against a validator that accepts everything.
        JsonNode broken = Rendering.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  replicas: two
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - name: x
                          image: x:1.0
                          imagePort: 8080
                """).get(0);
        List<String> problems = errors(broken);
        assertTrue(problems.stream().anyMatch(p -> p.contains("replicas")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("imagePort")), problems::toString);
    }

    @ParameterizedTest
    @CsvSource({"ponder-api-keys, api-keys", "ponder-worker-token, token"})
    void theExampleSecretsAreValidAndHoldOnlyPlaceholders(String name, String key) throws IOException {
        String yaml = Files.readString(Kustomize.K8S.resolve("secrets/" + name + ".example.yaml"));
        JsonNode tree = Rendering.documents(yaml).get(0);
        assertEquals(List.of(), errors(tree));
        Secret secret = Rendering.parse("example secret", yaml).one(Secret.class, name);
        for (String value : secret.getStringData().get(key).split(",")) {
            assertTrue(value.startsWith("REPLACE-ME"), "the example must not hold a real secret: " + value);
        }
    }

    private static List<String> errors(JsonNode document) {
        ValidationReport report = VALIDATOR.validate(document);
        String where = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationMessage.Level.ERROR)
                .map(m -> where + ": " + m.getMessage())
                .toList();
    }
}

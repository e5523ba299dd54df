package dev.ponder.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.ValidationReport;
import io.fabric8.kubernetes.schema.validator.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
        assertEquals("http", endpoint.path("port").asText());
        assertEquals("/q/metrics", endpoint.path("path").asText());
        // The adapter serves the metric under the name the HPAs ask for, per pod and per namespace.
        JsonNode rules = Rendering.YAML.readTree(
                Files.readString(Kustomize.K8S.resolve("monitoring/prometheus-adapter-values.yaml"))).path("rules");
        for (String kind : List.of("custom", "external")) {
            JsonNode rule = rules.path(kind).get(0);
            assertEquals("ponder_searches_waiting", rule.path("name").path("as").asText(), kind);
            assertTrue(rule.path("seriesQuery").asText().startsWith("ponder_searches_waiting{"), kind);
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

    @Test
    void theExampleSecretIsValidAndHoldsOnlyPlaceholders() throws IOException {
        String yaml = Files.readString(Kustomize.K8S.resolve("secrets/ponder-api-keys.example.yaml"));
        JsonNode tree = Rendering.documents(yaml).get(0);
        assertEquals(List.of(), errors(tree));
        Secret secret = Rendering.parse("example secret", yaml).one(Secret.class, "ponder-api-keys");
        for (String key : secret.getStringData().get("api-keys").split(",")) {
            assertTrue(key.startsWith("REPLACE-ME"), "the example must not hold a real key: " + key);
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

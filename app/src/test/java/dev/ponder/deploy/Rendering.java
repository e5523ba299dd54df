package dev.ponder.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One rendered kustomization: every YAML document as a tree (for the schema validator) and as a typed
 * fabric8 object (for the assertions).
 */
record Rendering(String name, List<Manifest> manifests) {

    /** One document: its JSON tree and its typed object. */
    record Manifest(JsonNode tree, HasMetadata object) {
        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }
    }

    /** A Deployment or StatefulSet reduced to what the checks need. */
    record Workload(String kind, String name, Integer replicas, PodTemplateSpec template) {
        Stream<Container> allContainers() {
            var spec = template.getSpec();
            return Stream.concat(spec.getContainers().stream(),
                    spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream());
        }

        Container container(String containerName) {
            return template.getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(containerName)).findFirst()
                    .orElseThrow(() -> new AssertionError(kind + " " + name + " has no container " + containerName));
        }
    }

    static final YAMLMapper YAML = new YAMLMapper();

    /** The kinds the overlays may contain; anything else fails the rendering until it is checked here. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("Namespace", Namespace.class),
            Map.entry("Secret", Secret.class),
            Map.entry("Service", Service.class),
            Map.entry("Deployment", Deployment.class),
            Map.entry("StatefulSet", StatefulSet.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("Ingress", Ingress.class),
            Map.entry("NetworkPolicy", NetworkPolicy.class),
            Map.entry("ServiceAccount", ServiceAccount.class),
            Map.entry("Job", Job.class),
            Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class));

    /** Renders {@code k8s/overlays/<overlay>} and parses every document. */
    static Rendering overlay(String overlay) {
        return parse(overlay, Kustomize.render("overlays/" + overlay));
    }

    /** Splits a multi-document YAML stream and reads each document as its typed object. */
    static Rendering parse(String name, String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        for (JsonNode tree : documents(yaml)) {
            String kind = tree.path("kind").asText();
            Class<? extends HasMetadata> type = TYPES.get(kind);
            if (type == null) {
                throw new AssertionError(name + ": unexpected kind '" + kind + "' (add it to Rendering.TYPES and test it)");
            }
            try {
                manifests.add(new Manifest(tree, YAML.treeToValue(tree, type)));
            } catch (JsonProcessingException e) {
                throw new AssertionError(name + ": " + kind + " does not read as " + type.getSimpleName(), e);
            }
        }
        return new Rendering(name, List.copyOf(manifests));
    }

    /** The non-empty documents of a YAML stream ({@code ---} separated). */
    static List<JsonNode> documents(String yaml) {
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            List<JsonNode> out = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
                    out.add(node);
                }
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("not YAML: " + e.getMessage(), e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return manifests.stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String objectName) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(objectName)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " renders no " + type.getSimpleName() + " " + objectName));
    }

    /** Every Deployment and StatefulSet: the pods that serve. */
    List<Workload> servers() {
        return workloads().stream().filter(w -> !w.kind().equals("Job")).toList();
    }

    /** Every Deployment, StatefulSet and Job. */
    List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        all(Job.class).forEach(j -> out.add(new Workload("Job", j.getMetadata().getName(), 1, j.getSpec().getTemplate())));
        all(Deployment.class).forEach(d -> out.add(new Workload("Deployment", d.getMetadata().getName(),
                d.getSpec().getReplicas(), d.getSpec().getTemplate())));
        all(StatefulSet.class).forEach(s -> out.add(new Workload("StatefulSet", s.getMetadata().getName(),
                s.getSpec().getReplicas(), s.getSpec().getTemplate())));
        return out;
    }

    Workload workload(String kind, String workloadName) {
        return workloads().stream().filter(w -> w.kind().equals(kind) && w.name().equals(workloadName)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " renders no " + kind + " " + workloadName));
    }

    /** The workloads whose pod labels a selector picks. */
    List<Workload> selected(Map<String, String> selector) {
        return workloads().stream()
                .filter(w -> w.template().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
    }
}

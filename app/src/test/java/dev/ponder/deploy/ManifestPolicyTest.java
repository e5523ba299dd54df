package dev.ponder.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules every overlay must keep: pinned images, real health endpoints, resources, consistent references. */
class ManifestPolicyTest {

    static final ServedEndpoints SERVED = ServedEndpoints.fromApplicationProperties();

    static Stream<String> overlays() {
        return Stream.of("cpu-demo", "gpu-internlm3", "gpu-internlm3-single");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageIsPinnedToADigestOrATagThatIsNotLatest(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        List<String> images = r.workloads().stream().flatMap(Rendering.Workload::allContainers)
                .map(Container::getImage).toList();
        assertFalse(images.isEmpty());
        for (String image : images) {
            assertTrue(isPinned(image), overlay + ": image '" + image + "' has no tag, or 'latest'");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesHitTheHealthEndpointsTheApplicationServes(String overlay) {
        for (Rendering.Workload w : Rendering.overlay(overlay).servers()) {
            for (Container c : w.template().getSpec().getContainers()) {
                String where = overlay + " " + w.name() + "/" + c.getName();
                assertProbe(where + " startup", c, c.getStartupProbe(), SERVED.healthPaths());
                assertProbe(where + " readiness", c, c.getReadinessProbe(), List.of(SERVED.ready()));
                assertProbe(where + " liveness", c, c.getLivenessProbe(), List.of(SERVED.live()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void operationsAreOnTheManagementPortWhichNoServiceExposes(String overlay) {
        assertNotEquals(SERVED.httpPort(), SERVED.healthPort(), "/q/* shares the public port: enable the management interface");
        Rendering r = Rendering.overlay(overlay);
        for (Service s : r.all(Service.class)) {
            for (ServicePort port : s.getSpec().getPorts()) {
                for (Rendering.Workload w : r.selected(s.getSpec().getSelector())) {
                    ContainerPort target = containerPort(w.template().getSpec().getContainers(), port.getTargetPort());
                    assertEquals(SERVED.httpPort(), target.getContainerPort(), overlay + ": Service " + s.getMetadata().getName()
                            + " port " + port.getName() + " reaches " + w.name() + " on " + target.getContainerPort()
                            + "; Services carry the public port " + SERVED.httpPort() + " only");
                }
            }
        }
        for (Rendering.Workload w : r.servers()) {
            Map<String, String> a = w.template().getMetadata().getAnnotations();
            assertEquals(Integer.toString(SERVED.healthPort()), a.get("prometheus.io/port"), overlay + " " + w.name());
            assertEquals("/q/metrics", a.get("prometheus.io/path"), overlay + " " + w.name());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerRequestsAndLimitsCpuAndMemory(String overlay) {
        for (Rendering.Workload w : Rendering.overlay(overlay).workloads()) {
            w.allContainers().forEach(c -> {
                String where = overlay + " " + w.name() + "/" + c.getName();
                var res = c.getResources();
                assertNotNull(res, where + " has no resources");
                for (String kind : List.of("cpu", "memory")) {
                    Quantity request = res.getRequests().get(kind);
                    Quantity limit = res.getLimits().get(kind);
                    assertNotNull(request, where + " requests no " + kind);
                    assertNotNull(limit, where + " limits no " + kind);
                    assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                            where + ": " + kind + " request " + request + " exceeds its limit " + limit);
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesSelectPodsAndTargetTheirNamedPorts(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        for (Service s : r.all(Service.class)) {
            var pods = r.selected(s.getSpec().getSelector());
            assertFalse(pods.isEmpty(), overlay + ": Service " + s.getMetadata().getName() + " selects no pods");
            for (ServicePort port : s.getSpec().getPorts()) {
                for (Rendering.Workload w : pods) {
                    assertNotNull(containerPort(w.template().getSpec().getContainers(), port.getTargetPort()),
                            overlay + ": Service " + s.getMetadata().getName() + " targets port " + port.getTargetPort()
                                    + " that " + w.name() + " does not declare");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void budgetsAutoscalersAndIngressesPointAtRenderedObjects(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        for (PodDisruptionBudget pdb : r.all(PodDisruptionBudget.class)) {
            assertFalse(r.selected(pdb.getSpec().getSelector().getMatchLabels()).isEmpty(),
                    overlay + ": PDB " + pdb.getMetadata().getName() + " selects no pods");
        }
        for (HorizontalPodAutoscaler hpa : r.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            r.workload(target.getKind(), target.getName());
            assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas());
        }
        for (Ingress ingress : r.all(Ingress.class)) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    var backend = path.getBackend().getService();
                    Service s = r.one(Service.class, backend.getName());
                    assertTrue(s.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(backend.getPort().getName())),
                            overlay + ": Ingress backend port " + backend.getPort().getName() + " is not on " + backend.getName());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void apiServingContainersReadTheApiKeysFromTheSecret(String overlay) {
        for (Rendering.Workload w : Rendering.overlay(overlay).servers()) {
            for (Container c : w.template().getSpec().getContainers()) {
                EnvVar keys = env(c, "PONDER_API_KEYS");
                assertNotNull(keys, overlay + " " + w.name() + " does not get PONDER_API_KEYS");
                assertNull(keys.getValue(), "API keys must not be written into the manifest");
                var ref = keys.getValueFrom().getSecretKeyRef();
                assertEquals("ponder-api-keys", ref.getName());
                assertEquals("api-keys", ref.getKey());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySecretAPodReadsHasAnExampleWithThatKey(String overlay) {
        // The Secrets are created by hand (never by apply -k): k8s/secrets/ must show each one's name and keys.
        for (Rendering.Workload w : Rendering.overlay(overlay).workloads()) {
            w.allContainers().forEach(c -> {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    var ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
                    if (ref == null) {
                        continue;
                    }
                    Path example = Kustomize.K8S.resolve("secrets/" + ref.getName() + ".example.yaml");
                    assertTrue(Files.isRegularFile(example), overlay + " " + w.name() + "/" + c.getName() + " reads Secret "
                            + ref.getName() + ", which has no example " + example);
                    Secret secret;
                    try {
                        secret = Rendering.parse(example.toString(), Files.readString(example)).one(Secret.class, ref.getName());
                    } catch (IOException x) {
                        throw new AssertionError(x);
                    }
                    assertTrue(secret.getStringData().containsKey(ref.getKey()),
                            example + " has no key " + ref.getKey() + " (read as " + e.getName() + ")");
                }
            });
        }
    }

    // --- helpers shared with the overlay tests

    /** A reference is pinned when it names a digest, or a tag other than latest. */
    static boolean isPinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return false; // no tag (a colon before the last slash is a registry port)
        }
        String tag = image.substring(colon + 1);
        return !tag.isBlank() && !tag.equals("latest");
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv() == null ? null
                : c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
    }

    static Map<String, String> plainEnv(Container c) {
        Map<String, String> out = new HashMap<>();
        c.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> out.put(e.getName(), e.getValue()));
        return out;
    }

    /** The container port a probe or Service port refers to, by name or by number. */
    static ContainerPort containerPort(List<Container> containers, IntOrString port) {
        List<ContainerPort> all = new ArrayList<>();
        containers.forEach(c -> all.addAll(c.getPorts() == null ? List.of() : c.getPorts()));
        return all.stream()
                .filter(p -> port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort())
                        : port.getStrVal().equals(p.getName()))
                .findFirst().orElse(null);
    }

    private static void assertProbe(String where, Container c, Probe probe, Collection<String> paths) {
        assertNotNull(probe, where + " probe missing");
        assertNotNull(probe.getHttpGet(), where + " probe is not an HTTP GET");
        assertTrue(paths.contains(probe.getHttpGet().getPath()),
                where + " probe path " + probe.getHttpGet().getPath() + " is not one of " + paths);
        ContainerPort port = containerPort(List.of(c), probe.getHttpGet().getPort());
        assertNotNull(port, where + " probe port " + probe.getHttpGet().getPort() + " is not declared by the container");
        assertEquals(SERVED.healthPort(), port.getContainerPort(),
                where + " probe goes to port " + port.getContainerPort() + ", health is served on " + SERVED.healthPort());
    }
}

package dev.ponder.deploy;

import static dev.ponder.deploy.ManifestPolicyTest.SERVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may connect to which pod on which port, as the rendered NetworkPolicies say, and the pods' identities:
 * own ServiceAccounts with no API token mounted.
 */
class NetworkPolicyTest {

    static final String INGRESS = "namespace ingress-nginx";
    static final String MONITORING = "namespace monitoring";
    static final String CONTROL_PLANE = "pods ponder-control";

    static Stream<String> overlays() {
        return ManifestPolicyTest.overlays();
    }

    @Test
    void workersAcceptOnlyTheControlPlaneOnTheWorkerPortAndMonitoringOnTheManagementPort() {
        assertEquals(Set.of(CONTROL_PLANE + ":" + SERVED.httpPort(), MONITORING + ":" + SERVED.healthPort()),
                admitted(Rendering.overlay("gpu-internlm3"), "ponder-worker"));
    }

    @Test
    void theControlPlaneAcceptsOnlyTheIngressControllerAndMonitoring() {
        assertEquals(Set.of(INGRESS + ":" + SERVED.httpPort(), MONITORING + ":" + SERVED.healthPort()),
                admitted(Rendering.overlay("gpu-internlm3"), "ponder-control"));
    }

    @Test
    void withoutAControlPlaneTheWorkersPublicPortAdmitsTheIngressController() {
        assertEquals(Set.of(INGRESS + ":" + SERVED.httpPort(), MONITORING + ":" + SERVED.healthPort()),
                admitted(Rendering.overlay("gpu-internlm3-single"), "ponder-worker"));
    }

    @Test
    void theDemoPodAcceptsOnlyTheIngressControllerAndMonitoring() {
        assertEquals(Set.of(INGRESS + ":" + SERVED.httpPort(), MONITORING + ":" + SERVED.healthPort()),
                admitted(Rendering.overlay("cpu-demo"), "ponder"));
    }

    @ParameterizedTest
    @MethodSource("gpuOverlays")
    void theModelDownloadPodAcceptsNoConnections(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        List<NetworkPolicy> policies = policiesOf(r, r.workload("Job", "ponder-model-download"));
        assertEquals(1, policies.size());
        var ingress = policies.get(0).getSpec().getIngress();
        assertTrue(ingress == null || ingress.isEmpty(), "the download pod serves nothing: " + ingress);
    }

    static Stream<String> gpuOverlays() {
        return GpuOverlayTest.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodIsIsolatedByExactlyOnePolicy(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        for (Rendering.Workload w : r.workloads()) {
            List<NetworkPolicy> policies = policiesOf(r, w);
            assertEquals(1, policies.size(), overlay + " " + w.name() + " is selected by " + policies.size() + " policies");
            assertTrue(policies.get(0).getSpec().getPolicyTypes().contains("Ingress"), overlay + " " + w.name());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunUnderTheirOwnServiceAccountsWithoutAnApiToken(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        Set<String> used = new HashSet<>();
        for (Rendering.Workload w : r.workloads()) {
            var spec = w.template().getSpec();
            String name = spec.getServiceAccountName();
            assertNotNull(name, overlay + " " + w.name() + " runs as the namespace's default ServiceAccount");
            assertTrue(used.add(name), overlay + ": ServiceAccount " + name + " is shared");
            ServiceAccount sa = r.one(ServiceAccount.class, name);
            assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken(), overlay + " ServiceAccount " + name);
            assertEquals(Boolean.FALSE, spec.getAutomountServiceAccountToken(), overlay + " " + w.name() + " pod spec");
        }
    }

    @Test
    void anOpenRuleIsReportedAsOpen() {
        // Guards admitted(): a rule without "from" admits everyone, without "ports" every port.
        NetworkPolicyIngressRule open = new NetworkPolicyIngressRule();
        Rendering r = Rendering.overlay("cpu-demo");
        assertEquals(Set.of("anyone:any port"), admittedBy(r, r.workload("Deployment", "ponder"), open));
    }

    /** "peer:port" for every peer and port the policies selecting the workload's pods admit. */
    static Set<String> admitted(Rendering r, String workload) {
        Rendering.Workload w = r.workloads().stream().filter(x -> x.name().equals(workload)).findFirst().orElseThrow();
        Set<String> out = new TreeSet<>();
        for (NetworkPolicy p : policiesOf(r, w)) {
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                out.addAll(admittedBy(r, w, rule));
            }
        }
        assertFalse(out.isEmpty(), workload + " admits nothing");
        return out;
    }

    private static Set<String> admittedBy(Rendering r, Rendering.Workload target, NetworkPolicyIngressRule rule) {
        List<String> peers = rule.getFrom() == null || rule.getFrom().isEmpty() ? List.of("anyone")
                : rule.getFrom().stream().map(peer -> describe(r, peer)).toList();
        List<String> ports = rule.getPorts() == null || rule.getPorts().isEmpty() ? List.of("any port")
                : rule.getPorts().stream().map(port -> Integer.toString(resolve(target, port))).toList();
        Set<String> out = new TreeSet<>();
        peers.forEach(peer -> ports.forEach(port -> out.add(peer + ":" + port)));
        return out;
    }

    /** A namespace by its name label, or the rendered workloads of this namespace whose pods a selector picks. */
    private static String describe(Rendering r, NetworkPolicyPeer peer) {
        assertTrue(peer.getIpBlock() == null, "no IP blocks: " + peer);
        if (peer.getNamespaceSelector() != null) {
            assertTrue(peer.getPodSelector() == null, "namespace and pod selector together: " + peer);
            Map<String, String> labels = peer.getNamespaceSelector().getMatchLabels();
            assertEquals(1, labels == null ? 0 : labels.size(), "a namespace by name: " + peer);
            return "namespace " + labels.get("kubernetes.io/metadata.name");
        }
        LabelSelector pods = peer.getPodSelector();
        assertTrue(pods.getMatchLabels() != null && !pods.getMatchLabels().isEmpty(), "an empty pod selector is every pod");
        List<String> names = r.selected(pods.getMatchLabels()).stream().map(Rendering.Workload::name).toList();
        assertEquals(1, names.size(), "the selector " + pods.getMatchLabels() + " picks " + names);
        return "pods " + names.get(0);
    }

    private static int resolve(Rendering.Workload target, NetworkPolicyPort port) {
        assertEquals("TCP", port.getProtocol() == null ? "TCP" : port.getProtocol());
        ContainerPort p = ManifestPolicyTest.containerPort(target.template().getSpec().getContainers(), port.getPort());
        assertNotNull(p, target.name() + " declares no port " + port.getPort());
        return p.getContainerPort();
    }

    private static List<NetworkPolicy> policiesOf(Rendering r, Rendering.Workload w) {
        Map<String, String> labels = w.template().getMetadata().getLabels();
        return r.all(NetworkPolicy.class).stream()
                .filter(p -> labels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .toList();
    }
}

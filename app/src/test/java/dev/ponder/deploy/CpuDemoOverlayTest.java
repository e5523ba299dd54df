package dev.ponder.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

/** The CPU demo: one all-in-one pod with the embedded model. */
class CpuDemoOverlayTest {

    @Test
    void onePodOfTheAllInOneImageWithTheEmbeddedModel() {
        Rendering r = Rendering.overlay("cpu-demo");
        assertEquals(1, r.workloads().size());
        Rendering.Workload w = r.workload("Deployment", "ponder");
        assertEquals(1, w.replicas());
        Container c = w.container("ponder");
        assertTrue(c.getImage().startsWith("ponder@sha256:"), c.getImage());
        assertNull(ManifestPolicyTest.env(c, "PONDER_MODEL_PATH"), "unset means the embedded tiny model");
        assertEquals(Quantity.parse("2"), c.getResources().getRequests().get("cpu"));
        assertEquals(Quantity.parse("4Gi"), c.getResources().getRequests().get("memory"));
        assertNull(c.getResources().getLimits().get("nvidia.com/gpu"));
        assertTrue(ManifestPolicyTest.env(c, "PONDER_API_KEYS").getValueFrom().getSecretKeyRef().getOptional(),
                "the demo also starts without the keys secret");
        r.one(Service.class, "ponder");
        r.one(PodDisruptionBudget.class, "ponder");
        r.manifests().forEach(m -> assertTrue(m.kind().equals("Namespace")
                || "ponder-demo".equals(m.object().getMetadata().getNamespace()), m.kind() + " " + m.name()));
    }
}

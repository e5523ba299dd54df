package dev.ponder.deploy;

import static dev.ponder.deploy.ManifestPolicyTest.SERVED;
import static dev.ponder.deploy.ManifestPolicyTest.isPinned;
import static dev.ponder.deploy.ManifestPolicyTest.plainEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The InternLM3 GPU overlays: workers on GPUs with the model downloaded once, autoscaling, the ingress. */
class GpuOverlayTest {

    static final String MODEL_PATH = "/models/internlm3-8b-instruct";
    static final String MODEL_ID = "Shanghai_AI_Laboratory/internlm3-8b-instruct";

    static Stream<String> overlays() {
        return Stream.of("gpu-internlm3", "gpu-internlm3-single");
    }

    static Rendering.Workload worker(Rendering r) {
        return r.workload("StatefulSet", "ponder-worker");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkerContainerGetsOneGpuOnAGpuNode(String overlay) {
        Rendering.Workload w = worker(Rendering.overlay(overlay));
        for (Container c : w.template().getSpec().getContainers()) {
            Quantity gpu = c.getResources().getLimits().get("nvidia.com/gpu");
            assertNotNull(gpu, overlay + ": worker container " + c.getName() + " has no nvidia.com/gpu limit");
            assertEquals(0, new BigDecimal("1").compareTo(gpu.getNumericalAmount()), overlay + ": one GPU per worker, not " + gpu);
        }
        var spec = w.template().getSpec();
        assertEquals("true", spec.getNodeSelector().get("nvidia.com/gpu.present"), "GPU node selector");
        assertTrue(spec.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())), "GPU taint toleration");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theWorkerStartupProbeAllowsTwentyMinutesToLoadTheModel(String overlay) {
        Container c = worker(Rendering.overlay(overlay)).container("worker");
        Probe p = c.getStartupProbe();
        int budget = or(p.getInitialDelaySeconds(), 0) + or(p.getPeriodSeconds(), 10) * or(p.getFailureThreshold(), 3);
        assertTrue(budget >= 20 * 60, overlay + ": startup budget " + budget + " s is under 20 minutes");
        // The budget only covers loading if the probe waits for the model: readiness turns UP when it is loaded.
        assertEquals(SERVED.ready(), p.getHttpGet().getPath());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theWorkerRunsOfflineOnCudaLibtorchWithTheInternLm3Checkpoint(String overlay) {
        Map<String, String> env = plainEnv(worker(Rendering.overlay(overlay)).container("worker"));
        assertEquals("/opt/libtorch/lib", env.get("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.7.1", env.get("PYTORCH_VERSION"));
        assertEquals("cu128", env.get("PYTORCH_FLAVOR"));
        assertEquals("true", env.get("DJL_OFFLINE"));
        assertEquals(MODEL_PATH, env.get("PONDER_MODEL_PATH"));
        assertTrue(Integer.parseInt(env.get("PONDER_ENGINE_KV_BUDGET_MB")) > 0);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void anInitContainerDownloadsTheModelOnceIntoTheVolumeTheWorkerReads(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        Rendering.Workload w = worker(r);
        Container init = w.template().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("download-model")).findFirst().orElseThrow();
        assertTrue(init.getImage().startsWith("python:") && isPinned(init.getImage()), init.getImage());
        String script = String.join("\n", Stream.concat(init.getCommand().stream(), init.getArgs().stream()).toList());
        assertTrue(Pattern.compile("pip install .*modelscope==\\d+\\.\\d+\\.\\d+").matcher(script).find(),
                "modelscope must be installed at a pinned version:\n" + script);
        assertTrue(script.contains("from modelscope import snapshot_download; snapshot_download('" + MODEL_ID
                + "', local_dir='" + MODEL_PATH + "')"), script);
        // Skipped when present: the script exits before pip when the completion marker is there.
        assertTrue(Pattern.compile("if \\[ -f " + Pattern.quote(MODEL_PATH) + "/\\S+ \\]; then[\\s\\S]*?exit 0")
                .matcher(script).find(), "no skip when the model is present:\n" + script);
        assertTrue(script.indexOf("exit 0") < script.indexOf("pip install"), script);

        // Both containers mount the same claim template, at a folder holding the model path.
        VolumeMount initMount = mount(init, "models");
        VolumeMount workerMount = mount(w.container("worker"), "models");
        assertEquals(initMount.getMountPath(), workerMount.getMountPath());
        assertTrue(MODEL_PATH.startsWith(workerMount.getMountPath() + "/"));
        assertEquals(Boolean.TRUE, workerMount.getReadOnly(), "the worker only reads the weights");
        StatefulSet sts = r.one(StatefulSet.class, "ponder-worker");
        var claim = sts.getSpec().getVolumeClaimTemplates().stream()
                .filter(t -> t.getMetadata().getName().equals("models")).findFirst().orElseThrow();
        Quantity size = claim.getSpec().getResources().getRequests().get("storage");
        assertTrue(size.getNumericalAmount().compareTo(Quantity.parse("40Gi").getNumericalAmount()) >= 0,
                "18 GB of weights need room: " + size);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void sharedMemoryIsAMemoryBackedEmptyDir(String overlay) {
        Rendering.Workload w = worker(Rendering.overlay(overlay));
        VolumeMount shm = w.container("worker").getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/dev/shm")).findFirst().orElseThrow();
        Volume v = w.template().getSpec().getVolumes().stream()
                .filter(x -> x.getName().equals(shm.getName())).findFirst().orElseThrow();
        assertEquals("Memory", v.getEmptyDir().getMedium());
        assertNotNull(v.getEmptyDir().getSizeLimit(), "an unbounded memory volume can take the node's RAM");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workersHaveAHeadlessServiceAndADisruptionBudget(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        StatefulSet sts = r.one(StatefulSet.class, "ponder-worker");
        Service headless = r.one(Service.class, sts.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 8090
                && "stream".equals(p.getTargetPort().getStrVal())), "the worker stream port 8090");
        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, "ponder-worker");
        assertTrue(r.selected(pdb.getSpec().getSelector().getMatchLabels()).contains(worker(r)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workersScaleOnSearchesWaiting(String overlay) {
        HorizontalPodAutoscaler hpa = Rendering.overlay(overlay).one(HorizontalPodAutoscaler.class, "ponder-worker");
        assertEquals("StatefulSet", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("ponder-worker", hpa.getSpec().getScaleTargetRef().getName());
        List<String> names = hpa.getSpec().getMetrics().stream().map(GpuOverlayTest::metricName).toList();
        assertEquals(List.of("ponder_searches_waiting"), names);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theIngressKeepsWebSocketsAndStreamsOpen(String overlay) {
        Ingress ingress = Rendering.overlay(overlay).one(Ingress.class, "ponder");
        Map<String, String> a = ingress.getMetadata().getAnnotations();
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            String value = a.get("nginx.ingress.kubernetes.io/" + timeout);
            assertTrue(value != null && Integer.parseInt(value) >= 3600, overlay + ": " + timeout + " is " + value);
        }
        assertEquals("off", a.get("nginx.ingress.kubernetes.io/proxy-buffering"));
        assertEquals("cookie", a.get("nginx.ingress.kubernetes.io/affinity"));
        String backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName();
        assertEquals(backend, a.get("nginx.org/websocket-services"));
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
    }

    @Test
    void theControlPlaneIsSmallReplicatedAndInFrontOfTheWorkers() {
        Rendering r = Rendering.overlay("gpu-internlm3");
        Rendering.Workload control = r.workload("Deployment", "ponder-control");
        assertTrue(control.replicas() >= 2);
        Container c = control.container("control");
        assertTrue(c.getImage().contains("ponder-control:"), c.getImage());
        assertNull(c.getResources().getLimits().get("nvidia.com/gpu"), "the control plane needs no GPU");
        assertTrue(c.getResources().getLimits().get("memory").getNumericalAmount()
                .compareTo(Quantity.parse("1Gi").getNumericalAmount()) <= 0, "a native image stays small");
        assertTrue(r.one(HorizontalPodAutoscaler.class, "ponder-control").getSpec().getMinReplicas() >= 2);
        r.one(PodDisruptionBudget.class, "ponder-control");
        assertEquals("ponder-control",
                r.one(Ingress.class, "ponder").getSpec().getRules().get(0).getHttp().getPaths().get(0)
                        .getBackend().getService().getName());
        // The control plane finds the workers through their headless Service on the stream port.
        Map<String, String> env = plainEnv(c);
        assertEquals(r.one(StatefulSet.class, "ponder-worker").getSpec().getServiceName(), env.get("PONDER_WORKERS_HOST"));
        assertEquals("8090", env.get("PONDER_WORKERS_PORT"));
    }

    @Test
    void theSingleOverlayServesTheApiFromTheWorkersToday() {
        Rendering r = Rendering.overlay("gpu-internlm3-single");
        assertTrue(r.workloads().stream().noneMatch(w -> w.name().equals("ponder-control")));
        String backend = r.one(Ingress.class, "ponder").getSpec().getRules().get(0).getHttp().getPaths().get(0)
                .getBackend().getService().getName();
        Service api = r.one(Service.class, backend);
        assertTrue(r.selected(api.getSpec().getSelector()).contains(worker(r)));
    }

    private static String metricName(MetricSpec m) {
        return switch (m.getType()) {
            case "External" -> m.getExternal().getMetric().getName();
            case "Pods" -> m.getPods().getMetric().getName();
            case "Object" -> m.getObject().getMetric().getName();
            default -> m.getType();
        };
    }

    private static VolumeMount mount(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}

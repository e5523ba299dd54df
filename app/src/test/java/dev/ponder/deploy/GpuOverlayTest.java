package dev.ponder.deploy;

import static dev.ponder.deploy.ManifestPolicyTest.SERVED;
import static dev.ponder.deploy.ManifestPolicyTest.isPinned;
import static dev.ponder.deploy.ManifestPolicyTest.plainEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.fetch.FetchManifest;
import dev.ponder.fetch.ModelFetch;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The InternLM3 GPU overlays: workers on GPUs with the model downloaded once, the control plane wired to them
 * (headless Service, HTTP port, shared token), autoscaling, the ingress.
 */
class GpuOverlayTest {

    static final String MODEL_PATH = "/models/internlm3-8b-instruct";
    static final String MODEL_ID = "internlm/internlm3-8b-instruct";
    /** The revision model.env carries until an operator pins a commit id (the project could not look one up). */
    static final String REVISION_PLACEHOLDER = "REPLACE-WITH-A-40-HEX-COMMIT-ID";

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
    void theProcessThatRunsSearchesGetsDeepThinkingLimits(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        // the control plane runs the searches when there is one; the all-in-one workers otherwise
        Container searcher = overlay.equals("gpu-internlm3")
                ? r.workload("Deployment", "ponder-control").container("control")
                : worker(r).container("worker");
        String limits = searcher.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                .map(e -> e.getConfigMapRef().getName()).filter(n -> n.startsWith("ponder-search-limits"))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": " + searcher.getName() + " reads no search limits"));
        Map<String, String> env = r.one(ConfigMap.class, limits).getData();
        // the shipped InternLM3 prompt grants 8192 tokens; its steps are paragraphs
        assertEquals("8192", env.get("PONDER_SEARCH_MAX_TOKENS"), env.toString());
        assertEquals("8192", env.get("PONDER_SEARCH_DEFAULT_MAX_TOKENS"), env.toString());
        assertTrue(Integer.parseInt(env.get("PONDER_SEARCH_MAX_STEP_TOKENS")) >= 1024, env.toString());
        assertTrue(Integer.parseInt(env.get("PONDER_SEARCH_MAX_DEPTH")) >= 128, env.toString());
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
    void oneJobFetchesThePinnedModelWithPonderItselfIntoTheVolumeEveryWorkerReads(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        Rendering.Workload job = r.workload("Job", "ponder-model-download");
        Container fetch = job.template().getSpec().getContainers().get(0);
        // The downloader is a class of ponder's own image: no interpreter, no package installed at pod start.
        assertTrue(fetch.getImage().matches(".*(^|/)ponder([:@]).*"), "the project's image, not " + fetch.getImage());
        assertEquals(ModelFetch.class.getName(), fetch.getCommand().get(fetch.getCommand().size() - 1));
        Map<String, String> args = pairs(fetch.getArgs());
        Map<String, String> model = r.one(ConfigMap.class, configMapOf(fetch)).getData();
        assertEquals("$(MODEL_HUB)", args.get("--hub"));
        assertTrue(Set.of("huggingface", "modelscope").contains(model.get("MODEL_HUB")), model.toString());
        assertEquals("$(MODEL_REPO)", args.get("--repo"));
        assertEquals(MODEL_ID, model.get("MODEL_REPO"));
        assertEquals("$(MODEL_REVISION)", args.get("--revision"));
        assertEquals(MODEL_PATH, args.get("--dir"));
        // Pinned: a commit id, or the documented placeholder that the downloader refuses (the Job fails, nothing
        // unpinned is fetched). A branch name is neither.
        String revision = model.get("MODEL_REVISION");
        assertTrue(ModelFetch.COMMIT.matcher(revision).matches() || revision.equals(REVISION_PLACEHOLDER), revision);
        if (revision.equals(REVISION_PLACEHOLDER)) {
            assertThrows(IllegalArgumentException.class, () -> ModelFetch.requirePinned(model.get("MODEL_HUB"), revision));
        }
        EnvVar token = ManifestPolicyTest.env(fetch, "HF_TOKEN");
        assertEquals("ponder-hf-token", token.getValueFrom().getSecretKeyRef().getName());
        for (Rendering.Workload w : r.workloads()) {
            w.allContainers().forEach(c -> assertFalse(String.join(" ", c.getCommand() == null ? List.of() : c.getCommand())
                    .concat(" " + String.join(" ", c.getArgs() == null ? List.of() : c.getArgs())).matches("(?s).*\\b(pip|apt-get|curl|wget)\\b.*"),
                    overlay + " " + w.name() + "/" + c.getName() + " installs or downloads at start"));
        }

        // One claim, written by the Job, read-only for every worker; no per-worker copies.
        StatefulSet sts = r.one(StatefulSet.class, "ponder-worker");
        assertTrue(sts.getSpec().getVolumeClaimTemplates() == null || sts.getSpec().getVolumeClaimTemplates().isEmpty(),
                "a claim per worker means a download per worker");
        Volume jobVolume = volume(job, mount(fetch, "models").getName());
        Volume workerVolume = volume(worker(r), "models");
        String claim = jobVolume.getPersistentVolumeClaim().getClaimName();
        assertEquals(claim, workerVolume.getPersistentVolumeClaim().getClaimName());
        assertEquals(Boolean.TRUE, workerVolume.getPersistentVolumeClaim().getReadOnly(), "workers mount the claim read-only");
        PersistentVolumeClaim pvc = r.one(PersistentVolumeClaim.class, claim);
        assertTrue(pvc.getSpec().getAccessModes().contains("ReadWriteMany") || pvc.getSpec().getAccessModes().contains("ReadOnlyMany"),
                "workers on many nodes mount it: " + pvc.getSpec().getAccessModes());
        Quantity size = pvc.getSpec().getResources().getRequests().get("storage");
        assertTrue(size.getNumericalAmount().compareTo(Quantity.parse("20Gi").getNumericalAmount()) >= 0,
                "18 GB of weights need room: " + size);
        assertTrue(MODEL_PATH.startsWith(mount(fetch, "models").getMountPath() + "/"));
        for (Container c : worker(r).allContainers().toList()) {
            if (c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("models"))) {
                assertEquals(Boolean.TRUE, mount(c, "models").getReadOnly(), c.getName() + " only reads the weights");
                assertEquals(mount(fetch, "models").getMountPath(), mount(c, "models").getMountPath());
            }
        }
        // Workers start loading only once the Job has verified every file and written its manifest.
        Container wait = worker(r).template().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("wait-for-model")).findFirst().orElseThrow();
        assertTrue(String.join("\n", wait.getArgs()).contains("[ -f " + MODEL_PATH + "/" + FetchManifest.NAME + " ]"), wait.getArgs().toString());
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
    void workersHaveAHeadlessServiceOnTheirHttpPortAndADisruptionBudget(String overlay) {
        Rendering r = Rendering.overlay(overlay);
        StatefulSet sts = r.one(StatefulSet.class, "ponder-worker");
        Service headless = r.one(Service.class, sts.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP(), "headless: the name resolves to every worker pod");
        // The worker protocol is on the HTTP port: there is no separate stream port; operations are on neither.
        assertEquals(List.of(SERVED.httpPort()), headless.getSpec().getPorts().stream().map(ServicePort::getPort).toList());
        Container c = worker(r).container("worker");
        assertEquals(List.of(SERVED.httpPort(), SERVED.healthPort()),
                c.getPorts().stream().map(ContainerPort::getContainerPort).toList(),
                overlay + ": the worker declares ports the app does not serve");
        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, "ponder-worker");
        assertTrue(r.selected(pdb.getSpec().getSelector().getMatchLabels()).contains(worker(r)));
    }

    @Test
    void behindAControlPlaneWorkersScaleOnTheirEngineQueue() {
        HorizontalPodAutoscaler hpa = Rendering.overlay("gpu-internlm3").one(HorizontalPodAutoscaler.class, "ponder-worker");
        assertScales(hpa, "StatefulSet", "ponder-worker", "Pods", "ponder_engine_queue_depth");
    }

    @Test
    void allInOneWorkersScaleOnTheirOwnWaitingSearches() {
        HorizontalPodAutoscaler hpa = Rendering.overlay("gpu-internlm3-single").one(HorizontalPodAutoscaler.class, "ponder-worker");
        assertScales(hpa, "StatefulSet", "ponder-worker", "Pods", "ponder_searches_waiting");
    }

    @Test
    void theControlPlaneScalesOnItsWaitingSearches() {
        HorizontalPodAutoscaler hpa = Rendering.overlay("gpu-internlm3").one(HorizontalPodAutoscaler.class, "ponder-control");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("ponder-control", hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(m -> "Pods".equals(m.getType())
                && "ponder_searches_waiting".equals(metricName(m))), "no HPA metric on the control plane's waiting searches");
        assertTrue(hpa.getSpec().getMinReplicas() >= 2);
    }

    private static void assertScales(HorizontalPodAutoscaler hpa, String kind, String name, String type, String metric) {
        assertEquals(kind, hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(name, hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(List.of(type + " " + metric),
                hpa.getSpec().getMetrics().stream().map(m -> m.getType() + " " + metricName(m)).toList());
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
        assertTrue(c.getImage().contains("/ponder-control@sha256:"), c.getImage());
        assertNull(c.getResources().getLimits().get("nvidia.com/gpu"), "the control plane needs no GPU");
        assertTrue(c.getResources().getLimits().get("memory").getNumericalAmount()
                .compareTo(Quantity.parse("1Gi").getNumericalAmount()) <= 0, "a native image stays small");
        r.one(PodDisruptionBudget.class, "ponder-control");
        assertEquals("ponder-control",
                r.one(Ingress.class, "ponder").getSpec().getRules().get(0).getHttp().getPaths().get(0)
                        .getBackend().getService().getName());
        assertNull(ManifestPolicyTest.env(c, "PONDER_MODEL_PATH"), "the control plane loads no model");
        assertNull(ManifestPolicyTest.env(c, "PONDER_WORKER_ENABLED"), "the control plane build has no worker endpoints");
    }

    @Test
    void theControlPlaneFindsEveryWorkerThroughTheHeadlessServiceOnItsHttpPort() {
        Rendering r = Rendering.overlay("gpu-internlm3");
        Map<String, String> env = plainEnv(r.workload("Deployment", "ponder-control").container("control"));
        String workers = env.get("PONDER_CLUSTER_WORKERS");
        assertNotNull(workers, "PONDER_CLUSTER_WORKERS unset: the control plane would have no model backend");
        StatefulSet sts = r.one(StatefulSet.class, "ponder-worker");
        Service headless = r.one(Service.class, sts.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        String namespace = sts.getMetadata().getNamespace();
        Set<String> serviceNames = Set.of(headless.getMetadata().getName(),
                headless.getMetadata().getName() + "." + namespace,
                headless.getMetadata().getName() + "." + namespace + ".svc",
                headless.getMetadata().getName() + "." + namespace + ".svc.cluster.local");
        for (String part : workers.split(",")) {
            URI u = URI.create(part.trim());
            assertEquals("http", u.getScheme(), part);
            assertTrue(serviceNames.contains(u.getHost()), part + " does not name the worker Service " + serviceNames);
            assertTrue(u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"),
                    "a base URL; the control plane adds /worker/v1/...: " + part);
            ServicePort port = headless.getSpec().getPorts().stream().filter(p -> p.getPort() == u.getPort()).findFirst()
                    .orElseThrow(() -> new AssertionError(part + ": port " + u.getPort() + " is not on " + headless.getMetadata().getName()));
            // The Service port leads to the worker container's port where the app serves /worker/v1/*.
            ContainerPort target = ManifestPolicyTest.containerPort(worker(r).template().getSpec().getContainers(), port.getTargetPort());
            assertNotNull(target, "the worker Service port " + port.getPort() + " targets no worker port");
            assertEquals(SERVED.httpPort(), target.getContainerPort(),
                    "the worker protocol is served on the HTTP port " + SERVED.httpPort());
        }
        assertEquals(SERVED.httpPort(), URI.create(workers.split(",")[0].trim()).getPort());
        // One name, many pods: every address of the headless name is a worker.
        assertEquals("true", env.get("PONDER_CLUSTER_RESOLVE_ALL_ADDRESSES"));
        for (String duration : List.of("PONDER_CLUSTER_POLL_INTERVAL", "PONDER_CLUSTER_CONNECT_TIMEOUT")) {
            String value = env.get(duration);
            assertTrue(value == null || value.matches("\\d+(\\.\\d+)?(ms|s|m)"), duration + "=" + value);
        }
        for (String stale : List.of("PONDER_WORKERS_HOST", "PONDER_WORKERS_PORT")) {
            assertNull(env.get(stale), stale + " is not a configuration key of the service");
        }
    }

    @Test
    void workersServeTheWorkerProtocolToTheTokenTheControlPlanePresents() {
        Rendering r = Rendering.overlay("gpu-internlm3");
        Container worker = worker(r).container("worker");
        assertEquals("true", plainEnv(worker).get("PONDER_WORKER_ENABLED"));
        SecretKeySelector workerSide = secretRef(worker, "PONDER_WORKER_TOKEN");
        SecretKeySelector controlSide = secretRef(r.workload("Deployment", "ponder-control").container("control"),
                "PONDER_CLUSTER_WORKER_TOKEN");
        assertEquals(workerSide.getName(), controlSide.getName(), "both sides must read the same Secret");
        assertEquals(workerSide.getKey(), controlSide.getKey(), "both sides must read the same key");
        assertEquals("ponder-worker-token", workerSide.getName());
        assertNotEquals("ponder-api-keys", workerSide.getName(), "the worker token is not a client API key");
        assertTrue(workerSide.getOptional() == null || !workerSide.getOptional(), "a worker without its token would be open");
        assertTrue(controlSide.getOptional() == null || !controlSide.getOptional());
    }

    @Test
    void theSingleOverlayServesTheApiFromTheWorkersWithTheWorkerProtocolOff() {
        Rendering r = Rendering.overlay("gpu-internlm3-single");
        assertTrue(r.workloads().stream().noneMatch(w -> w.name().equals("ponder-control")));
        String backend = r.one(Ingress.class, "ponder").getSpec().getRules().get(0).getHttp().getPaths().get(0)
                .getBackend().getService().getName();
        Service api = r.one(Service.class, backend);
        assertTrue(r.selected(api.getSpec().getSelector()).contains(worker(r)));
        Container c = worker(r).container("worker");
        assertNull(ManifestPolicyTest.env(c, "PONDER_WORKER_ENABLED"), "no control plane: /worker/v1/* stays off");
        assertNull(ManifestPolicyTest.env(c, "PONDER_WORKER_TOKEN"), "no worker-token Secret is needed");
    }

    private static SecretKeySelector secretRef(Container c, String name) {
        EnvVar e = ManifestPolicyTest.env(c, name);
        assertNotNull(e, c.getName() + " does not get " + name);
        assertNull(e.getValue(), name + " must come from a Secret, not be written into the manifest");
        assertNotNull(e.getValueFrom().getSecretKeyRef(), name + " is not read from a Secret");
        return e.getValueFrom().getSecretKeyRef();
    }

    private static String metricName(MetricSpec m) {
        return switch (m.getType()) {
            case "External" -> m.getExternal().getMetric().getName();
            case "Pods" -> m.getPods().getMetric().getName();
            case "Object" -> m.getObject().getMetric().getName();
            default -> m.getType();
        };
    }

    private static Volume volume(Rendering.Workload w, String name) {
        return w.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(w.name() + " has no volume " + name));
    }

    private static String configMapOf(Container c) {
        return c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " reads no ConfigMap")).getConfigMapRef().getName();
    }

    /** "--flag value" pairs of an argument list. */
    private static Map<String, String> pairs(List<String> args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            out.put(args.get(i), args.get(i + 1));
        }
        return out;
    }

    private static VolumeMount mount(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}

package dev.ponder.cluster;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The model workers of a control plane ({@code ponder.cluster.workers}): polls each one's
 * {@code GET /worker/v1/load}, routes every new search to the least-loaded worker that is up, and takes a
 * worker out of the rotation the moment a poll or a session finds it gone (it comes back when a poll
 * answers again).
 */
@ApplicationScoped
public class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    @Inject
    PonderConfig config;

    private final Map<URI, Worker> workers = new ConcurrentHashMap<>();
    private volatile HttpClient http;
    private volatile ScheduledExecutorService poller;
    private volatile boolean polledOnce;
    private final AtomicLong turn = new AtomicLong();

    void onStart(@Observes StartupEvent event) {
        if (config.cluster().workers().isEmpty()) {
            return;
        }
        http = HttpClient.newBuilder().connectTimeout(config.cluster().connectTimeout()).build();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ponder-worker-poller");
            t.setDaemon(true);
            return t;
        });
        long every = config.cluster().pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** The cluster settings (sessions read them through here: a CDI proxy has no fields). */
    PonderConfig.Cluster settings() {
        return config.cluster();
    }

    /** The HTTP client sessions connect with. */
    HttpClient http() {
        return http;
    }

    /** Every worker known now, in configuration order. */
    public List<Worker> workers() {
        return new ArrayList<>(workers.values());
    }

    /** Whether every worker has been polled at least once. */
    boolean polledOnce() {
        return polledOnce;
    }

    /**
     * The least-loaded worker that is up, taking turns among equally loaded ones (idle workers share searches that
     * arrive one after another instead of the first one getting them all); 503 when none is up.
     */
    Worker choose() {
        List<Worker> up = workers.values().stream().filter(Worker::up).toList();
        if (up.isEmpty()) {
            throw new ProblemException(ProblemDetail.unavailable("no model worker is up: " + describe()));
        }
        return leastLoaded(up, turn.getAndIncrement());
    }

    /** The least-loaded of {@code up} (not empty); among equals, the {@code turn}-th in address order. */
    static Worker leastLoaded(List<Worker> up, long turn) {
        List<Worker> sorted = up.stream().sorted(Comparator.comparing((Worker w) -> w.base().toString())).toList();
        double[] scores = sorted.stream().mapToDouble(Worker::score).toArray(); // one reading: loads change meanwhile
        double least = Arrays.stream(scores).min().orElseThrow();
        List<Worker> tied = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == least) {
                tied.add(sorted.get(i));
            }
        }
        return tied.get((int) Math.floorMod(turn, (long) tied.size()));
    }

    String describe() {
        return workers.isEmpty() ? "none resolved from " + config.cluster().workers().orElse(List.of())
                : workers.values().stream().map(Worker::toString).collect(Collectors.joining(", "));
    }

    /** A session found its worker gone: no new searches go there until a poll finds it up again. */
    void lost(Worker w, String why) {
        if (w.up()) {
            LOG.warnf("model worker %s lost: %s", w.base(), why);
        }
        w.down(why);
    }

    private void poll() {
        try {
            List<URI> targets = targets();
            // addresses a headless Service no longer lists (pod gone or unready): out of the rotation, and
            // forgotten once none of our searches runs there
            if (!targets.isEmpty()) {
                for (Worker w : workers.values()) {
                    if (!targets.contains(w.base())) {
                        w.down("no longer among the addresses of " + config.cluster().workers().orElse(List.of()));
                        if (w.sessions() == 0) {
                            workers.remove(w.base());
                        }
                    }
                }
            }
            for (URI target : targets) {
                Worker w = workers.computeIfAbsent(target, Worker::new);
                pollOne(w);
            }
            polledOnce = true;
        } catch (RuntimeException e) {
            LOG.warn("polling model workers failed", e);
        }
    }

    private void pollOne(Worker w) {
        HttpRequest.Builder request = HttpRequest.newBuilder(w.base().resolve("/worker/v1/load"))
                .timeout(config.cluster().connectTimeout()).GET();
        config.cluster().workerToken().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                w.down("load answered " + r.statusCode());
                return;
            }
            boolean wasUp = w.up();
            w.polled(Json.MAPPER.readValue(r.body(), WorkerLoad.class));
            if (!wasUp && w.up()) {
                LOG.infof("model worker %s is up (%s)", w.base(), w.load().model());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (w.up()) {
                LOG.warnf("model worker %s does not answer: %s", w.base(), e.toString());
            }
            w.down(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The configured URLs, each host expanded to all its addresses when asked to (a headless Service). */
    private List<URI> targets() {
        Set<URI> out = new LinkedHashSet<>();
        for (URI u : config.cluster().workers().orElse(List.of())) {
            if (!config.cluster().resolveAllAddresses()) {
                out.add(u);
                continue;
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(u.getHost())) {
                    String host = a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
                    out.add(URI.create(u.getScheme() + "://" + host + ":" + u.getPort()));
                }
            } catch (UnknownHostException e) {
                LOG.debugf("worker host %s does not resolve (yet): %s", u.getHost(), e.getMessage());
            }
        }
        return new ArrayList<>(out);
    }
}

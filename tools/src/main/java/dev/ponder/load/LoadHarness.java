package dev.ponder.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The load harness: starts the packaged service (or targets a running one) on loopback, runs WebSocket and
 * REST clients against it for a while, samples {@code /q/metrics} (on the management port), stops the service with SIGTERM (a graceful
 * shutdown under load), and writes {@code load.md}, {@code load.json} and two plots.
 *
 * <pre>
 *   bin/run dev.ponder.load.LoadHarness --jar app/target/quarkus-app/quarkus-run.jar --minutes 3 --ws 50 --rest 20 --out docs/reliability
 *   bin/run dev.ponder.load.LoadHarness --url http://127.0.0.1:8080 --management-url http://127.0.0.1:9000 --minutes 1 --out /tmp/load
 * </pre>
 */
@Command(name = "LoadHarness", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The load harness: WebSocket and REST clients against the service for a while, /q/metrics sampled,"
                + " then a graceful shutdown under load. Writes load.md, load.json and two plots to --out.")
public final class LoadHarness implements Callable<Integer> {

    /** What the report says of the run: the service driven ({@code jar}, else {@code url}), the clients, where it went. */
    record Settings(Path jar, URI url, double minutes, int ws, int rest, Path out) {
    }

    @Mixin
    private ServiceOptions serviceOptions = new ServiceOptions(18080, 19000);

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "3",
            description = "how long the clients ask (default: ${DEFAULT-VALUE})")
    private double minutes;

    @Option(names = "--ws", paramLabel = "N", defaultValue = "50",
            description = "WebSocket clients (default: ${DEFAULT-VALUE})")
    private int ws;

    @Option(names = "--rest", paramLabel = "N", defaultValue = "20",
            description = "REST clients, half JSON, half SSE (default: ${DEFAULT-VALUE})")
    private int rest;

    private LoadHarness() {
    }

    public static void main(String[] args) {
        // exits even though HttpClient's selector threads would keep the JVM alive
        System.exit(new CommandLine(new LoadHarness()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings s = settings();
        ServiceProcess service = serviceOptions.service("load-service.log");
        awaitReady(service.management());
        Metrics metrics = new Metrics(service.management());
        Outcomes outcomes = new Outcomes();
        long t0 = System.nanoTime();
        long end = t0 + (long) (s.minutes() * 60e9);
        Clients clients = new Clients(service.base(), outcomes, t0);
        ExecutorService pool = Executors.newFixedThreadPool(s.ws() + s.rest() + 1);
        metrics.sample(0, outcomes.doneCount());
        pool.submit(() -> {
            while (System.nanoTime() < end) {
                sleep(5000);
                metrics.sample((System.nanoTime() - t0) / 1_000_000, outcomes.doneCount());
            }
            return null;
        });
        for (int i = 0; i < s.ws(); i++) {
            int n = i;
            pool.submit(() -> {
                clients.socket(n, () -> System.nanoTime() < end);
                return null;
            });
        }
        for (int i = 0; i < s.rest(); i++) {
            int n = i;
            pool.submit(() -> clients.rest(n, () -> System.nanoTime() < end));
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination((long) (s.minutes() * 60) + 300, TimeUnit.SECONDS);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        metrics.sample(elapsedMs, outcomes.doneCount());
        sleep(3000);   // the asks ended: memory and KV settle
        metrics.sample((System.nanoTime() - t0) / 1_000_000, outcomes.doneCount());
        String shutdown = service.stop(90);
        LoadReport report = new LoadReport(s, outcomes.snapshot(), metrics.samples(), elapsedMs, clients.extraTerminals.get(),
                finished, shutdown);
        report.write(s.out());
        System.out.println(Files.readString(s.out().resolve("load.md")));
        return 0;
    }

    /** Waits for {@code /q/health/ready} on the management interface at {@code management}. */
    static void awaitReady(URI management) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(management.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the service at " + management + " did not become ready within 5 minutes");
            }
            sleep(500);
        }
    }

    /** The settings the command line gave. */
    Settings settings() {
        ServiceOptions o = serviceOptions;
        return new Settings(o.jar, o.url, minutes, ws, rest, o.out);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

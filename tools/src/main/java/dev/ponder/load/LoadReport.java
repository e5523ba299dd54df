package dev.ponder.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ponder.plot.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The harness's report: load.json (everything), load.md (the tables), load-memory.png and load-throughput.png. */
public final class LoadReport {

    /** Endings that are the service working as designed under overload; every other non-done kind is unexpected. */
    static final Set<String> EXPECTED = Set.of("done", "overloaded");

    private final LoadHarness.Settings settings;
    private final List<Outcomes.Outcome> outcomes;
    private final List<Metrics.Sample> samples;
    private final long elapsedMs;
    private final long extraTerminals;
    private final boolean clientsFinished;
    private final String shutdown;

    LoadReport(LoadHarness.Settings settings, List<Outcomes.Outcome> outcomes, List<Metrics.Sample> samples, long elapsedMs,
           long extraTerminals, boolean clientsFinished, String shutdown) {
        this.settings = settings;
        this.outcomes = outcomes;
        this.samples = samples;
        this.elapsedMs = elapsedMs;
        this.extraTerminals = extraTerminals;
        this.clientsFinished = clientsFinished;
        this.shutdown = shutdown;
    }

    void write(Path out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("minutes", settings.minutes(), "webSocketClients", settings.ws(),
                "restClients", settings.rest(), "target", settings.jar() != null ? settings.jar().toString() : settings.url().toString()));
        json.put("elapsedMs", elapsedMs);
        json.put("completedPerMinute", perMinute());
        json.put("byClient", byClient());
        json.put("byStrategy", byStrategy());
        json.put("endings", Outcomes.byKind(outcomes));
        json.put("unexpected", unexpected());
        json.put("extraTerminalMessages", extraTerminals);
        json.put("clientsFinished", clientsFinished);
        json.put("shutdown", shutdown);
        json.put("samples", samples);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("load.json").toFile(), json);
        Files.writeString(out.resolve("load.md"), markdown());
        plots(out);
    }

    /** Asks finished per minute while the clients were asking (the last asks, finishing after it, not counted). */
    double perMinute() {
        long window = (long) (settings.minutes() * 60000);
        return outcomes.stream().filter(o -> o.done() && o.endedMs() <= window).count() / settings.minutes();
    }

    Map<String, Map<String, Object>> byClient() {
        Map<String, Map<String, Object>> m = new LinkedHashMap<>();
        for (String client : List.of("ws", "rest-json", "rest-sse", "all")) {
            List<Outcomes.Outcome> of = client.equals("all") ? outcomes
                    : outcomes.stream().filter(o -> o.client().equals(client)).toList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("asks", of.size());
            row.put("done", of.stream().filter(Outcomes.Outcome::done).count());
            row.put("p50Ms", Outcomes.percentile(of, 50));
            row.put("p95Ms", Outcomes.percentile(of, 95));
            row.put("p99Ms", Outcomes.percentile(of, 99));
            row.put("endings", Outcomes.byKind(of));
            m.put(client, row);
        }
        return m;
    }

    /** Latency of finished asks by strategy (all clients). */
    Map<String, Map<String, Object>> byStrategy() {
        Map<String, Map<String, Object>> m = new TreeMap<>();
        for (String strategy : outcomes.stream().map(Outcomes.Outcome::strategy).distinct().toList()) {
            List<Outcomes.Outcome> of = outcomes.stream().filter(o -> o.strategy().equals(strategy)).toList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("done", of.stream().filter(Outcomes.Outcome::done).count());
            row.put("p50Ms", Outcomes.percentile(of, 50));
            row.put("p95Ms", Outcomes.percentile(of, 95));
            row.put("p99Ms", Outcomes.percentile(of, 99));
            m.put(strategy, row);
        }
        return m;
    }

    long unexpected() {
        return outcomes.stream().filter(o -> !EXPECTED.contains(o.kind())).count() + extraTerminals;
    }

    private String markdown() {
        StringBuilder b = new StringBuilder("# Load run\n\n");
        b.append(String.format(Locale.ROOT, "%d WebSocket clients and %d REST clients (half JSON, half SSE), one ask at a"
                + " time each, asking for %.1f minutes (%.1f minutes until the last asks ended) against %s.%n%n",
                settings.ws(), settings.rest(), settings.minutes(), elapsedMs / 60000.0,
                settings.jar() != null ? "the packaged service (" + settings.jar().getFileName() + ", embedded model)" : settings.url()));
        b.append(String.format(Locale.ROOT, "**%.1f searches completed per minute** while the clients asked. Unexpected endings: %d. Terminal"
                + " messages after an ask had ended: %d. Clients finished their last ask: %s. Shutdown: %s.%n%n",
                perMinute(), unexpected(), extraTerminals, clientsFinished, shutdown));
        b.append("| client | asks | done | p50 ms | p95 ms | p99 ms | endings |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        byClient().forEach((client, row) -> b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.0f | %s |%n",
                client, row.get("asks"), row.get("done"), (double) row.get("p50Ms"), (double) row.get("p95Ms"),
                (double) row.get("p99Ms"), row.get("endings"))));
        b.append("\n| strategy (searchBudget 1 for greedy, else 4) | done | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: |\n");
        byStrategy().forEach((strategy, row) -> b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f |%n",
                strategy, row.get("done"), (double) row.get("p50Ms"), (double) row.get("p95Ms"), (double) row.get("p99Ms"))));
        b.append("\nLatency is from sending an ask to its terminal event, for asks that ended with `done`. `overloaded` is a"
                + " 429 / WebSocket `overloaded` error: the admission queue was full, the client waited the 1 s of"
                + " `Retry-After` and asked again.\n\n");
        b.append("| t (s) | heap used MiB | KV used / total blocks | KV cached | searches active | waiting | done so far |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Metrics.Sample s : samples) {
            b.append(String.format(Locale.ROOT, "| %.0f | %.0f | %.0f / %.0f | %.0f | %.0f | %.0f | %d |%n", s.ms() / 1000.0,
                    s.heapUsedMb(), s.kvUsed(), s.kvTotal(), s.kvCached(), s.active(), s.waiting(), s.done()));
        }
        b.append("\n![memory](load-memory.png)\n\n![throughput](load-throughput.png)\n");
        return b.toString();
    }

    private void plots(Path out) throws IOException {
        plots(out, samples);
    }

    /**
     * Redraws the two charts of a load run from its {@code load.json}'s samples, without a service
     * ({@link dev.ponder.cli.RedrawCharts}); says what it wrote.
     */
    public static String redraw(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        List<Metrics.Sample> samples = new ArrayList<>();
        for (JsonNode n : json.readTree(dir.resolve("load.json").toFile()).path("samples")) {
            samples.add(json.treeToValue(n, Metrics.Sample.class));
        }
        plots(dir, samples);
        return "redrew " + dir.resolve("load-memory.png") + " and load-throughput.png from " + samples.size() + " samples";
    }

    /** The two charts from the samples alone. */
    static void plots(Path out, List<Metrics.Sample> samples) throws IOException {
        List<double[]> heap = new ArrayList<>();
        List<double[]> kv = new ArrayList<>();
        List<double[]> kvHeld = new ArrayList<>();
        List<double[]> rate = new ArrayList<>();
        Metrics.Sample prev = null;
        double maxRate = 1;
        for (Metrics.Sample s : samples) {
            double t = Math.max(1, s.ms() / 1000.0);
            heap.add(new double[] {t, s.heapMaxMb() > 0 ? s.heapUsedMb() / s.heapMaxMb() : 0});
            kv.add(new double[] {t, s.kvTotal() > 0 ? s.kvUsed() / s.kvTotal() : 0});
            kvHeld.add(new double[] {t, s.kvTotal() > 0 ? (s.kvUsed() - s.kvCached()) / s.kvTotal() : 0});
            if (prev != null && s.ms() > prev.ms()) {
                double r = (s.done() - prev.done()) / ((s.ms() - prev.ms()) / 60000.0);
                rate.add(new double[] {t, r});
                maxRate = Math.max(maxRate, r);
            }
            prev = s;
        }
        new Chart("Memory under load", "seconds since start", "share of capacity", false)
                .add(new Chart.Series("heap used / max heap", heap))
                .add(new Chart.Series("KV blocks used / total", kv))
                .add(new Chart.Series("KV held by searches / total", kvHeld))
                .yRange(0, 1).write(out.resolve("load-memory.png"));
        new Chart("Searches completed per minute", "seconds since start", "per minute (5 s windows)", false)
                .add(new Chart.Series("completed per minute", rate))
                .yRange(0, Math.ceil(maxRate * 1.1)).yFormat(y -> String.format(Locale.ROOT, "%.0f", y))
                .write(out.resolve("load-throughput.png"));
    }
}

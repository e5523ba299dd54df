package dev.ponder.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples of the service's {@code /q/metrics} over the run: heap, KV blocks, searches running and waiting. */
final class Metrics {

    /** One sample; heap in MiB, KV in blocks; {@code done} is the asks the clients saw finish so far. */
    record Sample(long ms, double heapUsedMb, double heapMaxMb, double kvUsed, double kvCached, double kvTotal,
                  double active, double waiting, long done) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Sample> samples = new ArrayList<>();

    Metrics(URI base) {
        this.base = base;
    }

    synchronized void sample(long ms, long done) {
        try {
            String t = http.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            samples.add(new Sample(ms, sum(t, "jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20),
                    sum(t, "jvm_memory_max_bytes", "area=\"heap\"") / (1 << 20),
                    sum(t, "ponder_kv_blocks", "state=\"used\""), sum(t, "ponder_kv_blocks", "state=\"cached\""),
                    sum(t, "ponder_kv_blocks", "state=\"total\""), sum(t, "ponder_searches_active", ""),
                    sum(t, "ponder_searches_waiting", ""), done));
        } catch (Exception e) {
            System.err.println("metrics sample failed: " + e);
        }
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The sum of a metric's samples whose labels contain {@code label} (positive values only: -1 means undefined). */
    static double sum(String text, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        double total = 0;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            double v = Double.parseDouble(m.group(2));
            if (labels.contains(label) && v > 0) {
                total += v;
            }
        }
        return total;
    }
}

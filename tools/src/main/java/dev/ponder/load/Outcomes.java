package dev.ponder.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the load clients saw: one record per ask, kept in arrival order (thread-safe). */
final class Outcomes {

    /**
     * One ask: which interface and strategy, when it ended (ms since the start), how long it took, and how it
     * ended: {@code done}, or an error kind ({@code overloaded}, {@code http-503}, {@code sse-error:unavailable}, ...).
     */
    record Outcome(String client, String strategy, long endedMs, long latencyMs, String kind) {
        boolean done() {
            return kind.equals("done");
        }
    }

    private final List<Outcome> all = new ArrayList<>();

    synchronized void add(Outcome o) {
        all.add(o);
    }

    synchronized List<Outcome> snapshot() {
        return List.copyOf(all);
    }

    synchronized long doneCount() {
        return all.stream().filter(Outcome::done).count();
    }

    /** Counts by kind, e.g. {@code {done=812, overloaded=95}}. */
    static Map<String, Long> byKind(List<Outcome> outcomes) {
        Map<String, Long> m = new TreeMap<>();
        outcomes.forEach(o -> m.merge(o.kind(), 1L, Long::sum));
        return m;
    }

    /** The p-th percentile (0..100) of the latencies of finished asks, nearest rank; NaN if none. */
    static double percentile(List<Outcome> outcomes, double p) {
        long[] l = outcomes.stream().filter(Outcome::done).mapToLong(Outcome::latencyMs).sorted().toArray();
        if (l.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * l.length);
        return l[Math.max(0, Math.min(l.length - 1, rank - 1))];
    }
}

package dev.ponder.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The burst drill of issue #16: many WebSocket clients each send a few heavy asks at the same moment, far more than
 * the admission slots and queue hold, and every ask is followed to its end. It records, per ask, how long it stayed
 * silent (from sending to its first message: {@code queued} or the root {@code node}), whether it was told it waits,
 * how it ended and when; and counts terminal messages that came for an ask already ended.
 *
 * <pre>
 *   bin/run dev.ponder.load.BurstDrill --jar app/target/quarkus-app/quarkus-run.jar --clients 30 --asks 2 --budget 8 --out docs/reliability
 *   bin/run dev.ponder.load.BurstDrill --url http://127.0.0.1:8080 --management-url http://127.0.0.1:9000 --clients 30 --asks 2 --out /tmp/burst
 * </pre>
 * Writes {@code burst.md} and {@code burst.json} to {@code --out}.
 */
@Command(name = "BurstDrill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The burst drill: many WebSocket clients send heavy asks at once, far more than the service admits,"
                + " and every ask is followed to its end. Writes burst.md and burst.json to --out.")
public final class BurstDrill implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** No ask may take longer than this; one that does is counted as {@code timeout} (the invariant broken). */
    private static final Duration ASK_LIMIT = Duration.ofMinutes(15);

    /** One ask's story. {@code firstMs}: sending to the first message; {@code endMs}: sending to the terminal one. */
    record Ask(String id, long firstMs, String firstType, Integer queuedPosition, long endMs, String ending) {
    }

    /** What the drill asks and the report says: the service driven ({@code jar}, else {@code url}), the asks, where it went. */
    record Settings(Path jar, URI url, int clients, int asks, int budget, String strategy, int maxTokens, Path out) {
    }

    @Mixin
    private ServiceOptions serviceOptions = new ServiceOptions(18081, 19081);

    @Option(names = "--clients", paramLabel = "N", defaultValue = "30",
            description = "WebSocket connections (default: ${DEFAULT-VALUE})")
    private int clients;

    @Option(names = "--asks", paramLabel = "N", defaultValue = "2",
            description = "asks each client sends at once (default: ${DEFAULT-VALUE})")
    private int asks;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "8",
            description = "searchBudget of every ask (default: ${DEFAULT-VALUE})")
    private int budget;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "beam",
            description = "search strategy of every ask (default: ${DEFAULT-VALUE})")
    private String strategy;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "200",
            description = "maxTokens of every ask (default: ${DEFAULT-VALUE})")
    private int maxTokens;

    private BurstDrill() {
    }

    public static void main(String[] args) {
        // exits even though HttpClient's selector threads would keep the JVM alive
        System.exit(new CommandLine(new BurstDrill()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings s = settings();
        ServiceProcess service = serviceOptions.service("burst-service.log");
        try {
            LoadHarness.awaitReady(service.management());
            Result r = run(service.base(), s);
            write(s, r);
            System.out.println(Files.readString(s.out().resolve("burst.md")));
        } finally {
            service.stop(60);
        }
        return 0;
    }

    record Result(List<Ask> asks, long extraTerminals, long wallMs, JsonNode hello) {
    }

    /** Opens every connection, then sends every ask at once, and waits for each ask's end. */
    static Result run(URI base, Settings s) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/reason");
        List<Listener> listeners = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int c = 0; c < s.clients(); c++) {
            Listener l = new Listener();
            sockets.add(http.newWebSocketBuilder().subprotocols("ponder.v1").buildAsync(ws, l).get(30, TimeUnit.SECONDS));
            listeners.add(l);
        }
        JsonNode hello = listeners.get(0).hello.get(30, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        List<CompletableFuture<Ask>> all = new ArrayList<>();
        for (int a = 0; a < s.asks(); a++) {
            for (int c = 0; c < s.clients(); c++) {
                String id = "c" + c + "-a" + a;
                all.add(listeners.get(c).expect(id, System.nanoTime()));
                String prompt = PROMPTS.get((c + a) % PROMPTS.size());
                sockets.get(c).sendText("{\"type\": \"ask\", \"id\": \"" + id + "\", \"prompt\": \"" + prompt + "\", \"strategy\": \""
                        + s.strategy() + "\", \"searchBudget\": " + s.budget() + ", \"maxTokens\": " + s.maxTokens()
                        + ", \"seed\": " + (c * 100 + a) + "}", true).join();
            }
        }
        List<Ask> asks = new ArrayList<>();
        for (CompletableFuture<Ask> f : all) {
            try {
                asks.add(f.get(ASK_LIMIT.toSeconds(), TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                asks.add(new Ask("?", -1, null, null, ASK_LIMIT.toMillis(), "timeout"));
            }
        }
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(2000);   // a second terminal message for an ask would arrive by now
        long extra = listeners.stream().mapToLong(l -> l.extraTerminals.get()).sum();
        for (WebSocket w : sockets) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(x -> null);
        }
        return new Result(asks, extra, wallMs, hello);
    }

    private static final List<String> PROMPTS = List.of("Use 4 7 8 8 and + - * / to make 24.", "What is 5^10?",
            "Use 1 3 4 6 and + - * / to make 24.", "What is 17*23?", "Use 4 9 10 13 to make 24.");

    /** One connection: the hello, and each ask's first and terminal message. */
    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
        final AtomicLong extraTerminals = new AtomicLong();
        private final Map<String, Tracked> open = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        private static final class Tracked {
            final String id;
            final long sentNanos;
            final CompletableFuture<Ask> end = new CompletableFuture<>();
            long firstMs = -1;
            String firstType;
            Integer position;

            Tracked(String id, long sentNanos) {
                this.id = id;
                this.sentNanos = sentNanos;
            }
        }

        CompletableFuture<Ask> expect(String id, long sentNanos) {
            Tracked t = new Tracked(id, sentNanos);
            open.put(id, t);
            return t.end;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    handle(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    System.err.println("not JSON: " + partial);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void handle(JsonNode m) {
            String type = m.path("type").asText();
            if (type.equals("hello")) {
                hello.complete(m);
                return;
            }
            String id = m.path("id").asText();
            Tracked t = open.get(id);
            boolean terminal = (type.equals("done") || type.equals("cancelled") || type.equals("error"))
                    && m.path("terminal").asBoolean(true);
            if (t == null) {
                if (terminal) {
                    extraTerminals.incrementAndGet();
                }
                return;
            }
            long ms = (System.nanoTime() - t.sentNanos) / 1_000_000;
            if (t.firstMs < 0) {
                t.firstMs = ms;
                t.firstType = type;
            }
            if (type.equals("queued")) {
                t.position = m.path("position").asInt();
            }
            if (terminal) {
                open.remove(id);
                String ending = type.equals("error") ? m.path("code").asText("error") : type;
                t.end.complete(new Ask(id, t.firstMs, t.firstType, t.position, ms, ending));
            }
        }
    }

    static void write(Settings s, Result r) throws Exception {
        List<Ask> asks = r.asks();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", Map.of("clients", s.clients(), "asksPerClient", s.asks(), "budget", s.budget(),
                "strategy", s.strategy(), "maxTokens", s.maxTokens(),
                "target", s.jar() != null ? s.jar().toString() : s.url().toString()));
        json.put("limits", r.hello().path("limits"));
        json.put("wallMs", r.wallMs());
        json.put("endings", endings(asks));
        json.put("extraTerminalMessages", r.extraTerminals());
        json.put("byEnding", byEnding(asks));
        json.put("firstMessageMs", stats(asks.stream().mapToLong(Ask::firstMs).filter(x -> x >= 0).toArray()));
        json.put("told", told(asks));
        json.put("asks", asks);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s.out().resolve("burst.json").toFile(), json);
        Files.writeString(s.out().resolve("burst.md"), markdown(s, r));
    }

    static Map<String, Long> endings(List<Ask> asks) {
        Map<String, Long> m = new TreeMap<>();
        asks.forEach(a -> m.merge(a.ending(), 1L, Long::sum));
        return m;
    }

    /** Latency (sending to the end) per ending kind. */
    static Map<String, Map<String, Object>> byEnding(List<Ask> asks) {
        Map<String, Map<String, Object>> m = new TreeMap<>();
        for (String kind : endings(asks).keySet()) {
            m.put(kind, stats(asks.stream().filter(a -> a.ending().equals(kind)).mapToLong(Ask::endMs).toArray()));
        }
        return m;
    }

    /** How each ask learnt where it stood: its first message's type, counted. */
    static Map<String, Long> told(List<Ask> asks) {
        Map<String, Long> m = new TreeMap<>();
        asks.forEach(a -> m.merge(String.valueOf(a.firstType()), 1L, Long::sum));
        return m;
    }

    static Map<String, Object> stats(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", v.length);
        for (int p : new int[] {0, 50, 90, 99, 100}) {
            m.put(p == 0 ? "min" : p == 100 ? "max" : "p" + p, v.length == 0 ? null
                    : v[Math.max(0, Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1))]);
        }
        return m;
    }

    private static String markdown(Settings s, Result r) {
        List<Ask> asks = r.asks();
        StringBuilder b = new StringBuilder("# Burst drill\n\n");
        b.append(String.format(Locale.ROOT, "%d WebSocket clients each sent %d asks at once (%s, searchBudget %d, maxTokens %d):"
                        + " %d asks against %s, with limits %s. All ended after %.1f s.%n%n",
                s.clients(), s.asks(), s.strategy(), s.budget(), s.maxTokens(), asks.size(),
                s.jar() != null ? "the packaged service (embedded model)" : s.url(), r.hello().path("limits"), r.wallMs() / 1000.0));
        b.append(String.format(Locale.ROOT, "Endings: %s. Terminal messages for an ask that had already ended: %d."
                + " First message of each ask: %s.%n%n", endings(asks), r.extraTerminals(), told(asks)));
        b.append("| ending | asks | min s | p50 s | p90 s | p99 s | max s |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        byEnding(asks).forEach((kind, st) -> b.append(row(kind, st)));
        b.append(row("first message (any ending)", stats(asks.stream().mapToLong(Ask::firstMs).filter(x -> x >= 0).toArray())));
        b.append("\nTimes are from sending the ask. \"First message\" is how long an ask stayed silent: its `queued` frame,"
                + " or the root `node` when it got a slot at once, or its refusal.\n");
        return b.toString();
    }

    private static String row(String kind, Map<String, Object> st) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", kind, st.get("n"), sec(st.get("min")),
                sec(st.get("p50")), sec(st.get("p90")), sec(st.get("p99")), sec(st.get("max")));
    }

    private static String sec(Object ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.1f", ((Number) ms).longValue() / 1000.0);
    }

    /** The settings the command line gave. */
    Settings settings() {
        ServiceOptions o = serviceOptions;
        return new Settings(o.jar, o.url, clients, asks, budget, strategy, maxTokens, o.out);
    }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
public final class BurstDrill {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** No ask may take longer than this; one that does is counted as {@code timeout} (the invariant broken). */
    private static final Duration ASK_LIMIT = Duration.ofMinutes(15);

    /** One ask's story. {@code firstMs}: sending to the first message; {@code endMs}: sending to the terminal one. */
    record Ask(String id, long firstMs, String firstType, Integer queuedPosition, long endMs, String ending) {
    }

    /** {@code management}: where {@code /q/health} answers (Quarkus' management interface, not the public port). */
    record Settings(Path jar, URI url, URI management, int clients, int asks, int budget, String strategy, int maxTokens,
                    Path out, int port, int managementPort, String javaOpts) {
    }

    public static void main(String[] args) throws Exception {
        Settings s = parse(args);
        Files.createDirectories(s.out());
        Process service = null;
        URI base = s.url();
        URI management = s.management();
        if (s.jar() != null) {
            ServiceProcess started = ServiceProcess.start(s.jar(), s.javaOpts(), s.port(), s.managementPort(),
                    s.out().resolve("burst-service.log"));
            service = started.process();
            base = started.base();
            management = started.management();
        }
        try {
            LoadHarness.awaitReady(management);
            Result r = run(base, s);
            write(s, r);
            System.out.println(Files.readString(s.out().resolve("burst.md")));
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(60, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
        System.exit(0);   // HttpClient's selector threads would keep the JVM alive
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
            } catch (java.util.concurrent.TimeoutException e) {
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
        java.util.Arrays.sort(v);
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

    static Settings parse(String[] args) {
        Path jar = null;
        URI url = URI.create("http://127.0.0.1:8080");
        URI management = null;
        int clients = 30;
        int asks = 2;
        int budget = 8;
        String strategy = "beam";
        int maxTokens = 200;
        Path out = Path.of("docs/reliability");
        int port = 18081;
        int managementPort = 19081;
        String javaOpts = "-Xmx2g";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--jar" -> jar = Path.of(v);
                case "--url" -> url = URI.create(v);
                case "--management-url" -> management = URI.create(v);
                case "--management-port" -> managementPort = Integer.parseInt(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--asks" -> asks = Integer.parseInt(v);
                case "--budget" -> budget = Integer.parseInt(v);
                case "--strategy" -> strategy = v;
                case "--max-tokens" -> maxTokens = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                case "--port" -> port = Integer.parseInt(v);
                case "--java-opts" -> javaOpts = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --jar PATH | --url URL"
                        + " [--management-url URL], --clients, --asks, --budget, --strategy, --max-tokens, --out, --port,"
                        + " --management-port, --java-opts");
            }
        }
        if (management == null) {
            management = ServiceProcess.defaultManagement(url);
        }
        return new Settings(jar, url, management, clients, asks, budget, strategy, maxTokens, out, port, managementPort, javaOpts);
    }
}

package dev.ponder.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The load clients: each asks one question at a time, as long as the run lasts, and records how every ask
 * ended. A refusal with 429 / {@code overloaded} makes the client wait the second that {@code Retry-After} asks.
 */
final class Clients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ASK_TIMEOUT = Duration.ofMinutes(3);
    /** Questions in the embedded model's domain (arithmetic, powers, Game of 24) and the searches they get. */
    private static final List<String> PROMPTS = List.of("What is 5^10?", "What is 17*23?", "What is 3^7?",
            "Use 4 7 8 8 and + - * / to make 24.", "Use 1 3 4 6 and + - * / to make 24.", "What is 144/12+9?");
    private static final List<String> SEARCHES = List.of(
            "\"strategy\": \"greedy\", \"searchBudget\": 1",
            "\"strategy\": \"best-of-n\", \"searchBudget\": 4",
            "\"strategy\": \"weighted-best-of-n\", \"searchBudget\": 4",
            "\"strategy\": \"self-consistency\", \"searchBudget\": 4",
            "\"strategy\": \"beam\", \"searchBudget\": 4",
            "\"strategy\": \"mcts\", \"searchBudget\": 4");

    private final URI base;
    private final Outcomes outcomes;
    private final long t0;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Terminal messages for an ask that had already ended (the exactly-once invariant broken). */
    final AtomicLong extraTerminals = new AtomicLong();

    Clients(URI base, Outcomes outcomes, long t0) {
        this.base = base;
        this.outcomes = outcomes;
        this.t0 = t0;
    }

    /** An ask's fields: a question, a search, a seed; its strategy is the search's first quoted value. */
    record Ask(String fields, String strategy) {
    }

    static Ask nextAsk(Random random) {
        String search = SEARCHES.get(random.nextInt(SEARCHES.size()));
        return new Ask("\"prompt\": \"" + PROMPTS.get(random.nextInt(PROMPTS.size())) + "\", " + search
                + ", \"maxTokens\": 200, \"seed\": " + random.nextInt(1000), search.split("\"")[3]);
    }

    /** A REST client: JSON answers, every other ask as server-sent events. */
    void rest(int n, BooleanSupplier running) {
        Random random = new Random(1000 + n);
        for (int i = 0; running.getAsBoolean(); i++) {
            boolean stream = i % 2 == 1;
            String name = stream ? "rest-sse" : "rest-json";
            long start = System.nanoTime();
            Ask ask = nextAsk(random);
            String kind;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/reason"))
                        .timeout(ASK_TIMEOUT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{" + ask.fields() + ", \"stream\": " + stream + "}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                kind = r.statusCode() == 200 ? (stream ? sseEnding(r.body()) : "done")
                        : r.statusCode() == 429 ? "overloaded" : "http-" + r.statusCode();
            } catch (HttpTimeoutException e) {
                kind = "timeout";
            } catch (Exception e) {
                kind = "io-" + e.getClass().getSimpleName();
            }
            record(name, ask.strategy(), start, kind);
        }
    }

    /** The terminal event of a stream: done, sse-error:&lt;problem code&gt;, or a broken stream (none, or several). */
    static String sseEnding(String body) {
        int terminals = 0;
        String last = "none";
        String[] lines = body.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("event: done")) {
                terminals++;
                last = "done";
            } else if (lines[i].startsWith("event: error") && i + 1 < lines.length) {
                terminals++;
                String type = lines[i + 1].replaceAll(".*\"type\":\"/problems/([a-z-]+)\".*", "$1");
                last = "sse-error:" + type;
            }
        }
        return terminals == 1 ? last : "sse-" + terminals + "-terminals";
    }

    /** A WebSocket client: one connection, one ask at a time. */
    void socket(int n, BooleanSupplier running) throws Exception {
        Random random = new Random(n);
        Listener listener = new Listener();
        URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/reason");
        WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, listener).get(30, TimeUnit.SECONDS);
        try {
            for (int i = 0; running.getAsBoolean(); i++) {
                String id = "w" + n + "-" + i;
                CompletableFuture<JsonNode> end = listener.expect(id);
                long start = System.nanoTime();
                Ask ask = nextAsk(random);
                socket.sendText("{\"type\": \"ask\", \"id\": \"" + id + "\", " + ask.fields() + "}", true).join();
                String kind;
                try {
                    JsonNode m = end.get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    kind = m.path("type").asText().equals("error") ? m.path("code").asText("error") : m.path("type").asText();
                } catch (TimeoutException e) {
                    kind = "timeout";
                }
                record("ws", ask.strategy(), start, kind);
            }
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(x -> null);
        }
    }

    private void record(String client, String strategy, long startNanos, String kind) {
        long now = System.nanoTime();
        outcomes.add(new Outcomes.Outcome(client, strategy, (now - t0) / 1_000_000, (now - startNanos) / 1_000_000, kind));
        if (!kind.equals("done")) {
            try {
                Thread.sleep(1000);   // Retry-After: 1, and no tight loop on any other failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes the future of an ask id with its terminal message; more than one terminal counts as broken. */
    private final class Listener implements WebSocket.Listener {
        private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        CompletableFuture<JsonNode> expect(String id) {
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            waiting.put(id, f);
            return f;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    String type = m.path("type").asText();
                    if (type.equals("done") || type.equals("error") || type.equals("cancelled")) {
                        CompletableFuture<JsonNode> f = waiting.remove(m.path("id").asText());
                        if (f != null) {
                            f.complete(m);
                        } else {
                            extraTerminals.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    System.err.println("not JSON: " + partial);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}

package dev.ponder.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.local.LocalBackend;
import dev.ponder.reason.Reasoner;
import dev.ponder.testing.ServiceReady;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReasonSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("done", "cancelled", "error");
    /** A search that runs long enough to be cancelled midway: many simulations, long chains. */
    private static final String LONG = "\"strategy\": \"mcts\", \"searchBudget\": 8, \"maxTokens\": 300, \"temperature\": 1.0";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Reasoner reasoner;

    @Inject
    LocalBackend holder;

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private WebSocketClientConnection ws;

    @BeforeEach
    void connect() throws Exception {
        ServiceReady.await();
        // NON_BLOCKING: the callback runs on the connection's event loop, one message at a time, in order
        ws = BasicWebSocketConnector.create().baseUri(base).path("/ws/reason")
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, m) -> {
                    try {
                        inbox.add(JSON.readTree(m));
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + m, e);
                    }
                })
                .connectAndAwait();
        JsonNode hello = next();
        assertEquals("hello", hello.get("type").asText(), "the server speaks first: " + hello);
        WsSchema.assertValid(hello);
    }

    @AfterEach
    void close() {
        if (ws.isOpen()) {
            ws.closeAndAwait();
        }
    }

    @Test
    void severalAsksAtOnceEachEndOnce() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"a\", \"prompt\": \"2+3?\", \"searchBudget\": 1, \"maxTokens\": 6}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"b\", \"prompt\": \"3+4?\", \"searchBudget\": 2,"
                + " \"strategy\": \"best-of-n\", \"maxTokens\": 6}");
        List<JsonNode> a = new ArrayList<>();
        List<JsonNode> b = new ArrayList<>();
        while (!ended(a) || !ended(b)) {
            JsonNode m = next();
            (m.get("id").asText().equals("a") ? a : b).add(m);
        }
        for (List<JsonNode> msgs : List.of(a, b)) {
            Set<String> seen = new java.util.HashSet<>();
            for (JsonNode m : msgs) {
                String type = m.get("type").asText();
                if (type.equals("node")) {
                    seen.add(m.get("node").asText());
                } else if (type.equals("score") || type.equals("prune")) {
                    assertTrue(seen.contains(m.get("node").asText()), "messages arrive in order: " + m);
                }
            }
            assertEquals("node", msgs.get(0).get("type").asText());
            assertEquals("root", msgs.get(0).get("node").asText());
            assertEquals("done", msgs.get(msgs.size() - 1).get("type").asText());
            assertEquals(1, msgs.stream().filter(m -> TERMINAL.contains(m.get("type").asText())).count());
        }
        assertEquals("greedy", a.get(a.size() - 1).at("/result/strategy").asText());
        assertEquals("best-of-n", b.get(b.size() - 1).at("/result/strategy").asText());
        assertTrue(a.stream().anyMatch(m -> m.get("type").asText().equals("token")), "the best chain streams");
    }

    @Test
    void cancelStopsTheSearchAndFreesItsResources() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"long\", \"prompt\": \"Think hard.\", " + LONG + "}");
        JsonNode first = next();
        assertEquals("long", first.get("id").asText());
        ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"long\"}");
        JsonNode m;
        do {
            m = next();
        } while (!TERMINAL.contains(m.get("type").asText()));
        assertEquals("cancelled", m.get("type").asText());
        assertEquals("long", m.get("id").asText());
        eventually(() -> reasoner.admission().running() == 0, "the search gave its slot back");
        eventually(this::noSequenceHoldsKv, "the session gave its KV blocks back");
        // the connection still serves asks, and nothing more came for the cancelled one
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"after\", \"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}");
        do {
            m = next();
            assertFalse(m.get("id").asText().equals("long"), "no message after cancelled");
        } while (!TERMINAL.contains(m.get("type").asText()));
        assertEquals("done", m.get("type").asText());
    }

    @Test
    void closingTheConnectionCancelsItsSearches() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"x\", \"prompt\": \"Think hard.\", " + LONG + "}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"y\", \"prompt\": \"Think harder.\", " + LONG + "}");
        next();
        ws.closeAndAwait();
        eventually(() -> reasoner.admission().running() == 0 && reasoner.admission().queued() == 0,
                "both searches gave their slots back");
        eventually(this::noSequenceHoldsKv, "both sessions gave their KV blocks back");
    }

    @Test
    void aConnectionOverItsAskLimitGetsOverloaded() throws Exception {
        // the test profile allows 2 asks at once per connection
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"p\", \"prompt\": \"Think hard.\", " + LONG + "}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"q\", \"prompt\": \"Think harder.\", " + LONG + "}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"r\", \"prompt\": \"And more.\", " + LONG + "}");
        JsonNode m;
        do {
            m = next();
        } while (!("r".equals(m.path("id").asText()) && "error".equals(m.path("type").asText())));
        assertEquals("overloaded", m.get("code").asText(), m.toString());
        assertEquals(429, m.at("/error/status").asInt());
        ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"p\"}");
        ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"q\"}");
        eventually(() -> reasoner.admission().running() == 0 && reasoner.admission().queued() == 0,
                "cancelled asks gave their slots back");
        assertTrue(ws.isOpen());
    }

    @Test
    void badMessagesGetAnErrorAndTheConnectionStaysOpen() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": ");
        assertError(next(), null, "/problems/malformed-json");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"s\", \"prompt\": \"x\", \"strategy\": \"psychic\"}");
        assertError(next(), "s", "/problems/unknown-strategy");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"b\", \"prompt\": \"x\", \"searchBudget\": 1000}");
        assertError(next(), "b", "/problems/invalid-budget");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"e\", \"prompt\": \"\"}");
        assertError(next(), "e", "/problems/empty-prompt");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"l\", \"prompt\": \"" + "1 + 2 + 3 ".repeat(300) + "\"}");
        assertError(next(), "l", "/problems/prompt-too-long");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"prompt\": \"x\"}");
        assertError(next(), null, "/problems/invalid-request");
        ws.sendTextAndAwait("{\"type\": \"dance\", \"id\": \"d\"}");
        assertError(next(), "d", "/problems/unknown-message");
        ws.sendBinaryAndAwait(new byte[] {'{', '"', (byte) 0xFF, '"', '}'});
        assertError(next(), null, "/problems/invalid-utf8");
        ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"never-asked\"}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"ok\", \"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}");
        JsonNode m;
        do {
            m = next();
            assertEquals("ok", m.get("id").asText(), "a cancel of an unknown ask is ignored");
        } while (!TERMINAL.contains(m.get("type").asText()));
        assertEquals("done", m.get("type").asText());
        assertTrue(ws.isOpen());
    }

    @Test
    void helloNamesTheProtocolAndItsLimits() throws Exception {
        // the JDK's WebSocket client asks for the subprotocol; the server agrees on it
        var http = java.net.http.HttpClient.newHttpClient();
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        java.net.http.WebSocket jdk = http.newWebSocketBuilder().subprotocols(ReasonSocket.PROTOCOL)
                .buildAsync(URI.create(base.toString().replace("http", "ws") + "ws/reason"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        got.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(1, TimeUnit.MINUTES);
        try {
            assertEquals(ReasonSocket.PROTOCOL, jdk.getSubprotocol());
            JsonNode hello = JSON.readTree(got.poll(1, TimeUnit.MINUTES));
            WsSchema.assertValid(hello);
            assertEquals("ponder.v1", hello.get("protocol").asText());
            assertEquals(1, hello.get("version").asInt());
            assertEquals(2, hello.at("/limits/maxAsksPerConnection").asInt(), "the test profile's limit");
            assertEquals(8, hello.at("/limits/maxBudget").asInt());
            assertTrue(hello.get("strategies").toString().contains("beam"));
        } finally {
            jdk.abort();
        }
    }

    @Test
    void aDuplicateIdIsRefusedWithoutEndingTheRunningAsk() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"dup\", \"prompt\": \"Count.\", " + LONG + "}");
        JsonNode first = next();
        assertEquals("dup", first.get("id").asText());
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"dup\", \"prompt\": \"again\"}");
        List<JsonNode> dup = new ArrayList<>(List.of(first));
        JsonNode refusal;
        do {
            refusal = next();
            dup.add(refusal);
        } while (!refusal.get("type").asText().equals("error"));
        WsSchema.assertValid(refusal);
        assertEquals("duplicate-id", refusal.get("code").asText());
        assertFalse(refusal.get("terminal").asBoolean(), "the refusal says it ends nothing: " + refusal);
        assertEquals("id", refusal.at("/error/param").asText());
        ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"dup\"}");
        JsonNode m;
        do {
            m = next();
            dup.add(m);
        } while (!dev.ponder.testing.Terminals.isTerminal(m));
        assertEquals("cancelled", m.get("type").asText(), "the running ask still ends with its own terminal message");
        assertEquals("cancelled", dev.ponder.testing.Terminals.exactlyOne(dup, "ask dup"));
    }

    @Test
    void anUnknownFieldIsNamed() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"u\", \"prompt\": \"x\", \"searchbudget\": 4}");
        JsonNode m = next();
        WsSchema.assertValid(m);
        assertError(m, "u", "/problems/unknown-field");
        assertEquals("searchbudget", m.at("/error/param").asText());
        assertTrue(m.get("terminal").asBoolean(), "a refused ask ends there");
    }

    @Test
    void everyFrameOfAnAskMatchesTheSchema() throws Exception {
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"s1\", \"prompt\": \"2+3?\", \"strategy\": \"beam\","
                + " \"searchBudget\": 4, \"maxTokens\": 12}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"s2\", \"prompt\": \"Count.\", " + LONG + "}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": \"s3\", \"prompt\": \"x\", \"searchBudget\": 0}");
        ws.sendTextAndAwait("{\"type\": \"ask\", \"id\": ");
        java.util.Set<String> types = new java.util.TreeSet<>();
        java.util.Set<String> open = new java.util.HashSet<>(List.of("s1", "s2"));
        boolean cancelled = false;
        while (!open.isEmpty()) {
            JsonNode m = next();
            WsSchema.assertValid(m);
            types.add(m.get("type").asText());
            if (!cancelled && m.path("id").asText().equals("s2") && m.get("type").asText().equals("node")) {
                ws.sendTextAndAwait("{\"type\": \"cancel\", \"id\": \"s2\"}");
                cancelled = true;
            }
            if (dev.ponder.testing.Terminals.isTerminal(m)) {
                open.remove(m.path("id").asText());
            }
        }
        assertTrue(types.containsAll(List.of("node", "score", "best", "token", "done", "cancelled", "error")), types.toString());
    }

    private static void assertError(JsonNode m, String id, String type) {
        assertEquals("error", m.get("type").asText(), m.toString());
        if (id == null) {
            assertTrue(m.get("id").isNull(), m.toString());
        } else {
            assertEquals(id, m.get("id").asText());
        }
        assertEquals(type, m.at("/error/type").asText(), m.toString());
        assertEquals(400, m.at("/error/status").asInt());
    }

    private boolean noSequenceHoldsKv() {
        var kv = holder.current().engine().kvStats();
        return kv.usedBlocks() == kv.evictableBlocks();
    }

    private static boolean ended(List<JsonNode> msgs) {
        return !msgs.isEmpty() && TERMINAL.contains(msgs.get(msgs.size() - 1).get("type").asText());
    }

    private JsonNode next() throws InterruptedException {
        JsonNode m = inbox.poll(2, TimeUnit.MINUTES);
        if (m == null) {
            throw new AssertionError("no message within two minutes");
        }
        return m;
    }

    private void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > giveUp) {
                throw new AssertionError("never happened: " + what + " (kv " + holder.current().engine().kvStats() + ")");
            }
            Thread.sleep(50);
        }
    }
}

package dev.ponder.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test client of {@code /ws/reason}: sends asks and cancels, keeps every message by ask id, and checks the
 * exactly-once invariant per id ({@link Terminals}).
 */
public final class SocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<JsonNode>> byId = new ConcurrentHashMap<>();
    private final List<JsonNode> all = Collections.synchronizedList(new ArrayList<>());
    private volatile WebSocketClientConnection ws;
    private volatile JsonNode hello;

    private SocketClient() {
    }

    public static SocketClient connect(URI base) {
        return connect(base, Map.of());
    }

    public static SocketClient connect(URI base, Map<String, String> headers) {
        SocketClient client = new SocketClient();
        // NON_BLOCKING: messages arrive on the connection's event loop, one at a time, in order
        var connector = BasicWebSocketConnector.create().baseUri(base).path("/ws/reason")
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, m) -> client.received(m));
        headers.forEach(connector::addHeader);
        client.ws = connector.connectAndAwait();
        return client;
    }

    public void send(String json) {
        ws.sendTextAndAwait(json);
    }

    public void sendBytes(byte[] bytes) {
        ws.sendBinaryAndAwait(bytes);
    }

    /** {@code {"type": "ask", "id": id, <fields>}}. */
    public void ask(String id, String fields) {
        send("{\"type\": \"ask\", \"id\": \"" + id + "\"" + (fields.isEmpty() ? "" : ", " + fields) + "}");
    }

    public void cancel(String id) {
        send("{\"type\": \"cancel\", \"id\": \"" + id + "\"}");
    }

    public boolean isOpen() {
        return ws.isOpen();
    }

    /** The messages received so far for {@code id} ("" for messages without an id). */
    public List<JsonNode> messages(String id) {
        List<JsonNode> l = byId.get(id);
        return l == null ? List.of() : List.copyOf(l);
    }

    /** The ids messages arrived for ("" for messages without one). */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** How many messages arrived in all, the hello not counted. */
    public int received() {
        return all.size() - (hello == null ? 0 : 1);
    }

    /** The terminal message of {@code id}, once it arrives; fails after {@code within}. */
    public JsonNode awaitTerminal(String id, Duration within) {
        Eventually.holds(() -> messages(id).stream().anyMatch(Terminals::isTerminal),
                within, "a terminal message for ask '" + id + "'");
        return messages(id).stream().filter(Terminals::isTerminal).findFirst().orElseThrow();
    }

    /** The first message for {@code id} of one of {@code types}, once it arrives. */
    public JsonNode awaitType(String id, Duration within, String... types) {
        java.util.Set<String> wanted = java.util.Set.of(types);
        Eventually.holds(() -> messages(id).stream().anyMatch(m -> wanted.contains(m.path("type").asText())),
                within, "a message " + wanted + " for '" + id + "'");
        return messages(id).stream().filter(m -> wanted.contains(m.path("type").asText())).findFirst().orElseThrow();
    }

    /** The {@code hello} the server sent first, once it arrived. */
    public JsonNode hello(Duration within) {
        Eventually.holds(() -> hello != null, within, "the hello message");
        return hello;
    }

    /** Every message in arrival order, the hello first. */
    public List<JsonNode> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** The next message without an id (bad messages), once it arrives. */
    public JsonNode awaitAnonymous(int count, Duration within) {
        Eventually.holds(() -> messages("").size() >= count, within, count + " messages with id null");
        return messages("").get(count - 1);
    }

    /** Exactly one terminal message for {@code id}, last; returns its type. Call once no more messages can come. */
    public String exactlyOnce(String id) {
        return Terminals.exactlyOne(messages(id), "ask '" + id + "'");
    }

    private void received(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
        all.add(m);
        if (m.path("type").asText().equals("hello")) {
            hello = m;   // not an ask's message, nor an anonymous error
            return;
        }
        String id = m.path("id").isTextual() ? m.get("id").asText() : "";
        byId.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(m);
    }

    @Override
    public void close() {
        if (ws.isOpen()) {
            ws.closeAndAwait();
        }
    }
}

package dev.ponder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.service.AskGate;
import dev.ponder.service.Json;
import dev.ponder.service.ProblemDetail;
import dev.ponder.service.ProblemException;
import dev.ponder.service.Prepared;
import dev.ponder.service.Reasoner;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /ws/reason}: asks and cancels in, tree events out, several asks at once per connection, every
 * message tagged with its ask's id (protocol in docs/websocket.md). A bad message gets an {@code error}
 * and the connection stays open; closing the connection cancels its searches.
 */
@WebSocket(path = "/ws/reason")
public class ReasonSocket {

    static final int MAX_ID_LENGTH = 200;

    @Inject
    Reasoner reasoner;

    @Inject
    dev.ponder.service.PonderConfig config;

    @Inject
    AskGate gate;

    /** What the endpoint keeps per connection: its ordered outbox, its running asks by id, its API key (or null). */
    private record Peer(Outbox outbox, Map<String, RunningAsk> asks, String key) {
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    @OnOpen
    void open(WebSocketConnection connection) {
        peers.put(connection.id(), new Peer(new Outbox(connection), new ConcurrentHashMap<>(),
                HandshakeKey.of(connection.handshakeRequest())));
    }

    @OnTextMessage
    void text(WebSocketConnection connection, String message) {
        handle(connection, message);
    }

    /** JSON sent in a binary frame is accepted too, if it is valid UTF-8. */
    @OnBinaryMessage
    void binary(WebSocketConnection connection, Buffer message) {
        Peer peer = peers.get(connection.id());
        if (peer == null) {
            return;
        }
        String text;
        try {
            text = Json.utf8(message.getBytes());
        } catch (ProblemException e) {
            RunningAsk.sendError(peer.outbox(), null, e.problem());
            return;
        }
        handle(connection, text);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        Peer peer = peers.remove(connection.id());
        if (peer != null) {
            peer.asks().values().forEach(RunningAsk::abandon);
        }
    }

    private void handle(WebSocketConnection connection, String text) {
        Peer peer = peers.get(connection.id());
        if (peer == null) {
            return;  // closed meanwhile
        }
        String id = null;
        try {
            JsonNode tree = Json.tree(text);
            id = tree.path("id").isTextual() ? tree.get("id").asText() : null;
            AskMessage m = Json.bind(tree, AskMessage.class);
            switch (m.type() == null ? "" : m.type()) {
                case "ask" -> ask(peer, m);
                case "cancel" -> cancel(peer, m);
                default -> throw new ProblemException(ProblemDetail.badRequest("unknown-message", "Unknown message type",
                        "type must be ask or cancel, is " + (m.type() == null ? "missing" : "'" + m.type() + "'")));
            }
        } catch (ProblemException e) {
            RunningAsk.sendError(peer.outbox(), id, e.problem());
        }
    }

    private void ask(Peer peer, AskMessage m) {
        if (m.id() == null || m.id().isBlank() || m.id().length() > MAX_ID_LENGTH) {
            throw new ProblemException(ProblemDetail.invalidRequest("an ask needs an id: a non-empty string of at most "
                    + MAX_ID_LENGTH + " characters"));
        }
        Map<String, RunningAsk> asks = peer.asks();
        int limit = config.limits().maxAsksPerConnection();
        if (asks.size() >= limit) {
            throw new ProblemException(ProblemDetail.overloaded("this connection already has " + asks.size()
                    + " asks running; at most " + limit + " at once (ponder.limits.max-asks-per-connection)"));
        }
        Prepared prepared = reasoner.prepare(m.toAsk());
        RunningAsk ask = new RunningAsk(m.id(), peer.outbox(), () -> asks.remove(m.id()));
        if (asks.putIfAbsent(m.id(), ask) != null) {
            throw new ProblemException(ProblemDetail.badRequest("duplicate-id", "Duplicate ask id",
                    "an ask with id '" + m.id() + "' is still running on this connection"));
        }
        AskGate.Lease lease;
        try {
            lease = gate.enter(peer.key());
        } catch (ProblemException e) {
            asks.remove(m.id(), ask);
            throw e;
        }
        ask.started(gate.guard(lease, reasoner.events(prepared)).subscribe().with(
                ask::event,
                failure -> ask.failed(ProblemException.of(failure))));
    }

    private void cancel(Peer peer, AskMessage m) {
        RunningAsk ask = m.id() == null ? null : peer.asks().get(m.id());
        if (ask != null) {
            ask.cancel();
        }
        // cancelling an ask that already ended (or never existed) is not an error: its terminal message stands
    }
}

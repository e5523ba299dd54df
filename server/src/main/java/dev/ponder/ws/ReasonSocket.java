package dev.ponder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.admission.AskGate;
import dev.ponder.backend.Backends;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.reason.Prepared;
import dev.ponder.reason.Reasoner;
import dev.ponder.search.Strategies;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /ws/reason}: asks and cancels in, tree events out, several asks at once per connection, every
 * message tagged with its ask's id (protocol in docs/websocket.md). A bad message gets an {@code error}
 * and the connection stays open; closing the connection cancels its searches.
 */
@WebSocket(path = "/ws/reason")
public class ReasonSocket {

    static final int MAX_ID_LENGTH = 200;
    /** The subprotocol ({@code Sec-WebSocket-Protocol}) and version this endpoint speaks. */
    public static final String PROTOCOL = "ponder.v1";
    public static final int VERSION = 1;

    @Inject
    Backends backends;

    @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size",
            defaultValue = "1048576")
    long maxMessageBytes;

    @Inject
    Reasoner reasoner;

    @Inject
    dev.ponder.config.PonderConfig config;

    @Inject
    AskGate gate;

    /** What the endpoint keeps per connection: its ordered outbox, its running asks by id, its API key (or null). */
    private record Peer(Outbox outbox, Map<String, RunningAsk> asks, String key) {
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    @OnOpen
    void open(WebSocketConnection connection) {
        Peer peer = new Peer(new Outbox(connection), new ConcurrentHashMap<>(), HandshakeKey.of(connection.handshakeRequest()));
        peers.put(connection.id(), peer);
        RunningAsk.send(peer.outbox(), null, Json.MAPPER.valueToTree(hello()));
    }

    /** The first message on every connection: the protocol version and the limits an ask must keep. */
    Hello hello() {
        var s = config.search();
        var l = config.limits();
        return new Hello("hello", PROTOCOL, VERSION, backends.current().status().model(), Strategies.names(),
                new Hello.Limits(l.maxAsksPerConnection(), MAX_ID_LENGTH, s.maxBudget(), s.defaultBudget(), s.maxTokens(),
                        s.defaultMaxTokens(), maxMessageBytes, l.maxQueueWait().map(Duration::toMillis).orElse(null),
                        s.maxRequestDeadline().toMillis()));
    }

    /**
     * @param protocol the subprotocol name this server speaks ({@value #PROTOCOL}; clients may ask for it in
     *                 {@code Sec-WebSocket-Protocol})
     * @param version  the protocol's version number
     * @param model    the served model (null while it loads)
     */
    public record Hello(String type, String protocol, int version, String model, List<String> strategies,
                        Limits limits) {
        /** What an ask may ask for; {@code maxQueueWaitMs} null: no limit. */
        public record Limits(int maxAsksPerConnection, int maxIdLength, int maxBudget, int defaultBudget, int maxTokens,
                             int defaultMaxTokens, long maxMessageBytes, Long maxQueueWaitMs, long maxDeadlineMs) {
        }
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
            RunningAsk.sendError(peer.outbox(), null, e.problem(), false);
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
        boolean asking = false;
        try {
            JsonNode tree = Json.tree(text);
            id = tree.path("id").isTextual() ? tree.get("id").asText() : null;
            asking = "ask".equals(tree.path("type").asText()) && id != null && !peer.asks().containsKey(id);
            AskMessage m;
            try {
                m = Json.bindStrict(tree, AskMessage.class);
            } catch (ProblemException e) {
                throw asking ? e : new Refusal(e.problem());
            }
            switch (m.type() == null ? "" : m.type()) {
                case "ask" -> ask(peer, m);
                case "cancel" -> cancel(peer, m);
                default -> throw new Refusal(ProblemDetail.badRequest("unknown-message", "Unknown message type",
                        "type must be ask or cancel, is " + (m.type() == null ? "missing" : "'" + m.type() + "'")));
            }
        } catch (Refusal r) {
            RunningAsk.sendError(peer.outbox(), id, r.problem(), false);
        } catch (ProblemException e) {
            // a refused ask ends there (terminal); a message that is no ask touches no ask
            RunningAsk.sendError(peer.outbox(), id, e.problem(), asking);
        }
    }

    /** A refusal that leaves the ask of the same id (if one runs) alone: its error is not terminal. */
    private static final class Refusal extends ProblemException {
        Refusal(ProblemDetail problem) {
            super(problem);
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
            throw new Refusal(ProblemDetail.badRequest("duplicate-id", "Duplicate ask id",
                    "an ask with id '" + m.id() + "' is still running on this connection; this message was refused,"
                            + " the running ask goes on").withParam("id"));
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

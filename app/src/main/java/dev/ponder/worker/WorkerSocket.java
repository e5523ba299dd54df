package dev.ponder.worker;

import dev.ponder.cluster.Frame;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemException;
import dev.ponder.local.LocalBackend;
import dev.ponder.ws.Outbox;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /worker/v1/session}: a control plane's search on this worker's model, one connection per search
 * (frames in {@link Frame}). A frame that breaks the protocol gets a {@link Frame.Failed} and the
 * connection stays open; closing the connection frees the session. Only with {@code ponder.worker.enabled}
 * (see {@link WorkerCheck}).
 */
@WebSocket(path = "/worker/v1/session", endpointId = Frame.ENDPOINT_ID)
public class WorkerSocket {

    @Inject
    LocalBackend backend;

    private record Peer(Outbox outbox, WorkerSession session) {
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();

    @OnOpen
    void open(WebSocketConnection connection) {
        Outbox outbox = new Outbox(connection);
        peers.put(connection.id(), new Peer(outbox, new WorkerSession(backend, f -> outbox.send(Json.write(f)))));
        opened.incrementAndGet();
    }

    @OnTextMessage
    void text(WebSocketConnection connection, String message) {
        Peer peer = peers.get(connection.id());
        if (peer == null) {
            return;  // closed meanwhile
        }
        Frame frame;
        try {
            frame = Json.bind(Json.tree(message), Frame.class);
            peer.session().handle(frame);
        } catch (ProblemException e) {
            peer.outbox().send(Json.write(new Frame.Failed(null, e.problem())));
        }
    }

    @OnClose
    void close(WebSocketConnection connection) {
        Peer peer = peers.remove(connection.id());
        if (peer != null) {
            peer.session().close();
        }
    }

    /** Sessions opened on this worker since it started. */
    long opened() {
        return opened.get();
    }

    /** Sessions open on this worker now. */
    int sessions() {
        return (int) peers.values().stream().filter(p -> p.session().open()).count();
    }
}

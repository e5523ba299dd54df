package dev.ponder.ws;

import io.quarkus.websockets.next.WebSocketConnection;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;

/**
 * The messages of one connection, sent strictly in the order they were queued: the next send starts when
 * the previous one completed. Events reach it from the engine's threads and the endpoint's; sending each
 * from its own thread would let the socket reorder them.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private final WebSocketConnection connection;
    private final Deque<String> pending = new ArrayDeque<>();
    private boolean sending;

    public Outbox(WebSocketConnection connection) {
        this.connection = connection;
    }

    public void send(String message) {
        synchronized (this) {
            if (sending) {
                pending.addLast(message);
                return;
            }
            sending = true;
        }
        write(message);
    }

    private void write(String message) {
        connection.sendText(message).subscribe().with(ok -> next(), failure -> {
            LOG.debugf("a message could not be sent (the connection closed?): %s", failure.toString());
            next();
        });
    }

    private void next() {
        String message;
        synchronized (this) {
            message = pending.pollFirst();
            if (message == null) {
                sending = false;
                return;
            }
        }
        write(message);
    }
}

package dev.ponder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemDetail;
import dev.ponder.reason.ReasonEvent;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One ask on one connection: forwards its events tagged with its id and guarantees exactly one terminal
 * message ({@code done}, {@code cancelled} or {@code error}), after which nothing more is sent for it.
 */
final class RunningAsk {

    private final String id;
    private final Outbox outbox;
    private final Runnable onEnd;
    private Cancellable subscription;
    private boolean ended;

    RunningAsk(String id, Outbox outbox, Runnable onEnd) {
        this.id = id;
        this.outbox = outbox;
        this.onEnd = onEnd;
    }

    /** Keeps the subscription, or cancels it at once if the ask was cancelled while it started. */
    synchronized void started(Cancellable s) {
        if (ended) {
            s.cancel();
        } else {
            subscription = s;
        }
    }

    synchronized void event(ReasonEvent e) {
        if (ended) {
            return;
        }
        if (e instanceof ReasonEvent.Done) {
            end();
        }
        outbox.send(message(id, Json.MAPPER.valueToTree(e)));
    }

    synchronized void failed(ProblemDetail p) {
        if (!ended) {
            end();
            sendError(outbox, id, p, true);
        }
    }

    /** The client asked to stop: the search is cancelled and {@code cancelled} sent. */
    synchronized void cancel() {
        if (!ended) {
            end();
            if (subscription != null) {
                subscription.cancel();
            }
            ObjectNode n = Json.MAPPER.createObjectNode().put("type", "cancelled");
            outbox.send(message(id, n));
        }
    }

    /** The connection closed: the search is cancelled, nobody is left to tell. */
    synchronized void abandon() {
        if (!ended) {
            end();
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    private void end() {
        ended = true;
        onEnd.run();
    }

    /**
     * An {@code error} message: the problem under {@code error}, its short code, and whether it ends the ask {@code id}
     * ({@code terminal}: false for a message that was refused without touching any ask, such as a duplicate id).
     */
    static void sendError(Outbox outbox, String id, ProblemDetail p, boolean terminal) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("type", "error").put("code", p.code()).put("terminal", terminal);
        n.set("error", Json.MAPPER.valueToTree(p));
        outbox.send(message(id, n));
    }

    /** Any other message, tagged with {@code id} (null: none). */
    static void send(Outbox outbox, String id, JsonNode body) {
        outbox.send(message(id, body));
    }

    /** {@code type} first, then the ask's {@code id}, then the rest. */
    private static String message(String id, JsonNode body) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("type", body.get("type"));
        n.put("id", id);
        body.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("type")) {
                n.set(f.getKey(), f.getValue());
            }
        });
        return n.toString();
    }
}

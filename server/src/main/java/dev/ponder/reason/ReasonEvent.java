package dev.ponder.reason;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What a running ask reports, in the order it happens; serialised with a {@code type} field, the same over
 * server-sent events and WebSocket (see docs/websocket.md). Exactly one {@link Done} ends a successful ask.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReasonEvent.Queued.class, name = "queued"),
        @JsonSubTypes.Type(value = ReasonEvent.Node.class, name = "node"),
        @JsonSubTypes.Type(value = ReasonEvent.Score.class, name = "score"),
        @JsonSubTypes.Type(value = ReasonEvent.Prune.class, name = "prune"),
        @JsonSubTypes.Type(value = ReasonEvent.Best.class, name = "best"),
        @JsonSubTypes.Type(value = ReasonEvent.Token.class, name = "token"),
        @JsonSubTypes.Type(value = ReasonEvent.Done.class, name = "done")})
public sealed interface ReasonEvent {

    /** The event's {@code type} on the wire (its name in {@link JsonSubTypes} above). */
    default String type() {
        for (JsonSubTypes.Type t : ReasonEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            if (t.value() == getClass()) {
                return t.name();
            }
        }
        throw new IllegalStateException("no wire name for " + getClass());
    }

    /**
     * The ask waits for a slot: it is the {@code position}-th in the queue (1: next). Sent once, first, only by asks
     * that have to wait; at most {@code ponder.limits.max-queue-wait} later the ask starts or ends with 429.
     */
    record Queued(int position) implements ReasonEvent {
    }

    /**
     * A tree node: {@code text} (one reasoning step) appended to the chain of {@code parent}. The root
     * ({@code node = "root"}) has no parent and no text.
     */
    record Node(String node, String parent, int depth, String text, int tokens, Double logProb, boolean terminal,
                String answer) implements ReasonEvent {
    }

    /**
     * A node's score (self-check probability, beam score, log-likelihood or vote share) and {@code check}, the
     * model's self-check P(yes) on the chain ending at the node when the search asked for one (null otherwise).
     */
    record Score(String node, Double score, Double check) implements ReasonEvent {
    }

    /** A node dropped by the search; it will not grow. */
    record Prune(String node) implements ReasonEvent {
    }

    /** The best chain so far: its node path, text and score. */
    record Best(List<String> path, String text, Double score) implements ReasonEvent {
    }

    /**
     * The best chain's text as it grows: {@code text} extends what was streamed so far, or, with
     * {@code reset}, replaces it (the search switched to another branch).
     */
    record Token(String text, boolean reset) implements ReasonEvent {
    }

    /** The search ended with this result. */
    record Done(ReasonResult result) implements ReasonEvent {
    }
}

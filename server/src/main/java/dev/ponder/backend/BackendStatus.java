package dev.ponder.backend;

import java.util.Map;

/**
 * What a {@link ModelBackend} can do now.
 *
 * @param model        the served model's id, or null until known
 * @param createdEpoch when the model was loaded (seconds), as {@code /v1/models} reports it
 * @param detail       why it is not ready (or null)
 * @param data         more facts for the readiness check (architecture, context, workers)
 */
public record BackendStatus(State state, String model, long createdEpoch, String detail, Map<String, Object> data) {

    public enum State { LOADING, READY, FAILED }

    public BackendStatus {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    public boolean ready() {
        return state == State.READY;
    }
}

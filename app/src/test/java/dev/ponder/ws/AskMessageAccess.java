package dev.ponder.ws;

import dev.ponder.http.Json;

/** Reads a WebSocket message as the endpoint does (UTF-8, JSON object, bound to {@link AskMessage}). */
public final class AskMessageAccess {

    private AskMessageAccess() {
    }

    public static void read(byte[] message) {
        Json.bindStrict(Json.tree(Json.utf8(message)), AskMessage.class).toAsk();
    }
}

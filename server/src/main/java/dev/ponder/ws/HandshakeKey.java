package dev.ponder.ws;

import dev.ponder.admission.ApiKeys;
import io.quarkus.websockets.next.HandshakeRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The API key a WebSocket connection presented on its upgrade (null: none); per-key limits count its asks by it. */
final class HandshakeKey {

    private HandshakeKey() {
    }

    static String of(HandshakeRequest r) {
        return ApiKeys.presented(r.header("Authorization"), r.header("X-Api-Key"), queryKey(r.query()));
    }

    private static String queryKey(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("api_key=")) {
                try {
                    return URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring(8);   // a stray '%': compared as sent
                }
            }
        }
        return null;
    }
}

package dev.ponder.admission;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The API keys of {@code ponder.api-keys}: when any are configured, every request to the API must present
 * one. Keys are compared in constant time.
 */
@ApplicationScoped
public class ApiKeys {

    private final List<byte[]> keys;

    @Inject
    public ApiKeys(PonderConfig config) {
        this(config.apiKeys().orElse(List.of()));
    }

    public ApiKeys(List<String> keys) {
        this.keys = keys.stream().map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether requests must present a key. */
    public boolean required() {
        return !keys.isEmpty();
    }

    /** Whether a request presenting {@code key} (null: none) may pass. */
    public boolean admits(String key) {
        if (!required()) {
            return true;
        }
        if (key == null) {
            return false;
        }
        byte[] presented = key.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] k : keys) {
            ok |= MessageDigest.isEqual(k, presented);   // no early exit: time does not tell which key matched
        }
        return ok;
    }

    /** The key a request presents: {@code Authorization: Bearer}, else {@code X-Api-Key}, else the query parameter. */
    public static String presented(String authorization, String apiKeyHeader, String queryParameter) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (apiKeyHeader != null) {
            return apiKeyHeader.trim();
        }
        return queryParameter;
    }

    public static ProblemDetail unauthorized() {
        return new ProblemDetail("/problems/unauthorized", "Unauthorized", 401,
                "this server needs an API key: send Authorization: Bearer <key>");
    }
}

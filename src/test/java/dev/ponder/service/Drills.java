package dev.ponder.service;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The test profile of the reliability drills: faults injected into prompts holding {@code [[fail]]} (their
 * second model call fails) or {@code [[slow]]} (each call 150 ms late), and room for many asks per connection.
 */
public class Drills implements QuarkusTestProfile {

    public static final String FAIL = "[[fail]]";
    public static final String SLOW = "[[slow]]";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ponder.faults.enabled", "true",
                "quarkus.http.access-log.enabled", "true",
                "ponder.faults.fail-at-call", "2",
                "ponder.faults.call-delay", "PT0.15S",
                "ponder.limits.max-asks-per-connection", "8",
                "ponder.limits.max-queued", "16",
                "ponder.search.max-request-deadline", "PT1M",
                "ponder.model.warm-up", "false");
    }
}

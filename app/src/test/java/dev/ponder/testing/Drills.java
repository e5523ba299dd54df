package dev.ponder.testing;

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
        return Map.ofEntries(Map.entry("ponder.faults.enabled", "true"),
                Map.entry("quarkus.http.access-log.enabled", "true"),
                Map.entry("ponder.faults.fail-at-call", "2"),
                Map.entry("ponder.faults.call-delay", "PT0.15S"),
                Map.entry("ponder.limits.max-asks-per-connection", "8"),
                Map.entry("ponder.limits.max-queued", "16"),
                Map.entry("ponder.search.max-request-deadline", "PT1M"),
                Map.entry("ponder.model.warm-up", "false"),
                // slow searches are silent for longer than this between events: their streams carry keep-alive comments
                Map.entry("ponder.streams.keep-alive", "PT0.1S"));
    }
}

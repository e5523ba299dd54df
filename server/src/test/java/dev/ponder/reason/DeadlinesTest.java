package dev.ponder.reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    /** Search settings with only the two deadline keys answered. */
    static PonderConfig.Search search(Duration configured, Duration max) {
        return (PonderConfig.Search) Proxy.newProxyInstance(DeadlinesTest.class.getClassLoader(),
                new Class<?>[] {PonderConfig.Search.class}, (p, m, a) -> switch (m.getName()) {
                    case "deadline" -> Optional.ofNullable(configured);
                    case "maxRequestDeadline" -> max;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void aRequestMayOnlyShortenTheConfiguredDeadline() {
        var unset = search(null, Duration.ofMinutes(10));
        assertNull(Deadlines.effective(null, unset));
        assertEquals(Duration.ofMillis(500), Deadlines.effective(500L, unset));
        var twoMinutes = search(Duration.ofMinutes(2), Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(2), Deadlines.effective(null, twoMinutes));
        assertEquals(Duration.ofMinutes(2), Deadlines.effective(300_000L, twoMinutes));
        assertEquals(Duration.ofSeconds(1), Deadlines.effective(1000L, twoMinutes));
    }

    @Test
    void outOfRangeIsA400() {
        var s = search(null, Duration.ofSeconds(60));
        for (long bad : new long[] {0, -1, 60_001, Long.MAX_VALUE}) {
            ProblemException e = assertThrows(ProblemException.class, () -> Deadlines.effective(bad, s));
            assertEquals("/problems/invalid-deadline", e.problem().type());
        }
        assertEquals(Duration.ofSeconds(60), Deadlines.effective(60_000L, s));
    }
}

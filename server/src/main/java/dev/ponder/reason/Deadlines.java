package dev.ponder.reason;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import java.time.Duration;

/**
 * A search's deadline: the request's {@code deadlineMs}, which may only shorten the configured
 * {@code ponder.search.deadline}, within {@code [1, ponder.search.max-request-deadline]}. When it passes,
 * the search ends with its best chain so far, marked {@code cutShort}.
 */
public final class Deadlines {

    private Deadlines() {
    }

    /** The deadline to run with (null: none); a 400 {@code invalid-deadline} problem when out of range. */
    public static Duration effective(Long requestedMs, PonderConfig.Search search) {
        Duration configured = search.deadline().orElse(null);
        if (requestedMs == null) {
            return configured;
        }
        long max = search.maxRequestDeadline().toMillis();
        if (requestedMs < 1 || requestedMs > max) {
            throw new ProblemException(ProblemDetail.badRequest("invalid-deadline", "Deadline out of range",
                    "deadlineMs must be between 1 and " + max + ", is " + requestedMs));
        }
        Duration requested = Duration.ofMillis(requestedMs);
        return configured == null || requested.compareTo(configured) < 0 ? requested : configured;
    }
}

package dev.ponder.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A full queue answers 429 with Retry-After; other problems carry no Retry-After. */
class OverloadedProblemTest {

    @Test
    void overloadedIs429WithRetryAfter() {
        var r = ProblemMappers.respond(ProblemDetail.overloaded("too many searches"), null);
        assertEquals(429, r.getStatus());
        assertEquals("1", r.getHeaderString("Retry-After"));
        assertEquals(ProblemDetail.MEDIA_TYPE, r.getMediaType().toString());
        assertEquals("overloaded", ProblemDetail.overloaded("x").code());
    }

    @Test
    void badRequestHasNoRetryAfter() {
        var r = ProblemMappers.respond(ProblemDetail.invalidRequest("empty prompt"), null);
        assertEquals(400, r.getStatus());
        assertNull(r.getHeaderString("Retry-After"));
    }
}

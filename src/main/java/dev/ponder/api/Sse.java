package dev.ponder.api;

import dev.ponder.service.Json;
import dev.ponder.service.ProblemDetail;
import dev.ponder.service.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * Responses written byte for byte: server-sent events framed as clients parse them, and single JSON bodies,
 * both as a stream of buffers so one endpoint can answer either way depending on the request.
 */
public final class Sse {

    public static final String MEDIA_TYPE = "text/event-stream";

    private Sse() {
    }

    /** One event: {@code event: name} then one {@code data:} line (serialised JSON never holds a raw newline). */
    public static Buffer event(String name, String json) {
        return Buffer.buffer("event: " + name + "\ndata: " + json + "\n\n");
    }

    /** One unnamed event, as OpenAI streams are framed. */
    public static Buffer data(String payload) {
        return Buffer.buffer("data: " + payload + "\n\n");
    }

    /** Does this Accept header ask for an event stream? */
    public static boolean accepted(String accept) {
        return accept != null && accept.toLowerCase().contains(MEDIA_TYPE);
    }

    /** A 200 event stream of {@code frames}, unbuffered by proxies. */
    public static Multi<Buffer> stream(Multi<Buffer> frames) {
        return RestMulti.fromMultiData(frames)
                .header("Content-Type", MEDIA_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .build();
    }

    /**
     * One JSON body once {@code value} arrives; a failure becomes a problem response with its status
     * ({@code decorate} may add members, e.g. OpenAI's {@code error}).
     */
    public static <T> Multi<Buffer> json(Uni<T> value, java.util.function.Function<ProblemDetail, Object> decorate) {
        Uni<Reply> reply = value.map(v -> new Reply(200, "application/json", Json.write(v)))
                .onFailure().recoverWithItem(f -> {
                    ProblemDetail p = ProblemException.of(f);
                    return new Reply(p.status(), ProblemDetail.MEDIA_TYPE, Json.write(decorate.apply(p)));
                });
        return RestMulti.fromUniResponse(reply, r -> Multi.createFrom().item(Buffer.buffer(r.body())),
                r -> Map.of("Content-Type", List.of(r.contentType())), Reply::status);
    }

    private record Reply(int status, String contentType, String body) {
    }
}

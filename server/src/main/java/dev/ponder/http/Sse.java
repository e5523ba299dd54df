package dev.ponder.http;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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

    /** The comment line sent while a stream is otherwise silent; event-stream parsers skip it. */
    public static final String KEEP_ALIVE = ": keep-alive\n\n";

    /** A 200 event stream of {@code frames}, unbuffered by proxies. */
    public static Multi<Buffer> stream(Multi<Buffer> frames) {
        return stream(frames, Duration.ZERO);
    }

    /**
     * A 200 event stream of {@code frames} that sends {@link #KEEP_ALIVE} whenever {@code keepAlive} passed without
     * a frame (zero: never), so proxies that cut idle connections (often after 60 s) keep a slow search's stream.
     */
    public static Multi<Buffer> stream(Multi<Buffer> frames, Duration keepAlive) {
        return stream(frames, keepAlive, Map.of());
    }

    /** As {@link #stream(Multi, Duration)}, with more response headers. */
    public static Multi<Buffer> stream(Multi<Buffer> frames, Duration keepAlive, Map<String, String> headers) {
        var r = RestMulti.fromMultiData(keepAlive(frames, keepAlive))
                .header("Content-Type", MEDIA_TYPE)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        headers.forEach(r::header);
        return r.build();
    }

    /** {@code frames} with {@link #KEEP_ALIVE} inserted after every {@code every} of silence (zero: unchanged). */
    public static Multi<Buffer> keepAlive(Multi<Buffer> frames, Duration every) {
        if (every == null || every.isZero() || every.isNegative()) {
            return frames;
        }
        return Multi.createFrom().emitter(emitter -> {
            ScheduledExecutorService timers = Infrastructure.getDefaultWorkerPool();
            AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            Object lock = new Object();
            boolean[] ended = {false};
            Runnable[] arm = new Runnable[1];
            arm[0] = () -> {
                ScheduledFuture<?> next = timers.schedule(() -> {
                    synchronized (lock) {
                        if (ended[0]) {
                            return;
                        }
                        emitter.emit(Buffer.buffer(KEEP_ALIVE));
                    }
                    arm[0].run();
                }, every.toMillis(), TimeUnit.MILLISECONDS);
                ScheduledFuture<?> previous = timer.getAndSet(next);
                if (previous != null) {
                    previous.cancel(false);
                }
            };
            Runnable stop = () -> {
                ScheduledFuture<?> t = timer.getAndSet(null);
                if (t != null) {
                    t.cancel(false);
                }
            };
            emitter.onTermination(() -> {
                synchronized (lock) {
                    ended[0] = true;
                }
                stop.run();
                Cancellable c = upstream.get();
                if (c != null) {
                    c.cancel();
                }
            });
            arm[0].run();
            upstream.set(frames.subscribe().with(item -> {
                synchronized (lock) {
                    if (ended[0]) {
                        return;
                    }
                    emitter.emit(item);
                }
                arm[0].run();
            }, failure -> {
                synchronized (lock) {
                    ended[0] = true;
                }
                stop.run();
                emitter.fail(failure);
            }, () -> {
                synchronized (lock) {
                    ended[0] = true;
                }
                stop.run();
                emitter.complete();
            }));
            if (emitter.isCancelled()) {
                upstream.get().cancel();
            }
        });
    }

    /**
     * One JSON body once {@code value} arrives; a failure becomes a problem response with its status
     * ({@code decorate} may add members, e.g. OpenAI's {@code error}).
     */
    public static <T> Multi<Buffer> json(Uni<T> value, Function<ProblemDetail, Object> decorate) {
        return json(value, decorate, Map.of());
    }

    /** As {@link #json(Uni, java.util.function.Function)}, with more response headers (on success and failure). */
    public static <T> Multi<Buffer> json(Uni<T> value, Function<ProblemDetail, Object> decorate,
                                         Map<String, String> headers) {
        Uni<Reply> reply = value.map(v -> new Reply(200, "application/json", Json.write(v)))
                .onFailure().recoverWithItem(f -> {
                    ProblemDetail p = ProblemException.of(f);
                    return new Reply(p.status(), ProblemDetail.MEDIA_TYPE, Json.write(decorate.apply(p)));
                });
        return RestMulti.fromUniResponse(reply, r -> Multi.createFrom().item(Buffer.buffer(r.body())),
                r -> {
                    Map<String, List<String>> h = new HashMap<>();
                    h.put("Content-Type", List.of(r.contentType()));
                    headers.forEach((k, v) -> h.put(k, List.of(v)));
                    if (r.status() == 429 || r.status() == 503) {
                        h.put("Retry-After", List.of("1"));
                    }
                    return h;
                }, Reply::status);
    }

    private record Reply(int status, String contentType, String body) {
    }
}

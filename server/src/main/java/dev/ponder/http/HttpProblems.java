package dev.ponder.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem JSON for what the HTTP server answers before or instead of an endpoint: a body over
 * {@code quarkus.http.limits.max-body-size} (413), a path nothing serves (404), and any failure the server's own
 * handlers end a request with (the status it chose, or 500). Refusals by the endpoints themselves are mapped in
 * {@link ProblemMappers}.
 */
@ApplicationScoped
public class HttpProblems {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    private BodyHandler chunkedBodies;

    void routes(@Observes Router router) {
        // a chunked body declares no length: it is read here, up to the limit, so that going over is a problem JSON
        // too (the REST layer would end it with an empty 413); the endpoints then take the body already read
        chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue());
        // before every other route: a declared body that cannot fit is refused at once, with problem JSON
        router.route().order(Integer.MIN_VALUE).handler(this::bodyLimit);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        // after every other route (static files, the API, the WebSocket): nothing here
        router.route().last().handler(ctx -> send(ctx, new ProblemDetail("/problems/not-found", "Not found", 404,
                "nothing is served at " + ctx.request().method() + " " + ctx.request().path())));
    }

    private void bodyLimit(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long max = maxBodySize.asLongValue();
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > max) {
                    send(ctx, tooLarge(max));
                    lingeringClose(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                // a malformed Content-Length is the HTTP codec's to refuse
            }
        } else if ("chunked".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING))) {
            chunkedBodies.handle(ctx);   // fails the request with 413 (answered by failure()) when it goes over
            return;
        }
        ctx.next();
    }

    /**
     * Closes the connection of a request refused before its body was read, once the client has sent that body or
     * after {@link #LINGER_MS}. Closing at once, with the body still arriving, makes the kernel reset the
     * connection, and a client still writing then loses the 413 already sent (it sees the connection drop
     * instead); reading and dropping the rest first is the lingering close of HTTP servers.
     */
    private static void lingeringClose(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long timer = ctx.vertx().setTimer(LINGER_MS, t -> request.connection().close());
        request.handler(dropped -> { });
        request.endHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        });
        request.resume();
    }

    /** How long a refused body is read and dropped before the connection is closed anyway. */
    static final long LINGER_MS = 2_000;

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        ProblemDetail p = switch (status) {
            case 413 -> tooLarge(maxBodySize.asLongValue());
            case 404 -> new ProblemDetail("/problems/not-found", "Not found", 404, "nothing is served at " + ctx.request().path());
            case 500 -> ProblemDetail.internal(ctx.failure() == null ? "the request failed"
                    : ctx.failure().getClass().getSimpleName());
            default -> new ProblemDetail("about:blank", reason(status), status, reason(status));
        };
        send(ctx, p);
    }

    static ProblemDetail tooLarge(long max) {
        return new ProblemDetail("/problems/body-too-large", "Request body too large", 413,
                "the body is larger than " + max + " bytes (quarkus.http.limits.max-body-size)");
    }

    private static String reason(int status) {
        var s = Response.Status.fromStatusCode(status);
        return s != null ? s.getReasonPhrase() : "HTTP " + status;
    }

    private static void send(RoutingContext ctx, ProblemDetail p) {
        Object body = ProblemMappers.OpenAiErrors.isOpenAiPath(ctx.request().path()) ? ProblemMappers.OpenAiErrors.decorate(p) : p;
        ctx.response().setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, ProblemDetail.MEDIA_TYPE)
                .end(Json.write(body));
    }
}

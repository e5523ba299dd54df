package dev.ponder.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.service.Json;
import dev.ponder.service.ProblemDetail;
import dev.ponder.service.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every refused HTTP request is answered with RFC 9457 problem JSON ({@code application/problem+json}).
 * Under {@code /v1/chat} and {@code /v1/models} the problem also carries OpenAI's {@code error} object,
 * which OpenAI client libraries read.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return respond(e.problem(), request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException || status < 400) {
            return e.getResponse();
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "HTTP " + status;
        return respond(new ProblemDetail("about:blank", title, status, e.getMessage()), request);
    }

    static Response respond(ProblemDetail p, HttpServerRequest request) {
        Object body = request != null && OpenAiErrors.isOpenAiPath(request.path()) ? OpenAiErrors.decorate(p) : p;
        Response.ResponseBuilder r = Response.status(p.status()).type(ProblemDetail.MEDIA_TYPE).entity(Json.write(body));
        if (p.status() == 429 || p.status() == 503) {
            r.header("Retry-After", "1");   // seconds: queued searches finish quickly, a loading model soon
        }
        return r.build();
    }

    /** OpenAI's error envelope added to a problem. */
    public static final class OpenAiErrors {

        private OpenAiErrors() {
        }

        public static boolean isOpenAiPath(String path) {
            return path != null && (path.startsWith("/v1/chat") || path.startsWith("/v1/models"));
        }

        /** The problem with {@code "error": {"message", "type", "code"}} added. */
        public static Object decorate(ProblemDetail p) {
            ObjectNode n = Json.MAPPER.valueToTree(p);
            ObjectNode error = n.putObject("error");
            error.put("message", p.detail());
            error.put("type", p.status() >= 500 ? "server_error" : "invalid_request_error");
            error.put("code", p.type() == null ? null : p.type().substring(p.type().lastIndexOf('/') + 1));
            error.putNull("param");
            return n;
        }
    }
}

package dev.ponder.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
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
        if (status < 400) {
            return e.getResponse();
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "HTTP " + status;
        String type = switch (status) {
            case 404 -> "/problems/not-found";
            case 405 -> "/problems/method-not-allowed";
            case 406 -> "/problems/not-acceptable";
            case 415 -> "/problems/unsupported-media-type";
            default -> "about:blank";
        };
        String detail = switch (status) {
            case 404 -> "nothing is served at " + (request == null ? "this path" : request.path());
            case 405 -> (request == null ? "this method" : request.method() + " " + request.path()) + " is not allowed"
                    + allowed(e);
            case 415 -> "send the body as application/json";
            default -> e.getMessage();
        };
        Response r = respond(new ProblemDetail(type, title, status, detail), request);
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null ? r : Response.fromResponse(r).header("Allow", allow).build();
    }

    private static String allowed(WebApplicationException e) {
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null ? "" : "; allowed: " + allow;
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

        /** The OpenAI names of the fields the service's own checks name. */
        private static final Map<String, String> OPENAI_NAMES = Map.of("searchBudget", "search_budget",
                "maxTokens", "max_tokens", "topP", "top_p");

        private OpenAiErrors() {
        }

        public static boolean isOpenAiPath(String path) {
            return path != null && (path.startsWith("/v1/chat") || path.startsWith("/v1/models")
                    || path.startsWith("/v1/completions"));
        }

        /** The problem with {@code "error": {"message", "type", "code"}} added. */
        public static Object decorate(ProblemDetail p) {
            ObjectNode n = Json.MAPPER.valueToTree(p);
            ObjectNode error = n.putObject("error");
            error.put("message", p.detail());
            error.put("type", p.status() >= 500 ? "server_error" : "invalid_request_error");
            error.put("code", p.type() == null ? null : p.type().substring(p.type().lastIndexOf('/') + 1));
            if (p.param() == null) {
                error.putNull("param");
            } else {
                String param = OPENAI_NAMES.getOrDefault(p.param(), p.param());
                error.put("param", param);
                n.put("param", param);
            }
            return n;
        }
    }
}

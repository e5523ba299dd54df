package dev.ponder.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem: what every endpoint answers for a request it cannot serve, as
 * {@code application/problem+json} over HTTP and inside an {@code error} message over WebSocket.
 *
 * @param type   a URI naming the kind of problem (relative to the service: {@code /problems/...})
 * @param title  a short summary of the kind, the same for every occurrence
 * @param status the HTTP status code
 * @param detail what went wrong with this request, for a person to read
 * @param param  the request field (or parameter) at fault, when one is: {@code searchBudget}, {@code messages[0].role},
 *               {@code tools}; OpenAI errors carry it as {@code error.param}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(String type, String title, int status, String detail, String param) {

    public ProblemDetail(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }

    /** The same problem, naming the field at fault. */
    public ProblemDetail withParam(String field) {
        return new ProblemDetail(type, title, status, detail, field);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDetail badRequest(String kind, String title, String detail) {
        return new ProblemDetail("/problems/" + kind, title, 400, detail);
    }

    public static ProblemDetail malformedJson(String detail) {
        return badRequest("malformed-json", "Malformed JSON", detail);
    }

    public static ProblemDetail invalidRequest(String detail) {
        return badRequest("invalid-request", "Invalid request", detail);
    }

    public static ProblemDetail unavailable(String detail) {
        return new ProblemDetail("/problems/unavailable", "Service unavailable", 503, detail);
    }

    /** Too much work queued: 429, and HTTP responses carry {@code Retry-After}; WebSocket errors the code {@code overloaded}. */
    public static ProblemDetail overloaded(String detail) {
        return new ProblemDetail("/problems/overloaded", "Too many requests", 429, detail);
    }

    /** The last segment of {@code type}, e.g. {@code overloaded}: a short code for clients to switch on. */
    public String code() {
        return type == null ? null : type.substring(type.lastIndexOf('/') + 1);
    }

    public static ProblemDetail internal(String detail) {
        return new ProblemDetail("/problems/internal", "Internal error", 500, detail);
    }
}

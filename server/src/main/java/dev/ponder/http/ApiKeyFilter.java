package dev.ponder.http;

import dev.ponder.admission.ApiKeys;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses API requests without a configured key (401 problem JSON); the page, health and metrics stay open. */
public class ApiKeyFilter {

    @Inject
    ApiKeys keys;

    @ServerRequestFilter
    public Response check(HttpServerRequest request) {
        if (!keys.required() || !request.path().startsWith("/v1/")) {
            return null;
        }
        if (keys.admits(presented(request))) {
            return null;
        }
        Response refused = ProblemMappers.respond(ApiKeys.unauthorized(), request);
        return Response.fromResponse(refused).header("WWW-Authenticate", "Bearer").build();
    }

    /** The API key a request presents (null: none); the per-key limits count asks by it. */
    public static String presented(HttpServerRequest request) {
        return ApiKeys.presented(request.getHeader("Authorization"), request.getHeader("X-Api-Key"), request.getParam("api_key"));
    }
}

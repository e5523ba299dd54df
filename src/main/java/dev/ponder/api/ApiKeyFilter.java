package dev.ponder.api;

import dev.ponder.service.ApiKeys;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses API requests without a configured key (401 problem JSON); the page, health and metrics stay open. */
public class ApiKeyFilter {

    @Inject
    ApiKeys keys;

    @ServerRequestFilter
    public Response check(ContainerRequestContext context, HttpServerRequest request) {
        if (!keys.required() || !request.path().startsWith("/v1/")) {
            return null;
        }
        String key = ApiKeys.presented(context.getHeaderString("Authorization"), context.getHeaderString("X-Api-Key"),
                request.getParam("api_key"));
        if (keys.admits(key)) {
            return null;
        }
        Response refused = ProblemMappers.respond(ApiKeys.unauthorized(), request);
        return Response.fromResponse(refused).header("WWW-Authenticate", "Bearer").build();
    }
}

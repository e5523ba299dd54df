package dev.ponder.rest;

import dev.ponder.backend.Backends;
import dev.ponder.config.PonderConfig;
import dev.ponder.search.Strategies;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /v1/reason/options}: what a client may ask for (the web page builds its controls from it). */
@Path("/v1/reason/options")
public class OptionsResource {

    @Inject
    PonderConfig config;

    @Inject
    Backends backends;

    /**
     * @param model    the served model's id, or null while it loads
     * @param state    loading, ready or failed
     */
    public record Options(String model, String state, List<String> strategies, String defaultStrategy,
                          int maxBudget, int defaultBudget, int maxTokens, int defaultMaxTokens) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Strategies, budget and token limits a request may use")
    public Options options() {
        var s = config.search();
        var status = backends.current().status();
        return new Options(status.model(), status.state().name().toLowerCase(),
                Strategies.names(), s.defaultStrategy(), s.maxBudget(), s.defaultBudget(), s.maxTokens(),
                s.defaultMaxTokens());
    }
}

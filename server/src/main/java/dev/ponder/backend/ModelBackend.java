package dev.ponder.backend;

import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.reason.Message;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Where the model runs, as the {@link dev.ponder.reason.Reasoner} sees it: in this JVM ({@code dev.ponder.local}) or on model
 * workers reached over the network ({@code dev.ponder.cluster}). The service layer above it (REST, OpenAI,
 * WebSocket, search) is the same either way and needs no model runtime on its class path.
 */
public interface ModelBackend {

    /** Whether asks can be served now, and by which model. */
    BackendStatus status();

    /**
     * Opens a session for one search: renders the conversation with the model's chat template, encodes it
     * and checks that it leaves room for reasoning. Fails with a {@link ProblemException}: 400 when the
     * prompt does not fit, 503 when no model can take it.
     *
     * @param maxTokens the most tokens the caller wants a chain to have; the session may allow fewer
     * @param topP      nucleus sampling of every proposal, in (0, 1]; 1 keeps the whole distribution
     */
    Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP);

    /** A session sampling from the whole distribution. */
    default Uni<ModelSession> open(List<Message> messages, int maxTokens) {
        return open(messages, maxTokens, 1.0);
    }

    /** The 503 problem of a backend that is not ready. */
    static ProblemException unavailable(BackendStatus s) {
        return new ProblemException(ProblemDetail.unavailable(s.state() == BackendStatus.State.LOADING
                ? "the model is still loading; retry shortly (see /q/health/ready)"
                : "the model is not available: " + s.detail()));
    }

    /** A backend bean that decides from configuration whether it is the one this JVM serves with. */
    interface Selectable extends ModelBackend {
        boolean selected();
    }
}

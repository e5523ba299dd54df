package dev.ponder.reason;

import dev.ponder.backend.ModelSession;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * The one model session of one search, closed exactly once whatever ends the search. A cancel can arrive while
 * the backend is still opening the session; a reactive chain would then drop the session it delivers later and
 * never close it (its KV blocks held by nobody). Here the opening is never cancelled: a session that arrives
 * after the search ended is closed at once.
 */
final class SessionHold {

    private ModelSession session;
    private boolean ended;

    /** Opens the session through {@code opening}; fails as it fails. */
    Uni<ModelSession> open(Supplier<Uni<ModelSession>> opening) {
        return Uni.createFrom().emitter(em -> opening.get().subscribe().with(s -> {
            if (offer(s)) {
                em.complete(s);
            } else {
                s.close();   // the search ended while the session opened
            }
        }, em::fail));
    }

    /** Ends the search: closes its session, now or when it arrives. Later calls do nothing. */
    void end() {
        ModelSession s;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            s = session;
        }
        if (s != null) {
            s.close();
        }
    }

    private synchronized boolean offer(ModelSession s) {
        if (ended) {
            return false;
        }
        session = s;
        return true;
    }
}

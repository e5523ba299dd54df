package dev.ponder.reason;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ponder.backend.ModelSession;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionHoldTest {

    private final AtomicInteger closes = new AtomicInteger();

    /** A session that only counts its closes. */
    private ModelSession session() {
        return (ModelSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ModelSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closes.incrementAndGet();
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aSessionThatArrivesAfterACancelIsClosedAtOnce() {
        SessionHold hold = new SessionHold();
        CompletableFuture<ModelSession> opening = new CompletableFuture<>();
        var sub = hold.open(() -> Uni.createFrom().completionStage(opening)).subscribe().withSubscriber(UniAssertSubscriber.create());
        sub.cancel();
        hold.end();                           // the search's stream ended while the backend was opening
        assertEquals(0, closes.get());
        opening.complete(session());          // the backend finishes opening after all
        assertEquals(1, closes.get(), "the late session is closed, not dropped");
        sub.assertNotTerminated();
    }

    @Test
    void aDeliveredSessionIsClosedOnceHoweverOftenTheSearchEnds() {
        SessionHold hold = new SessionHold();
        var sub = hold.open(() -> Uni.createFrom().item(session())).subscribe().withSubscriber(UniAssertSubscriber.create());
        sub.assertCompleted();
        assertEquals(0, closes.get());
        hold.end();
        hold.end();
        assertEquals(1, closes.get());
    }

    @Test
    void aFailedOpeningFailsTheSearchAndClosesNothing() {
        SessionHold hold = new SessionHold();
        var sub = hold.open(() -> Uni.createFrom().failure(new IllegalStateException("prompt too long")))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        sub.assertFailedWith(IllegalStateException.class, "prompt too long");
        hold.end();
        assertEquals(0, closes.get());
    }
}

package dev.ponder.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AskGateTest {

    @Test
    void aKeyMayHoldAtMostItsLimitAndGetsItBackOnRelease() {
        AskGate gate = new AskGate(2, true);
        AskGate.Lease a = gate.enter("k");
        gate.enter("k");
        ProblemException e = assertThrows(ProblemException.class, () -> gate.enter("k"));
        assertEquals(429, e.problem().status());
        assertEquals("overloaded", e.problem().code());
        gate.enter("other");
        a.release();
        a.release();   // a second release gives nothing back twice
        gate.enter("k");
        assertThrows(ProblemException.class, () -> gate.enter("k"));
        assertEquals(3, gate.running());
    }

    @Test
    void withoutConfiguredKeysNothingIsCountedPerKey() {
        AskGate gate = new AskGate(1, false);
        gate.enter(null);
        gate.enter("whatever");
        gate.enter("whatever");
        assertEquals(3, gate.running());
    }

    @Test
    void aGuardedStreamReleasesOnCompletionFailureAndCancellation() {
        AskGate gate = new AskGate(1, true);
        gate.guard(gate.enter("k"), Multi.createFrom().items(1, 2)).subscribe().withSubscriber(AssertSubscriber.create(10))
                .assertCompleted().assertItems(1, 2);
        gate.guard(gate.enter("k"), Multi.createFrom().failure(new IllegalStateException("x")))
                .subscribe().withSubscriber(AssertSubscriber.create(10)).assertFailedWith(IllegalStateException.class);
        AssertSubscriber<Object> s = gate.guard(gate.enter("k"), Multi.createFrom().nothing()).subscribe()
                .withSubscriber(AssertSubscriber.create(10));
        assertEquals(1, gate.running());
        s.cancel();
        assertEquals(0, gate.running());
        gate.enter("k");
    }

    @Test
    void drainingRefusesNewAsksAndKillingEndsRunningOnesWithOneError() throws InterruptedException {
        AskGate gate = new AskGate(4, false);
        AtomicReference<MultiEmitter<? super Integer>> inner = new AtomicReference<>();
        AssertSubscriber<Integer> s = gate.guard(gate.enter(null), Multi.createFrom().<Integer>emitter(inner::set))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        inner.get().emit(1);
        gate.close();
        assertEquals(503, assertThrows(ProblemException.class, () -> gate.enter(null)).problem().status());
        assertTrue(!gate.awaitIdle(Duration.ofMillis(50)));
        assertEquals(1, gate.killAll(ProblemDetail.unavailable("shutting down")));
        s.assertFailedWith(ProblemException.class, "shutting down").assertItems(1);
        inner.get().emit(2);
        inner.get().complete();   // the inner stream was cancelled: nothing more reaches the subscriber
        s.assertItems(1).assertFailedWith(ProblemException.class);
        assertTrue(gate.awaitIdle(Duration.ofSeconds(1)));
    }
}

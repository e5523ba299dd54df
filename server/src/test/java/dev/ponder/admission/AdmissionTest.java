package dev.ponder.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.http.ProblemException;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void slotsThenQueueThenRefusal() {
        Admission a = new Admission(2, 1);
        var p1 = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted().getItem();
        var p2 = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted().getItem();
        assertEquals(2, a.running());
        var waiting = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        waiting.assertNotTerminated();
        assertEquals(1, a.queued());
        assertTrue(a.full());
        var refused = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        ProblemException e = assertInstanceOf(ProblemException.class, refused.assertFailed().getFailure());
        assertEquals(429, e.problem().status());
        assertEquals("overloaded", e.problem().code());
        // a slot freed goes to the waiter, not back to the pool
        p1.release();
        waiting.awaitItem();
        assertEquals(2, a.running());
        assertEquals(0, a.queued());
        p2.release();
        waiting.getItem().release();
        assertEquals(0, a.running());
        assertFalse(a.full());
    }

    @Test
    void releasingTwiceFreesOneSlot() {
        Admission a = new Admission(1, 0);
        var p = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create()).getItem();
        p.release();
        p.release();
        assertEquals(0, a.running());
        a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
        assertEquals(1, a.running());
    }

    @Test
    void aCancelledWaiterLeavesTheQueue() {
        Admission a = new Admission(1, 2);
        var p = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create()).getItem();
        var first = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        var second = a.acquire().subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(2, a.queued());
        first.cancel();
        assertEquals(1, a.queued());
        p.release();
        second.awaitItem();
        second.getItem().release();
        assertEquals(0, a.running());
        assertEquals(0, a.queued());
    }
}

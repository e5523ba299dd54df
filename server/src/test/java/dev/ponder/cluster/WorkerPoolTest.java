package dev.ponder.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing: the least-loaded worker, idle ones taking turns. */
class WorkerPoolTest {

    @Test
    void idleWorkersTakeTurns() {
        Worker a = worker("http://10.0.0.1:8080", 0, 0.0);
        Worker b = worker("http://10.0.0.2:8080", 0, 0.0);
        List<String> picks = new ArrayList<>();
        for (long turn = 0; turn < 4; turn++) {
            picks.add(WorkerPool.leastLoaded(List.of(b, a), turn).base().getHost());
        }
        assertEquals(List.of("10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.2"), picks,
                "searches that arrive one after another alternate between idle workers");
    }

    @Test
    void theLeastLoadedWinsWhateverTheTurn() {
        Worker busy = worker("http://10.0.0.1:8080", 3, 0.2);
        Worker idle = worker("http://10.0.0.2:8080", 0, 0.0);
        Worker fuller = worker("http://10.0.0.3:8080", 0, 0.5);
        for (long turn = 0; turn < 5; turn++) {
            assertEquals(idle, WorkerPool.leastLoaded(List.of(busy, idle, fuller), turn));
        }
        idle.opened();
        idle.opened();
        assertEquals(2.0, idle.score(), 1e-9, "its own new searches count before the next poll");
        assertEquals(fuller, WorkerPool.leastLoaded(List.of(busy, idle, fuller), 0));
    }

    @Test
    void ourEndedSearchesFreeTheWorkerBeforeTheNextPoll() {
        Worker a = new Worker(URI.create("http://10.0.0.1:8080"));
        Worker b = worker("http://10.0.0.2:8080", 0, 0.0);
        for (int i = 0; i < 4; i++) {
            a.opened();
        }
        a.polled(new WorkerLoad("m", "ready", 0, 4, 4, 0, 0.0));   // the poll sees our four searches
        assertEquals(4.0, a.score(), 1e-9);
        for (int i = 0; i < 4; i++) {
            a.closed();
        }
        assertEquals(0.0, a.score(), 1e-9, "the poll's count was ours, and they ended");
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), List.of(WorkerPool.leastLoaded(List.of(a, b), 0).base().getHost(),
                WorkerPool.leastLoaded(List.of(a, b), 1).base().getHost()), "both take new searches again");
        // another control plane's searches, seen by the poll, still count until the next one
        a.polled(new WorkerLoad("m", "ready", 0, 2, 6, 0, 0.0));
        assertEquals(2.0, a.score(), 1e-9);
    }

    private static Worker worker(String base, int sessions, double kvUsed) {
        Worker w = new Worker(URI.create(base));
        w.polled(new WorkerLoad("m", "ready", 0, sessions, sessions, 0, kvUsed));
        return w;
    }
}

package dev.ponder.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import dev.ponder.search.StepModel;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    /** A model that answers at once. */
    private static final StepModel MODEL = new StepModel() {
        @Override
        public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
            return Uni.createFrom().item(List.of());
        }

        @Override
        public Uni<List<Double>> selfCheck(List<Chain> chains) {
            return Uni.createFrom().item(List.of(0.5));
        }

        @Override
        public Uni<Chain> complete(Chain chain, Sampling sampling) {
            return Uni.createFrom().item(chain);
        }
    };
    private static final Chain CHAIN = Chain.of(new Problem("p", "q"));

    @Test
    void offOrWithoutATriggerTheModelIsUnchanged() {
        assertSame(MODEL, new FaultInjector(false, "F", 1, "S", Duration.ZERO).wrap("F S", MODEL));
        assertSame(MODEL, new FaultInjector(true, "F", 1, "S", Duration.ZERO).wrap("plain", MODEL));
    }

    @Test
    void theNthCallOfAFailingSearchFailsAndEveryOneAfterIt() {
        StepModel m = new FaultInjector(true, "F", 2, "S", Duration.ZERO).wrap("x F", MODEL);
        assertEquals(List.of(0.5), m.selfCheck(List.of(CHAIN)).await().indefinitely());
        assertThrows(FaultInjector.InjectedFault.class, () -> m.propose(CHAIN, 1, null).await().indefinitely());
        assertThrows(FaultInjector.InjectedFault.class, () -> m.complete(CHAIN, null).await().indefinitely());
    }

    @Test
    void aSlowSearchWaitsBeforeEachCall() {
        StepModel m = new FaultInjector(true, "F", 1, "S", Duration.ofMillis(200)).wrap("S", MODEL);
        long t0 = System.nanoTime();
        m.selfCheck(List.of(CHAIN)).await().indefinitely();
        m.selfCheck(List.of(CHAIN)).await().indefinitely();
        assertTrue(System.nanoTime() - t0 >= 400_000_000L);
    }
}

package dev.ponder.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.config.PonderConfig;
import dev.ponder.reason.Message;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FaultyBackendTest {

    private static final Chain CHAIN = Chain.of(new Problem("p", "q"));

    /** A session over {@code rendered} that answers at once. */
    private static final class Session implements ModelSession {
        final String rendered;
        final AtomicBoolean closed = new AtomicBoolean();

        Session(String rendered) {
            this.rendered = rendered;
        }

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

        @Override
        public String rendered() {
            return rendered;
        }

        @Override
        public int promptTokens() {
            return 7;
        }

        @Override
        public int chainTokens() {
            return 11;
        }

        @Override
        public String stepDelimiter() {
            return "\n";
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** A backend whose sessions render the last message as their prompt. */
    private static final ModelBackend BACKEND = new ModelBackend() {
        @Override
        public BackendStatus status() {
            return new BackendStatus(BackendStatus.State.READY, "m", 0, "", Map.of());
        }

        @Override
        public Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP) {
            return Uni.createFrom().item(new Session(messages.get(messages.size() - 1).content()));
        }
    };

    private static ModelSession open(ModelBackend b, String prompt) {
        return b.open(List.of(new Message("user", prompt)), 16).await().indefinitely();
    }

    @Test
    void offTheBackendIsTheRealOneAndWithoutATriggerSoIsTheSession() {
        assertSame(BACKEND, FaultyBackend.around(BACKEND, faults(false)));
        FaultyBackend faulty = new FaultyBackend(BACKEND, "F", 1, "S", Duration.ZERO);
        assertEquals(BACKEND.status(), faulty.status());
        ModelSession plain = open(faulty, "plain");
        assertTrue(plain instanceof Session, "an untriggered session is the backend's own");
    }

    @Test
    void theNthCallOfAFailingSessionFailsAndEveryOneAfterIt() {
        ModelSession m = open(new FaultyBackend(BACKEND, "F", 2, "S", Duration.ZERO), "x F");
        assertEquals(List.of(0.5), m.selfCheck(List.of(CHAIN)).await().indefinitely());
        assertThrows(FaultyBackend.InjectedFault.class, () -> m.propose(CHAIN, 1, null).await().indefinitely());
        assertThrows(FaultyBackend.InjectedFault.class, () -> m.complete(CHAIN, null).await().indefinitely());
        // the rest of the session is the backend's
        assertEquals("x F", m.rendered());
        assertEquals(7, m.promptTokens());
        assertEquals(11, m.chainTokens());
        assertEquals("\n", m.stepDelimiter());
    }

    @Test
    void closingAFaultySessionClosesTheRealOne() {
        Session[] real = new Session[1];
        ModelBackend recording = new ModelBackend() {
            @Override
            public BackendStatus status() {
                return BACKEND.status();
            }

            @Override
            public Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP) {
                real[0] = new Session(messages.get(0).content());
                return Uni.createFrom().item(real[0]);
            }
        };
        ModelSession m = open(new FaultyBackend(recording, "F", 1, "S", Duration.ZERO), "F");
        m.close();
        assertTrue(real[0].closed.get());
    }

    @Test
    void aSlowSessionWaitsBeforeEachCall() {
        ModelSession m = open(new FaultyBackend(BACKEND, "F", 1, "S", Duration.ofMillis(200)), "S");
        long t0 = System.nanoTime();
        m.selfCheck(List.of(CHAIN)).await().indefinitely();
        m.selfCheck(List.of(CHAIN)).await().indefinitely();
        assertTrue(System.nanoTime() - t0 >= 400_000_000L);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FaultyBackend(BACKEND, "", 1, "S", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new FaultyBackend(BACKEND, "F", 0, "S", Duration.ZERO));
    }

    private static PonderConfig.Faults faults(boolean enabled) {
        return new PonderConfig.Faults() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String failTrigger() {
                return "F";
            }

            @Override
            public int failAtCall() {
                return 1;
            }

            @Override
            public String slowTrigger() {
                return "S";
            }

            @Override
            public Duration callDelay() {
                return Duration.ZERO;
            }
        };
    }
}

package dev.ponder.ws;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.admission.AskGate;
import dev.ponder.reason.Reasoner;
import dev.ponder.testing.Drills;
import dev.ponder.testing.Eventually;
import dev.ponder.testing.LogCapture;
import dev.ponder.testing.Metrics;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cancel storm: many connections send asks and cancel them at once or a few milliseconds later, some
 * connections vanish with asks running. Every ask ends exactly once; afterwards no slot, lease or KV block
 * is held (as {@code /q/metrics} shows) and the service still answers.
 */
@QuarkusTest
@TestProfile(Drills.class)
class CancelStormTest {

    private static final int CONNECTIONS = 6;
    private static final int ROUNDS = 3;
    private static final int ASKS_PER_ROUND = 6;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Reasoner reasoner;

    @Inject
    AskGate gate;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void everyAskEndsOnceAndEverythingIsGivenBack() throws Exception {
        Eventually.holds(Metrics::kvAtBaseline, Duration.ofSeconds(30), "KV at baseline before the storm");
        Random random = new Random(7);
        Map<String, Integer> endings = new TreeMap<>();
        try (LogCapture log = LogCapture.start()) {
            List<SocketClient> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                clients.add(SocketClient.connect(base));
            }
            List<String> ids = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int c = 0; c < CONNECTIONS; c++) {
                    SocketClient client = clients.get(c);
                    if (!client.isOpen()) {
                        continue;   // vanished
                    }
                    for (int a = 0; a < ASKS_PER_ROUND; a++) {
                        String id = "c" + c + "r" + round + "a" + a;
                        String prompt = (a % 2 == 0 ? Drills.SLOW + " " : "") + "Think " + id;
                        client.ask(id, "\"prompt\": \"" + prompt + "\", \"strategy\": \"" + (a % 3 == 0 ? "beam" : "mcts")
                                + "\", \"searchBudget\": 4, \"maxTokens\": 64, \"temperature\": 1.0");
                        if (a % 3 != 2) {
                            Thread.sleep(random.nextInt(3) * 10L);
                            client.cancel(id);
                        }
                        ids.add(id);
                    }
                }
                // in round 1 the last connection vanishes with its asks running
                if (round == 1) {
                    clients.get(CONNECTIONS - 1).close();
                }
            }
            for (String id : ids) {
                SocketClient client = clients.get(id.charAt(1) - '0');
                if (client.isOpen()) {
                    client.awaitTerminal(id, Duration.ofMinutes(2));
                }
            }
            Thread.sleep(300);
            for (String id : ids) {
                SocketClient client = clients.get(id.charAt(1) - '0');
                if (client.isOpen()) {
                    String end = client.exactlyOnce(id);
                    var last = client.messages(id).get(client.messages(id).size() - 1);
                    endings.merge(end.equals("error") ? "error:" + last.path("code").asText() : end, 1, Integer::sum);
                }
            }
            Eventually.holds(() -> gate.running() == 0, Duration.ofSeconds(60), "every lease given back");
            Eventually.holds(() -> reasoner.admission().running() == 0 && reasoner.admission().queued() == 0,
                    Duration.ofSeconds(60), "every slot given back");
            Eventually.holds(Metrics::kvAtBaseline, Duration.ofSeconds(60), "KV blocks back to the prefix cache only");
            assertEquals(0.0, Metrics.value("ponder_searches_active"), "ponder_searches_active");
            List<String> engineErrors = log.atOrAbove(Level.SEVERE).stream().filter(l -> l.startsWith("dev.ponder")).toList();
            assertTrue(engineErrors.isEmpty(), "the storm made the service log errors: " + engineErrors);
            for (SocketClient c : clients) {
                c.close();
            }
        }
        assertTrue(endings.getOrDefault("cancelled", 0) > 0, "some asks were cancelled: " + endings);
        endings.keySet().forEach(k -> assertTrue(k.equals("cancelled") || k.equals("done") || k.equals("error:overloaded"),
                "only cancelled, done or overloaded: " + endings));
        // the service still answers, on REST and on a fresh connection
        given().contentType("application/json").body("{\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4}")
                .post("/v1/reason").then().statusCode(200);
        try (SocketClient after = SocketClient.connect(base)) {
            after.ask("after", "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4");
            assertEquals("done", after.awaitTerminal("after", Duration.ofMinutes(1)).path("type").asText());
        }
        System.out.println("cancel storm endings: " + endings);
    }
}

package dev.ponder.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemException;
import dev.ponder.search.Gen;
import dev.ponder.testing.Payloads;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.SocketClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed messages ({@link dev.ponder.testing.Payloads}) on one WebSocket connection, as text frames when they
 * are valid UTF-8 and as binary frames otherwise: each one gets an {@code error} (never status 5xx) or, when it
 * happens to be a valid ask, runs and ends with exactly one terminal message; the connection stays open. A
 * message whose id (as the endpoint reads it) an earlier fuzzed message already used is not sent: two asks of one
 * id would each end once, so "exactly one terminal message per id" would not hold ({@code ReasonSocketTest}
 * covers duplicate ids).
 */
@QuarkusTest
class SocketFuzzTest {

    private static final long SEED = 7L;
    private static final int TRIES = 120;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void everyFuzzedMessageGetsAnErrorOrEndsOnceAndTheConnectionStaysOpen() throws InterruptedException {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> asked = new ArrayList<>();
        Set<String> sentIds = new HashSet<>();
        int reused = 0;
        Random random = new Random(SEED);
        try (SocketClient ws = SocketClient.connect(base)) {
            Gen<byte[]> messages = Payloads.bodies();
            for (int i = 0; i < TRIES; i++) {
                byte[] m = messages.next(random);
                if (m.length > 1_000_000) {
                    continue;   // over the message limit the connection closes (SecurityTest)
                }
                String text = utf8OrNull(m);
                String id = idOrNull(text);
                if (id != null && !sentIds.add(id)) {
                    reused++;
                    continue;
                }
                if (text != null && i % 4 != 3) {
                    ws.send(text);
                } else {
                    ws.sendBytes(m);
                }
                // a probe after each message: its error marks that the message was handled
                String probe = "probe-" + i;
                ws.send("{\"type\": \"dance\", \"id\": \"" + probe + "\"}");
                ws.awaitType(probe, Duration.ofMinutes(1), "error");
                assertTrue(ws.isOpen(), "try " + i + ": the connection closed after " + Payloads.preview(m));
            }
            // every id that got any message ends exactly once (asks run to done; refusals are one error)
            for (String id : idsSeen(ws)) {
                boolean onlyRefusals = ws.messages(id).stream().allMatch(m -> m.path("terminal").isBoolean() && !m.path("terminal").asBoolean());
                if (!id.isEmpty() && !id.startsWith("probe-") && !onlyRefusals) {
                    ws.awaitTerminal(id, Duration.ofMinutes(1));
                    asked.add(id);
                }
            }
            Thread.sleep(300);
            for (String id : asked) {
                String end = ws.exactlyOnce(id);
                JsonNode last = ws.messages(id).get(ws.messages(id).size() - 1);
                if (end.equals("error")) {
                    assertTrue(last.at("/error/status").asInt() < 500, "id " + id + ": " + last);
                }
                outcomes.merge(end.equals("error") ? last.at("/error/type").asText() : end, 1, Integer::sum);
            }
            for (JsonNode e : ws.messages("")) {
                assertEquals("error", e.path("type").asText(), e.toString());
                assertTrue(e.at("/error/status").asInt() < 500, e.toString());
                outcomes.merge(e.at("/error/type").asText() + " (id null)", 1, Integer::sum);
            }
            ws.ask("after", "\"prompt\": \"1+1?\", \"searchBudget\": 1, \"maxTokens\": 4");
            assertEquals("done", ws.awaitTerminal("after", Duration.ofMinutes(1)).path("type").asText());
        }
        System.out.println("WebSocket fuzz outcomes (" + TRIES + " tries, seed " + SEED + ", " + reused
                + " not sent for a reused id): " + outcomes);
    }

    private static List<String> idsSeen(SocketClient ws) {
        return ws.ids();
    }

    /** The id the endpoint reads from a message (a textual "id" of a JSON object), or null. */
    private static String idOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode tree = Json.tree(text);
            return tree.path("id").isTextual() ? tree.get("id").asText() : null;
        } catch (ProblemException e) {
            return null;
        }
    }

    private static String utf8OrNull(byte[] m) {
        try {
            return Json.utf8(m);
        } catch (ProblemException e) {
            return null;
        }
    }
}

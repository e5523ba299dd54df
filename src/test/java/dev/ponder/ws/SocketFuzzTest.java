package dev.ponder.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.service.Json;
import dev.ponder.service.Payloads;
import dev.ponder.service.ProblemException;
import dev.ponder.service.ServiceReady;
import dev.ponder.service.SocketClient;
import dev.ponder.service.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed messages ({@link dev.ponder.service.Payloads}) on one WebSocket connection, as text frames when they
 * are valid UTF-8 and as binary frames otherwise: each one gets an {@code error} (never status 5xx) or, when it
 * happens to be a valid ask, runs and ends with exactly one terminal message; the connection stays open.
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
        Random random = new Random(SEED);
        try (SocketClient ws = SocketClient.connect(base)) {
            JqwikSession.start();
            try {
                RandomGenerator<byte[]> messages = Payloads.bodies().generator(100);
                for (int i = 0; i < TRIES; i++) {
                    byte[] m = messages.next(random).value();
                    if (m.length > 1_000_000) {
                        continue;   // over the message limit the connection closes (SecurityTest)
                    }
                    String text = utf8OrNull(m);
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
            } finally {
                JqwikSession.finish();
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
        System.out.println("WebSocket fuzz outcomes (" + TRIES + " tries, seed " + SEED + "): " + outcomes);
    }

    private static List<String> idsSeen(SocketClient ws) {
        return ws.ids();
    }

    private static String utf8OrNull(byte[] m) {
        try {
            return Json.utf8(m);
        } catch (ProblemException e) {
            return null;
        }
    }
}

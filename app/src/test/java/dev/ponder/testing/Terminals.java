package dev.ponder.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The exactly-once invariant, as tests check it: an accepted ask's messages (WebSocket, one id) or events
 * (server-sent events) end with exactly one terminal event, done, cancelled or error, and nothing follows it.
 */
public final class Terminals {

    public static final Set<String> TERMINAL = Set.of("done", "cancelled", "error");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Terminals() {
    }

    /**
     * Does this message end its ask? done, cancelled, or an error that does not say {@code "terminal": false} (a
     * WebSocket error for a refused message, such as a duplicate id, leaves the running ask of that id alone).
     */
    public static boolean isTerminal(JsonNode m) {
        return TERMINAL.contains(m.path("type").asText()) && m.path("terminal").asBoolean(true);
    }

    /** The one terminal message's type; fails unless there is exactly one terminal and it comes last. */
    public static String exactlyOne(List<JsonNode> messages, String what) {
        assertTrue(!messages.isEmpty(), what + ": no message at all");
        long terminals = messages.stream().filter(Terminals::isTerminal).count();
        assertEquals(1, terminals, what + ": terminal events " + types(messages));
        JsonNode last = messages.get(messages.size() - 1);
        assertTrue(isTerminal(last), what + ": something followed the terminal event " + types(messages));
        return last.path("type").asText();
    }

    /** One server-sent event: its name and its data as JSON. */
    public record Sse(String name, JsonNode data) {
    }

    /** The events of a {@code text/event-stream} body. */
    public static List<Sse> parseSse(String body) {
        List<Sse> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
            if (data.length() > 0) {
                try {
                    out.add(new Sse(name, JSON.readTree(data.toString())));
                } catch (Exception e) {
                    throw new AssertionError("an event's data is not JSON: " + data, e);
                }
            }
        }
        return out;
    }

    /** The terminal event of a {@code /v1/reason} event stream; fails unless exactly one ends it. */
    public static Sse exactlyOneSse(String body, String what) {
        List<Sse> events = parseSse(body);
        List<JsonNode> asMessages = new ArrayList<>();
        for (Sse e : events) {
            assertEquals(e.name(), e.data().path("type").asText(), what + ": event name and type differ");
            asMessages.add(e.data());
        }
        exactlyOne(asMessages, what);
        return events.get(events.size() - 1);
    }

    private static List<String> types(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("type").asText()).toList();
    }

    /** Waits long enough that anything sent after a terminal message would have arrived. */
    public static void settle() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

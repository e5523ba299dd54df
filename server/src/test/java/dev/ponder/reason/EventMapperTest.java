package dev.ponder.reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.http.Json;
import dev.ponder.search.SearchEvent;
import dev.ponder.search.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    @Test
    void tokensExtendTheStreamedTextOrResetIt() {
        EventMapper m = new EventMapper(2, 10, 100);
        ReasonEvent.Token first = m.grow("3 + 5 = 8\n");
        assertEquals(new ReasonEvent.Token("3 + 5 = 8\n", false), first);
        assertEquals(new ReasonEvent.Token("8 * 3 = 24\n", false), m.grow("3 + 5 = 8\n8 * 3 = 24\n"));
        assertNull(m.grow("3 + 5 = 8\n8 * 3 = 24\n"), "an unchanged best chain streams nothing");
        ReasonEvent.Token reset = m.grow("4 * 6 = 24\n");
        assertTrue(reset.reset(), "another branch replaces the text");
        assertEquals("4 * 6 = 24\n", reset.text());
    }

    @Test
    void eventsSerialiseWithTheirTypeAndWithoutInfinities() {
        EventMapper m = new EventMapper(1, 3, 100);
        Step step = Step.of("so \\boxed{24}", new int[] {5, 6}, Double.NEGATIVE_INFINITY, true);
        List<ReasonEvent> node = m.map(new SearchEvent.NodeProposed("n1", "root", step, 1));
        JsonNode json = Json.MAPPER.valueToTree(node.get(0));
        assertEquals("node", json.get("type").asText());
        assertEquals("node", node.get(0).type());
        assertEquals("24", json.get("answer").asText());
        assertTrue(json.get("logProb").isNull(), "-Infinity is not JSON");
        List<ReasonEvent> best = m.map(new SearchEvent.BestChanged(List.of("root", "n1"), "so \\boxed{24}", 0.9));
        assertEquals(List.of("best", "token"), best.stream().map(ReasonEvent::type).toList());
        JsonNode root = Json.MAPPER.valueToTree(m.map(new SearchEvent.NodeProposed("root", null, null, 0)).get(0));
        assertTrue(root.get("parent").isNull());
        assertFalse(root.get("terminal").asBoolean());
    }
}

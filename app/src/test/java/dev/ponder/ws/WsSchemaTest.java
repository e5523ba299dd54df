package dev.ponder.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The schema in docs/websocket.md says something: the documented examples pass, broken frames do not. */
class WsSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean valid(String frame) throws Exception {
        return WsSchema.errors(JSON.readTree(frame)).isEmpty();
    }

    @Test
    void examplesPassAndBrokenFramesFail() throws Exception {
        assertTrue(valid("{\"type\":\"queued\",\"id\":\"a\",\"position\":2}"));
        assertTrue(valid("{\"type\":\"token\",\"id\":\"a\",\"text\":\"2 + 3\",\"reset\":false}"));
        assertTrue(valid("{\"type\":\"error\",\"id\":\"a\",\"code\":\"duplicate-id\",\"terminal\":false,\"error\":"
                + "{\"type\":\"/problems/duplicate-id\",\"title\":\"Duplicate ask id\",\"status\":400,\"detail\":\"x\",\"param\":\"id\"}}"));
        assertFalse(valid("{\"type\":\"error\",\"id\":\"a\",\"code\":\"duplicate-id\",\"error\":"
                + "{\"type\":\"/problems/duplicate-id\",\"title\":\"t\",\"status\":400}}"), "terminal is required");
        assertFalse(valid("{\"type\":\"error\",\"id\":null,\"code\":\"malformed-json\",\"terminal\":true,\"error\":"
                + "{\"type\":\"/problems/malformed-json\",\"title\":\"t\",\"status\":400}}"), "an error without id ends no ask");
        assertFalse(valid("{\"type\":\"queued\",\"id\":\"a\",\"position\":0}"));
        assertFalse(valid("{\"type\":\"token\",\"id\":\"a\",\"text\":\"x\",\"reset\":false,\"extra\":1}"));
        assertFalse(valid("{\"type\":\"dance\",\"id\":\"a\"}"));
    }
}

package dev.ponder.ws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The machine-readable schema of {@code /ws/reason}'s server messages, read from docs/websocket.md (the one JSON
 * block under its "## Schema" heading), so the document and the frames cannot drift apart.
 */
public final class WsSchema {

    private static final JsonSchema SCHEMA = load();

    private WsSchema() {
    }

    /** Fails unless {@code frame} is a valid server message. */
    public static void assertValid(JsonNode frame) {
        Set<ValidationMessage> errors = SCHEMA.validate(frame);
        assertTrue(errors.isEmpty(), "frame " + frame + " breaks docs/websocket.md's schema: " + errors);
    }

    /** The schema's validation errors for {@code frame} (empty: valid). */
    public static Set<ValidationMessage> errors(JsonNode frame) {
        return SCHEMA.validate(frame);
    }

    static JsonNode schemaJson() {
        try {
            String md = Files.readString(Path.of("../docs/websocket.md"));
            int heading = md.indexOf("\n## Schema");
            if (heading < 0) {
                throw new IllegalStateException("docs/websocket.md has no '## Schema' section");
            }
            int start = md.indexOf("```json\n", heading) + "```json\n".length();
            int end = md.indexOf("\n```", start);
            return new ObjectMapper().readTree(md.substring(start, end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson());
    }
}

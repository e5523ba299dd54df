package dev.ponder.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Request bodies, read strictly: UTF-8 only, JSON only, no key twice in one object, numbers where numbers are
 * expected and strings where strings are (no "4" for 4, no 2.5 for an integer, no 5 for "5"). Unknown fields are
 * ignored by {@link #read}, as OpenAI clients expect, and refused by {@link #readStrict}. Every failure is a 400
 * problem that says where the body went wrong and names the field ({@link ProblemDetail#param()}).
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The body as text; a 400 {@code invalid-utf8} problem naming the first bad byte otherwise. */
    public static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (MalformedInputException e) {
            throw new ProblemException(ProblemDetail.badRequest("invalid-utf8", "Invalid UTF-8",
                    "the body is not valid UTF-8 (bad byte sequence at offset " + in.position() + ")"));
        } catch (CharacterCodingException e) {
            throw new ProblemException(ProblemDetail.badRequest("invalid-utf8", "Invalid UTF-8",
                    "the body is not valid UTF-8: " + e.getMessage()));
        }
    }

    /** A JSON object from a request body. */
    public static JsonNode tree(byte[] body) {
        return tree(utf8(body));
    }

    public static JsonNode tree(String text) {
        if (text.isBlank()) {
            throw new ProblemException(ProblemDetail.malformedJson("the request body is empty; send a JSON object"));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String duplicate = duplicateField(e);
            if (duplicate != null) {
                throw new ProblemException(ProblemDetail.badRequest("duplicate-field", "Duplicate field",
                        "field '" + duplicate + "' appears twice" + location(e) + "; give each field once").withParam(duplicate));
            }
            throw new ProblemException(ProblemDetail.malformedJson(e.getOriginalMessage() + location(e)));
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(ProblemDetail.malformedJson("the request body must be a JSON object"));
        }
        return node;
    }

    /** A JSON object bound to {@code type}; type mismatches are 400 {@code invalid-request} naming the field. */
    public static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (MismatchedInputException e) {
            StringBuilder path = new StringBuilder();
            for (var r : e.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
                } else {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            String field = path.toString();
            ProblemDetail p = ProblemDetail.invalidRequest((field.isEmpty() ? "" : "field '" + field + "': ")
                    + e.getOriginalMessage());
            throw new ProblemException(field.isEmpty() ? p : p.withParam(field));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
            throw new ProblemException(ProblemDetail.invalidRequest(message));
        }
    }

    /**
     * As {@link #bind}, but a top-level field that {@code type} does not have is a 400 {@code unknown-field} problem
     * naming it (a misspelt {@code searchbudget} must not silently fall back to the default).
     */
    public static <T> T bindStrict(JsonNode node, Class<T> type) {
        var known = MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type)).findProperties().stream()
                .map(p -> p.getName()).collect(Collectors.toCollection(TreeSet::new));
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ProblemException(ProblemDetail.badRequest("unknown-field", "Unknown field",
                        "unknown field '" + name + "'; the fields are " + String.join(", ", known)).withParam(name));
            }
        }
        return bind(node, type);
    }

    /** Parses and binds a request body, refusing unknown top-level fields ({@link #bindStrict}). */
    public static <T> T readStrict(byte[] body, Class<T> type) {
        return bindStrict(tree(body), type);
    }

    /** Parses and binds a request body. */
    public static <T> T read(byte[] body, Class<T> type) {
        return bind(tree(body), type);
    }

    /** Serialises a response value. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** The path of the key a strict parser found twice ({@code messages[0].role}), or null for another error. */
    private static String duplicateField(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null || !m.startsWith("Duplicate field '") || !(e.getProcessor() instanceof JsonParser parser)) {
            return null;
        }
        String name = m.substring("Duplicate field '".length(), m.indexOf('\'', "Duplicate field '".length()));
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = parser.getParsingContext().getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]"
                    : c.getCurrentName() + (path.length() > 0 && path.charAt(0) != '[' ? "." : ""));
        }
        return path.length() == 0 ? name : path + "." + name;
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}

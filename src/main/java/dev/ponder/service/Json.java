package dev.ponder.service;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Request bodies, read strictly: UTF-8 only, JSON only, numbers where numbers are expected (no "4" for 4,
 * no 2.5 for an integer); unknown fields are ignored, as OpenAI clients expect. Every failure is a 400
 * problem that says where the body went wrong.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
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
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ProblemException(ProblemDetail.invalidRequest(
                    (field.isEmpty() ? "" : "field '" + field + "': ") + e.getOriginalMessage()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
            throw new ProblemException(ProblemDetail.invalidRequest(message));
        }
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

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}

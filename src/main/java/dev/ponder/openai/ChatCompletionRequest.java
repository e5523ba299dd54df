package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.service.Ask;
import dev.ponder.service.Message;
import dev.ponder.service.ProblemDetail;
import dev.ponder.service.ProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/chat/completions}: the OpenAI fields ponder uses, plus {@code search_budget}
 * and {@code strategy} (clients send them as extra body fields). Every other field is ignored.
 */
public record ChatCompletionRequest(
        String model,
        List<InMessage> messages,
        Boolean stream,
        Double temperature,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Long seed,
        Integer n,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("search_budget") Integer searchBudget,
        String strategy) {

    /** A message as clients send it: content is a string or a list of parts ({@code {"type": "text", "text"}}). */
    public record InMessage(String role, JsonNode content) {
    }

    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    public boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** The ask this request stands for; a 400 problem for what ponder cannot serve (n > 1, images). */
    public Ask toAsk() {
        if (n != null && n != 1) {
            throw new ProblemException(ProblemDetail.invalidRequest("n must be 1: the search returns its best chain"
                    + " (its alternatives are in the ponder member of the response)"));
        }
        List<Message> converted = null;
        if (messages != null) {
            converted = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                InMessage m = messages.get(i);
                String role = m == null ? null : "developer".equals(m.role()) ? "system" : m.role();
                converted.add(new Message(role, m == null ? null : text(m.content(), i)));
            }
        }
        Integer tokens = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        return new Ask(null, converted, strategy, searchBudget, tokens, temperature, seed);
    }

    private static String text(JsonNode content, int index) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new ProblemException(ProblemDetail.invalidRequest("messages[" + index
                            + "].content: only text parts are supported, got " + part.path("type")));
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw new ProblemException(ProblemDetail.invalidRequest("messages[" + index
                + "].content must be a string or a list of text parts"));
    }
}

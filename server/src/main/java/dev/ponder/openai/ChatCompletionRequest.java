package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.reason.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/chat/completions}: the OpenAI fields ponder uses, plus {@code search_budget}
 * and {@code strategy} (clients send them as extra body fields). Parameters ponder cannot honour
 * ({@code tools}, {@code response_format} other than text, {@code logprobs}) are refused with a 400 naming them;
 * every other unknown field is ignored, as OpenAI clients expect.
 */
public record ChatCompletionRequest(
        String model,
        List<InMessage> messages,
        Boolean stream,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Long seed,
        Integer n,
        JsonNode stop,
        @JsonProperty("stream_options") OpenAiParams.StreamOptions streamOptions,
        @JsonProperty("reasoning_effort") String reasoningEffort,
        @JsonProperty("search_budget") Integer searchBudget,
        String strategy,
        JsonNode tools,
        JsonNode functions,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("response_format") JsonNode responseFormat,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs) implements OpenAiParams {

    /** A message as clients send it: content is a string or a list of parts ({@code {"type": "text", "text"}}). */
    public record InMessage(String role, JsonNode content) {
    }

    @Override
    public Integer tokens() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    @Override
    public void refuseUnsupported() {
        if (present(tools)) {
            throw OpenAiParams.unsupported("tools", "ponder does not call tools; send the request without them");
        }
        if (present(functions)) {
            throw OpenAiParams.unsupported("functions", "ponder does not call functions; send the request without them");
        }
        if (toolChoice != null && !toolChoice.isNull() && !"none".equals(toolChoice.asText()) && !"auto".equals(toolChoice.asText())) {
            throw OpenAiParams.unsupported("tool_choice", "ponder does not call tools");
        }
        if (responseFormat != null && !responseFormat.isNull()
                && !"text".equals(responseFormat.path("type").asText())) {
            throw OpenAiParams.unsupported("response_format", "only {\"type\": \"text\"} is supported, got "
                    + responseFormat);
        }
        if (Boolean.TRUE.equals(logprobs)) {
            throw OpenAiParams.unsupported("logprobs", "per-token log-probabilities are not returned (the search's"
                    + " steps carry theirs in the ponder member)");
        }
        if (topLogprobs != null && topLogprobs != 0) {
            throw OpenAiParams.unsupported("top_logprobs", "per-token log-probabilities are not returned");
        }
    }

    /** A field that asks for something: not absent, not null, not an empty array. */
    static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !(n.isArray() && n.isEmpty());
    }

    /** The conversation; a 400 problem for content ponder cannot read (images, audio). */
    public List<Message> conversation() {
        if (messages == null) {
            return null;
        }
        List<Message> converted = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            InMessage m = messages.get(i);
            String role = m == null ? null : "developer".equals(m.role()) ? "system" : m.role();
            converted.add(new Message(role, m == null ? null : text(m.content(), i)));
        }
        return converted;
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
                            + "].content: only text parts are supported, got " + part.path("type"))
                            .withParam("messages[" + index + "].content"));
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw new ProblemException(ProblemDetail.invalidRequest("messages[" + index
                + "].content must be a string or a list of text parts").withParam("messages[" + index + "].content"));
    }
}

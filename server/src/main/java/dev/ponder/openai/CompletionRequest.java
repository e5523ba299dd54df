package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;

/**
 * The body of {@code POST /v1/completions} (the legacy text completions that lm-eval-harness and OpenCompass use):
 * {@code prompt} is one string (or an array holding one), asked as the user's question; the reply's {@code text} is
 * the chosen chain. Parameters ponder cannot honour ({@code echo}, {@code logprobs}, {@code suffix},
 * {@code best_of} above 1, token-id prompts) are refused with a 400 naming them; other unknown fields are ignored.
 */
public record CompletionRequest(
        String model,
        JsonNode prompt,
        Boolean stream,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        Long seed,
        Integer n,
        JsonNode stop,
        @JsonProperty("stream_options") OpenAiParams.StreamOptions streamOptions,
        @JsonProperty("reasoning_effort") String reasoningEffort,
        @JsonProperty("search_budget") Integer searchBudget,
        String strategy,
        Boolean echo,
        Integer logprobs,
        @JsonProperty("best_of") Integer bestOf,
        String suffix) implements OpenAiParams {

    @Override
    public Integer tokens() {
        return maxTokens;
    }

    @Override
    public void refuseUnsupported() {
        if (Boolean.TRUE.equals(echo)) {
            throw OpenAiParams.unsupported("echo", "the prompt is not echoed (it is asked through the chat template)");
        }
        if (logprobs != null) {
            throw OpenAiParams.unsupported("logprobs", "per-token log-probabilities are not returned (the search's"
                    + " steps carry theirs in the ponder member)");
        }
        if (suffix != null && !suffix.isEmpty()) {
            throw OpenAiParams.unsupported("suffix", "insertion is not supported");
        }
        if (bestOf != null && bestOf != 1) {
            throw OpenAiParams.unsupported("best_of", "use search_budget and strategy (e.g. \"best-of-n\") instead");
        }
    }

    /** The prompt text: a string, or an array of exactly one string. */
    public String promptText() {
        JsonNode p = prompt;
        if (p != null && p.isArray()) {
            if (p.size() != 1) {
                throw invalid("prompt: an array must hold exactly one string (one completion per request), holds " + p.size());
            }
            p = p.get(0);
        }
        if (p == null || p.isNull()) {
            throw invalid("give a prompt");
        }
        if (!p.isTextual()) {
            throw invalid("prompt must be a string (token ids are not accepted), is " + p.getNodeType().name().toLowerCase());
        }
        return p.asText();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemDetail.invalidRequest(detail).withParam("prompt"));
    }
}

package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;

/** The parameters chat completions and completions share, as {@link OpenAiAsks} reads them. */
interface OpenAiParams {

    String model();

    Double temperature();

    Double topP();

    Long seed();

    Integer n();

    JsonNode stop();

    /** {@code max_completion_tokens}, else {@code max_tokens}. */
    Integer tokens();

    Integer searchBudget();

    String strategy();

    String reasoningEffort();

    /** Throws a 400 problem naming the first parameter ponder cannot honour (tools, logprobs, ...). */
    void refuseUnsupported();

    Boolean stream();

    StreamOptions streamOptions();

    /** The stream options' include_usage. */
    default boolean includeUsage() {
        return streamOptions() != null && Boolean.TRUE.equals(streamOptions().includeUsage());
    }

    default boolean streaming() {
        return Boolean.TRUE.equals(stream());
    }

    /** The 400 problem for a parameter ponder does not honour: {@code /problems/unsupported-parameter}, naming it. */
    static ProblemException unsupported(String param, String why) {
        return new ProblemException(ProblemDetail.badRequest("unsupported-parameter", "Unsupported parameter",
                param + ": " + why).withParam(param));
    }

    /** {@code include_usage} of {@code stream_options}. */
    record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }
}

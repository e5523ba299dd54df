package dev.ponder.rest;

import dev.ponder.reason.Ask;
import dev.ponder.reason.Message;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/reason}. Give {@code prompt} or {@code messages}; every other field is
 * optional. An unknown field is a 400 naming it.
 */
@Schema(description = "A question to reason about with test-time search")
public record ReasonRequest(
        @Schema(description = "A single user question", examples = "Use 4 7 8 8 and + - * / to make 24.") String prompt,
        @Schema(description = "A conversation instead of a prompt: role (system, user, assistant) and content") List<Message> messages,
        @Schema(description = "Candidate chains the search may carry (1 = one greedy chain)", minimum = "1") Integer searchBudget,
        @Schema(description = "greedy, best-of-n, weighted-best-of-n, self-consistency, beam, mcts or auto") String strategy,
        @Schema(description = "Most generated tokens per chain") Integer maxTokens,
        @Schema(description = "Sampling temperature, 0 to 2") Double temperature,
        @Schema(description = "Search seed; the same seed gives the same search") Long seed,
        @Schema(description = "Stream tree events as server-sent events (also chosen by Accept: text/event-stream)") Boolean stream,
        @Schema(description = "Milliseconds the search may take; then it ends with its best chain so far (cutShort)", minimum = "1") Long deadlineMs,
        @Schema(description = "Nucleus sampling of proposals, (0, 1]; 1 keeps the whole distribution") Double topP) {

    public Ask toAsk() {
        return new Ask(prompt, messages, strategy, searchBudget, maxTokens, temperature, seed, deadlineMs, topP);
    }
}

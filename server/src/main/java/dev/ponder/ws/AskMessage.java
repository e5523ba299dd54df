package dev.ponder.ws;

import dev.ponder.reason.Ask;
import dev.ponder.reason.Message;
import java.util.List;

/**
 * A client message on {@code /ws/reason}: {@code {"type": "ask", "id", "prompt" or "messages", ...}} or
 * {@code {"type": "cancel", "id"}}. An unknown field is an error naming it.
 */
public record AskMessage(String type, String id, String prompt, List<Message> messages, Integer searchBudget,
                         String strategy, Integer maxTokens, Double temperature, Long seed, Long deadlineMs,
                         Double topP) {

    public Ask toAsk() {
        return new Ask(prompt, messages, strategy, searchBudget, maxTokens, temperature, seed, deadlineMs, topP);
    }
}

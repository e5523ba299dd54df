package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ponder.reason.ReasonResult;
import java.util.List;

/**
 * OpenAI's text completion objects ({@code POST /v1/completions}): {@code text} is the chosen chain (ending with its
 * {@code \boxed{}} answer when it states one), cut at the first stop sequence.
 */
public final class TextCompletion {

    private TextCompletion() {
    }

    /** {@code object: "text_completion"}; streamed chunks have the same shape, usage only on the last when asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(String id, String object, long created, String model,
                             @JsonProperty("system_fingerprint") String systemFingerprint, List<Choice> choices,
                             ChatCompletion.Usage usage, ReasonResult ponder) {
    }

    public record Choice(String text, int index, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    static Completion completion(String id, long created, String model, ReasonResult r, StopSequences stop) {
        StopSequences.Reply reply = stop.reply(r);
        return new Completion(id, "text_completion", created, model, ChatCompletion.fingerprint(r.seed()),
                List.of(new Choice(reply.text(), 0, null, reply.finishReason())), ChatCompletion.Usage.of(r), r);
    }
}

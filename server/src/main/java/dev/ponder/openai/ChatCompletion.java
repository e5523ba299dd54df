package dev.ponder.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ponder.reason.ReasonResult;
import java.util.List;

/**
 * OpenAI's chat completion objects as ponder fills them: the best chain's text is the reasoning (sent as both
 * {@code reasoning}, vLLM's current name, and {@code reasoning_content}, DeepSeek's and older vLLM's), its final
 * answer the {@code content}; {@code system_fingerprint} carries the search's seed; {@code ponder} adds what the
 * search did.
 */
public final class ChatCompletion {

    private ChatCompletion() {
    }

    /** {@code object: "chat.completion"}. */
    public record Completion(String id, String object, long created, String model,
                             @JsonProperty("system_fingerprint") String systemFingerprint, List<Choice> choices,
                             Usage usage, ReasonResult ponder) {
    }

    public record Choice(int index, AssistantMessage message, @JsonProperty("finish_reason") String finishReason,
                         Object logprobs) {
    }

    public record AssistantMessage(String role, String content, String reasoning,
                                   @JsonProperty("reasoning_content") String reasoningContent) {
    }

    /** Completion tokens count every token the search generated, all of them reasoning. */
    public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                        @JsonProperty("completion_tokens") long completionTokens,
                        @JsonProperty("total_tokens") long totalTokens,
                        @JsonProperty("completion_tokens_details") Details completionTokensDetails) {

        public record Details(@JsonProperty("reasoning_tokens") long reasoningTokens) {
        }

        static Usage of(ReasonResult r) {
            long prompt = r.usage().promptTokens();
            long generated = r.usage().generatedTokens();
            return new Usage(prompt, generated, prompt + generated, new Details(generated));
        }
    }

    /** {@code object: "chat.completion.chunk"}; usage only on the last chunk, when asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chunk(String id, String object, long created, String model,
                        @JsonProperty("system_fingerprint") String systemFingerprint, List<ChunkChoice> choices,
                        Usage usage) {
    }

    public record ChunkChoice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason,
                              Object logprobs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, String reasoning,
                        @JsonProperty("reasoning_content") String reasoningContent) {

        static Delta reasoning(String text) {
            return new Delta(null, null, text, text);
        }
    }

    /** The {@code system_fingerprint} of a search with this seed: {@code seed-<seed>}. */
    static String fingerprint(long seed) {
        return "seed-" + seed;
    }

    static Completion completion(String id, long created, String model, ReasonResult r, StopSequences stop) {
        StopSequences.Reply reply = stop.reply(r);
        var message = new AssistantMessage("assistant", reply.content(), reply.text(), reply.text());
        return new Completion(id, "chat.completion", created, model, fingerprint(r.seed()),
                List.of(new Choice(0, message, reply.finishReason(), null)), Usage.of(r), r);
    }
}

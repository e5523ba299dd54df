package dev.ponder.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How ponder talks to one model: its reasoning system prompt, where a step ends, and the self-check
 * question appended to a chain (answered by the probability of {@code yes} against {@code no}, read where the
 * model starts a line with one of them: at once, or after up to {@code checkReasoningTokens} tokens of its own
 * working, such as recomputing a boxed answer; 0 reads the verdict right after the question).
 * A checkpoint may ship its own in {@code ponder.json}; ponder ships one per architecture where the model's
 * authors publish a reasoning prompt ({@link #forArchitecture}); configuration overrides both.
 *
 * <p>{@code answerCheck} (null: none) asks the model about a final answer in a fresh context, without the chain:
 * ponder.json's {@code answerCheck.prompt} with {@code {problem}} and {@code {answer}} in it is the user message,
 * and the verdict is read as the self-check's is, after up to {@code answerCheck.reasoningTokens} tokens.
 */
public record PromptProfile(String systemPrompt, String stepDelimiter, String selfCheckSuffix,
                            String yes, String no, int checkReasoningTokens, AnswerCheck answerCheck) {

    /**
     * A fresh-context answer check: the user message template and the tokens the model may write before its verdict.
     */
    public record AnswerCheck(String prompt, int reasoningTokens) {

        public AnswerCheck {
            if (prompt == null || !prompt.contains("{answer}")) {
                throw new IllegalArgumentException("answerCheck.prompt must contain {answer}, is " + prompt);
            }
            if (reasoningTokens < 0 || reasoningTokens > 4096) {
                throw new IllegalArgumentException("answer-check reasoning tokens must be in [0, 4096], is " + reasoningTokens);
            }
        }

        /** The user message that asks about {@code answer} to {@code problem}. */
        public String message(String problem, String answer) {
            return prompt.replace("{problem}", problem).replace("{answer}", answer);
        }
    }

    public PromptProfile {
        if (checkReasoningTokens < 0 || checkReasoningTokens > 4096) {
            throw new IllegalArgumentException(
                    "self-check reasoning tokens must be in [0, 4096], is " + checkReasoningTokens);
        }
    }

    /** A profile without an answer check. */
    public PromptProfile(String systemPrompt, String stepDelimiter, String selfCheckSuffix, String yes, String no,
                         int checkReasoningTokens) {
        this(systemPrompt, stepDelimiter, selfCheckSuffix, yes, no, checkReasoningTokens, null);
    }

    /** A profile whose self-check answers at once. */
    public PromptProfile(String systemPrompt, String stepDelimiter, String selfCheckSuffix, String yes, String no) {
        this(systemPrompt, stepDelimiter, selfCheckSuffix, yes, no, 0, null);
    }

    /** A profile for chat models with a ChatML template and no ponder.json. */
    public static PromptProfile chatDefault() {
        return new PromptProfile(null, "\n",
                "<|im_end|>\n<|im_start|>user\nIs the reasoning above correct so far? Answer with yes or no.<|im_end|>\n<|im_start|>assistant\n",
                "yes", "no");
    }

    /** Reads {@code ponder.json} from a checkpoint, or returns {@code fallback} when there is none. */
    public static PromptProfile read(Path dir, PromptProfile fallback) {
        Path file = dir.resolve("ponder.json");
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        try {
            return fromJson(new ObjectMapper().readTree(file.toFile()), fallback);
        } catch (IOException e) {
            throw ModelException.file(file, "malformed JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ModelException.file(file, e.getMessage());
        }
    }

    /** True when the checkpoint's own {@code ponder.json} names a system prompt. */
    public static boolean hasOwnSystemPrompt(Path dir) {
        return read(dir, chatDefault()).systemPrompt() != null;
    }

    /**
     * The profile ponder ships for an architecture (the {@code architectures} entry of config.json): the
     * resource {@code /architectures/<architecture>/ponder.json}, in the checkpoint format, with the system prompt
     * verbatim in {@code system-prompt.txt} beside it; {@link #chatDefault()} for architectures without one.
     */
    public static PromptProfile forArchitecture(String architecture) {
        String base = "/architectures/" + architecture + "/";
        try (InputStream json = PromptProfile.class.getResourceAsStream(base + "ponder.json")) {
            if (json == null) {
                return chatDefault();
            }
            PromptProfile p = fromJson(new ObjectMapper().readTree(json), chatDefault());
            try (InputStream prompt = PromptProfile.class.getResourceAsStream(base + "system-prompt.txt")) {
                return prompt == null ? p : p.withSystemPrompt(new String(prompt.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable prompt profile of " + architecture, e);
        }
    }

    private static PromptProfile fromJson(JsonNode n, PromptProfile fallback) {
        JsonNode sc = n.path("selfCheck");
        JsonNode ac = n.path("answerCheck");
        AnswerCheck answerCheck = ac.isMissingNode() || ac.isNull() ? fallback.answerCheck()
                : new AnswerCheck(ac.path("prompt").isTextual() ? ac.get("prompt").asText() : null,
                        ac.path("reasoningTokens").asInt(0));
        return new PromptProfile(
                n.hasNonNull("systemPrompt") ? n.get("systemPrompt").asText() : fallback.systemPrompt(),
                n.hasNonNull("stepDelimiter") ? n.get("stepDelimiter").asText() : fallback.stepDelimiter(),
                sc.hasNonNull("suffix") ? sc.get("suffix").asText() : fallback.selfCheckSuffix(),
                sc.hasNonNull("yes") ? sc.get("yes").asText() : fallback.yes(),
                sc.hasNonNull("no") ? sc.get("no").asText() : fallback.no(),
                sc.hasNonNull("reasoningTokens") ? sc.get("reasoningTokens").asInt() : fallback.checkReasoningTokens(),
                answerCheck);
    }

    public PromptProfile withSystemPrompt(String prompt) {
        return new PromptProfile(prompt, stepDelimiter, selfCheckSuffix, yes, no, checkReasoningTokens, answerCheck);
    }

    public PromptProfile withSelfCheckSuffix(String suffix) {
        return new PromptProfile(systemPrompt, stepDelimiter, suffix, yes, no, checkReasoningTokens, answerCheck);
    }

    public PromptProfile withAnswerCheck(AnswerCheck check) {
        return new PromptProfile(systemPrompt, stepDelimiter, selfCheckSuffix, yes, no, checkReasoningTokens, check);
    }

    public PromptProfile withCheckReasoningTokens(int tokens) {
        return new PromptProfile(systemPrompt, stepDelimiter, selfCheckSuffix, yes, no, tokens, answerCheck);
    }
}

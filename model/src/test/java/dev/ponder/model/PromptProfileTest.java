package dev.ponder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptProfileTest {

    @Test
    void internLm3GetsItsModelCardsDeepThinkingPromptAndParagraphSteps() {
        PromptProfile p = PromptProfile.forArchitecture("InternLM3ForCausalLM");
        // the model card's thinking_system_prompt, verbatim: its first and last sentences and its sections
        assertTrue(p.systemPrompt().startsWith("You are an expert mathematician with extensive experience in "
                + "mathematical competitions. You approach problems through systematic thinking and rigorous reasoning."));
        assertTrue(p.systemPrompt().endsWith("repeat the final answer using a '\\boxed{}' without any units, "
                + "you have [[8192]] tokens to complete the answer.\n"), p.systemPrompt());
        for (String section : new String[] {"## Deep Understanding\n", "## Multi-angle Analysis\n", "## Systematic Thinking\n",
                "## Rigorous Proof\n", "## Repeated Verification\n", "Remember:\n"}) {
            assertTrue(p.systemPrompt().contains(section), section);
        }
        assertEquals(2382, p.systemPrompt().length());
        assertEquals("\n\n", p.stepDelimiter());
        // the rest is the chat default
        assertEquals(PromptProfile.chatDefault().selfCheckSuffix(), p.selfCheckSuffix());
    }

    @Test
    void architecturesWithoutAShippedProfileGetTheChatDefault() {
        assertEquals(PromptProfile.chatDefault(), PromptProfile.forArchitecture("LlamaForCausalLM"));
        assertNull(PromptProfile.forArchitecture("Qwen2ForCausalLM").systemPrompt());
    }

    @Test
    void aCheckpointsOwnPonderJsonComesFirst(@TempDir Path dir) throws Exception {
        PromptProfile shipped = PromptProfile.forArchitecture("InternLM3ForCausalLM");
        assertEquals(shipped, PromptProfile.read(dir, shipped));
        assertFalse(PromptProfile.hasOwnSystemPrompt(dir));

        Files.writeString(dir.resolve("ponder.json"), "{\"stepDelimiter\": \"\\n\"}");
        PromptProfile p = PromptProfile.read(dir, shipped);
        assertEquals("\n", p.stepDelimiter());
        assertEquals(shipped.systemPrompt(), p.systemPrompt());
        assertFalse(PromptProfile.hasOwnSystemPrompt(dir));

        Files.writeString(dir.resolve("ponder.json"), "{\"systemPrompt\": \"Think.\"}");
        assertEquals("Think.", PromptProfile.read(dir, shipped).systemPrompt());
        assertTrue(PromptProfile.hasOwnSystemPrompt(dir));
    }

    @Test
    void aCheckpointMayAskAboutFinalAnswersInAFreshContext(@TempDir Path dir) throws Exception {
        assertNull(PromptProfile.chatDefault().answerCheck());
        assertNull(PromptProfile.forArchitecture("InternLM3ForCausalLM").answerCheck());
        Files.writeString(dir.resolve("ponder.json"),
                "{\"answerCheck\": {\"prompt\": \"{problem}\\ncheck {answer}\", \"reasoningTokens\": 100}}");
        PromptProfile p = PromptProfile.read(dir, PromptProfile.chatDefault());
        assertEquals(new PromptProfile.AnswerCheck("{problem}\ncheck {answer}", 100), p.answerCheck());
        assertEquals("Use 1 2 3 4 to make 24.\ncheck (1 + 2 + 3) * 4",
                p.answerCheck().message("Use 1 2 3 4 to make 24.", "(1 + 2 + 3) * 4"));
        assertEquals(p.answerCheck(), p.withSystemPrompt("Think.").withCheckReasoningTokens(3).answerCheck());
        assertNull(p.withAnswerCheck(null).answerCheck());

        Files.writeString(dir.resolve("ponder.json"), "{\"answerCheck\": {\"prompt\": \"{problem} ok?\"}}");
        ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                () -> PromptProfile.read(dir, PromptProfile.chatDefault()));
        assertTrue(e.getMessage().contains("{answer}"), e.getMessage());
    }

    @Test
    void aCheckMayReasonBeforeItsVerdictWithinTheTokensItsPonderJsonGrants(@TempDir Path dir) throws Exception {
        assertEquals(0, PromptProfile.chatDefault().checkReasoningTokens());
        Files.writeString(dir.resolve("ponder.json"), "{\"selfCheck\": {\"reasoningTokens\": 160}}");
        PromptProfile p = PromptProfile.read(dir, PromptProfile.chatDefault());
        assertEquals(160, p.checkReasoningTokens());
        assertEquals(PromptProfile.chatDefault().selfCheckSuffix(), p.selfCheckSuffix());
        assertEquals(160, p.withSystemPrompt("Think.").withSelfCheckSuffix("ok?").checkReasoningTokens());
        assertEquals(0, p.withCheckReasoningTokens(0).checkReasoningTokens());

        Files.writeString(dir.resolve("ponder.json"), "{\"selfCheck\": {\"reasoningTokens\": -1}}");
        ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                () -> PromptProfile.read(dir, PromptProfile.chatDefault()));
        assertTrue(e.getMessage().contains("ponder.json") && e.getMessage().contains("[0, 4096]"), e.getMessage());
    }
}

package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hubspot.jinjava.Jinjava;
import dev.ponder.tasks.Example;
import dev.ponder.tasks.SelfCheckExample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written ChatML strings equal InternLM3's template rendered by Jinjava. */
class ChatFormatTest {

    static String render(List<Map<String, String>> messages, boolean generationPrompt) {
        return new Jinjava().render(ChatFormat.CHAT_TEMPLATE,
                Map.of("messages", messages, "add_generation_prompt", generationPrompt, "bos_token", ChatFormat.BOS));
    }

    @Test
    void promptIsTheTemplateWithAGenerationPrompt() {
        String user = "Use 4 9 10 13 to make 24.";
        assertEquals(render(List.of(Map.of("role", "user", "content", user)), true), ChatFormat.prompt(user));
        assertTrue(ChatFormat.prompt(user).startsWith("<s><|im_start|>user\nUse 4 9 10 13 to make 24.<|im_end|>\n<|im_start|>assistant\n"));
    }

    @Test
    void selfCheckIsTheConversationWithACheckTurn() {
        String user = "What is 12 * 7?";
        String chain = "12 * 7 = 84\n";
        String rendered = render(List.of(Map.of("role", "user", "content", user),
                Map.of("role", "assistant", "content", chain), Map.of("role", "user", "content", "check")), true);
        String[] parts = TokenizedExample.render(new SelfCheckExample(user, chain, true));
        assertEquals(rendered, parts[0]);
        assertEquals("yes<|im_end|>", parts[1]);
    }

    @Test
    void aGenerativeCheckIsTrainedOnItsWorkingAndThenItsVerdict() {
        String user = "Use 4 9 10 13 to make 24.";
        String chain = "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = 6 (left: 4 6)\n6 * 4 = 24 (left: 24)\n\\boxed{(10 - 4) * (13 - 4)}\n";
        SelfCheckExample e = dev.ponder.tasks.SelfChecks.withRecheck(new SelfCheckExample(user, chain, true));
        String[] parts = TokenizedExample.render(e);
        assertEquals(TokenizedExample.render(new SelfCheckExample(user, chain, true))[0], parts[0]);
        assertEquals("(10 - 4) * (13 - 4)\n= 6 * (13 - 4)\n= 6 * 9\n= 54\n4 4 10 13\n4 9 10 13\nno<|im_end|>", parts[1]);
    }

    @Test
    void chainTargetEndsWithImEnd() {
        String[] parts = TokenizedExample.render(new Example("What is 2 * 5?", "2 * 5 = 10\n\\boxed{10}"));
        assertEquals("2 * 5 = 10\n\\boxed{10}<|im_end|>", parts[1]);
        CharTokenizer tok = CharTokenizer.build(List.of(parts[0] + parts[1]));
        TokenizedExample e = TokenizedExample.of(new Example("What is 2 * 5?", "2 * 5 = 10\n\\boxed{10}"), tok);
        assertEquals(tok.encode(parts[1]).length, e.lossPositions());
        assertEquals(tok.id("<|im_end|>"), e.tokens()[e.tokens().length - 1]);
    }
}

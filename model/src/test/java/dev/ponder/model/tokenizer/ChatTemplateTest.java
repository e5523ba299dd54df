package dev.ponder.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chat templates rendered as Jinja2 renders them for Hugging Face (trim_blocks, lstrip_blocks,
 * keep_trailing_newline off). Template strings hold {@code \n} as the two characters backslash-n inside Jinja
 * string literals, exactly as they appear in tokenizer_config.json after JSON decoding; Jinja turns them
 * into newlines. Every expected string below is derived by hand from Jinja2's rules.
 */
class ChatTemplateTest {
    static final String INTERNLM3 = "{{ bos_token }}{% for message in messages %}{{'<|im_start|>' + message['role']"
            + " + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
            + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    static final String QWEN2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
            + "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
            + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    static final List<ChatMessage> CHAT = List.of(
            ChatMessage.system("You are a helpful assistant."), ChatMessage.user("What is 5^10?"));

    @Test
    void internLm3() {
        ChatTemplate t = ChatTemplate.of(INTERNLM3, "<s>", "</s>");
        assertEquals("<s><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 5^10?<|im_end|>\n<|im_start|>assistant\n", t.render(CHAT, true));
        assertEquals("<s><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 5^10?<|im_end|>\n", t.render(CHAT, false));
    }

    @Test
    void llama3TrimsContentOnlyAndPutsBosOnFirstMessage() {
        // '| trim' binds tighter than '+': only the content is trimmed
        ChatTemplate t = ChatTemplate.of(LLAMA3, "<|begin_of_text|>", "<|end_of_text|>");
        String out = t.render(List.of(ChatMessage.system("  Be brief. "), ChatMessage.user("Hi\n")), true);
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", out);
    }

    @Test
    void qwen2AddsDefaultSystemMessageOnlyWhenMissing() {
        ChatTemplate t = ChatTemplate.of(QWEN2, null, "<|endoftext|>");
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
                t.render(List.of(ChatMessage.user("Hello")), true));
        assertEquals("<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n",
                t.render(List.of(ChatMessage.system("Be terse."), ChatMessage.user("Hello")), false));
    }

    @Test
    void trimBlocksAndLstripBlocks() {
        // block tags on their own (indented) lines leave no trace; the trailing newline of the source is dropped
        String template = """
                {% for m in messages %}
                    {% if m['role'] == 'user' %}
                U: {{ m['content'] }}
                    {% else %}
                A: {{ m['content'] }}
                    {% endif %}
                {% endfor %}
                {% if add_generation_prompt %}
                A:
                {% endif %}
                """;
        ChatTemplate t = ChatTemplate.of(template, null, null);
        List<ChatMessage> chat = List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo"), ChatMessage.user("q"));
        assertEquals("U: hi\nA: yo\nU: q\nA:\n", t.render(chat, true));
        assertEquals("U: hi\nA: yo\nU: q\n", t.render(chat, false));
    }

    @Test
    void lstripBlocksLeavesExpressionsAlone() {
        // "  {{ 'a' }}" keeps its indentation; "  {% if %}" loses it; the final "\n" of the source is dropped
        ChatTemplate t = ChatTemplate.of("x\n  {{ 'a' }}\n  {% if true %}b{% endif %}\n", null, null);
        assertEquals("x\n  a\nb", t.render(List.of(), false));
        assertEquals("hi", ChatTemplate.of("{{ messages[0]['content'] }}\n", null, null)
                .render(List.of(ChatMessage.user("hi")), false));
    }

    @Test
    void undefinedTokensRenderEmpty() {
        assertEquals("x", ChatTemplate.of("{{ bos_token }}x{{ eos_token }}", null, null).render(List.of(), false));
    }

    @Test
    void raiseExceptionBecomesTokenizerException() {
        ChatTemplate t = ChatTemplate.of("{% if messages[0]['role'] != 'user' %}"
                + "{{ raise_exception('Conversation roles must start with user') }}{% endif %}ok", null, null);
        assertEquals("ok", t.render(List.of(ChatMessage.user("a")), false));
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.render(List.of(ChatMessage.assistant("a")), false));
        assertTrue(e.getMessage().contains("Conversation roles must start with user"), e.getMessage());
    }

    @Test
    void toJsonWritesPythonStyleJson() {
        ChatTemplate t = ChatTemplate.of("{{ messages | tojson }}|{{ messages[0] | tojson(indent=2) }}", null, null);
        assertEquals("[{\"role\": \"user\", \"content\": \"hé \\\"q\\\"\\n\"}]|{\n  \"role\": \"user\",\n"
                + "  \"content\": \"hé \\\"q\\\"\\n\"\n}", t.render(List.of(ChatMessage.user("hé \"q\"\n")), false));
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "calc");
        tool.put("weight", 1.5);
        tool.put("tiny", 1.5e-7);
        tool.put("n", 3);
        tool.put("tags", List.of());
        tool.put("ok", true);
        ChatTemplate tools = ChatTemplate.of("{{ tools | tojson }}", null, null);
        assertEquals("[{\"name\": \"calc\", \"weight\": 1.5, \"tiny\": 1.5e-07, \"n\": 3, \"tags\": [], \"ok\": true}]",
                tools.render(List.of(), false, Map.of("tools", List.of(tool))));
    }

    @Test
    void extraMessageKeysAndVariablesReachTheTemplate() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}{{ m.name }}:{{ m.content }}{% endfor %}/{{ date }}",
                null, null);
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("role", "user");
        msg.put("content", "hey");
        msg.put("name", "ann");
        assertEquals("ann:hey/today", t.render(List.of(msg), false, Map.of("date", "today")));
    }
}

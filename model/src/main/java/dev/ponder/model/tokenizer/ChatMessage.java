package dev.ponder.model.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/** One chat turn as chat templates see it: {@code {"role": ..., "content": ...}}. */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        if (role == null || content == null) {
            throw new IllegalArgumentException("role and content must not be null");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** The message as the map a template indexes ({@code message['role']}, {@code message.content}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}

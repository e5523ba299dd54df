package dev.ponder.model.tokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint's tokenizer with its chat template (null when the checkpoint has none) and special tokens.
 *
 * @param directory the checkpoint directory it was loaded from
 */
public record LoadedTokenizer(Tokenizer tokenizer, ChatTemplate template, SpecialTokens special, Path directory)
        implements AutoCloseable {

    public boolean hasChatTemplate() {
        return template != null;
    }

    /** The prompt text of a conversation, as {@code apply_chat_template(messages, tokenize=False)} gives it. */
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        if (template == null) {
            throw new TokenizerException(directory + ": the checkpoint has no chat template "
                    + "(tokenizer_config.json chat_template, chat_template.jinja or chat_template.json)");
        }
        return template.render(messages, addGenerationPrompt);
    }

    /**
     * The prompt ids of a conversation, as {@code apply_chat_template(messages, tokenize=True)} gives them:
     * the rendered text encoded without adding bos (templates write it themselves).
     */
    public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return tokenizer.encode(renderChat(messages, addGenerationPrompt));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

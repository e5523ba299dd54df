package dev.ponder.train;

/**
 * The ChatML text the embedded model is trained on (InternLM3's chat template), written out by hand so the
 * trainer needs no template engine; {@code ChatFormatTest} checks it against the template itself.
 */
public final class ChatFormat {

    public static final String BOS = "<s>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /** InternLM3's chat template, verbatim. */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** What closes the assistant's chain so far and asks for a one-word verdict (ponder.json selfCheck.suffix). */
    public static final String SELF_CHECK_SUFFIX = IM_END + "\n" + IM_START + "user\ncheck" + IM_END + "\n" + IM_START + "assistant\n";

    /**
     * Most tokens a check may write before its verdict (ponder.json selfCheck.reasoningTokens): the recomputation of a
     * boxed Game-of-24 answer ({@code Game24Recheck}) is six or seven lines of at most about 25 characters.
     */
    public static final int CHECK_REASONING_TOKENS = 160;

    private ChatFormat() {
    }

    /** The template rendered for one user message with add_generation_prompt. */
    public static String prompt(String user) {
        return BOS + IM_START + "user\n" + user + IM_END + "\n" + IM_START + "assistant\n";
    }
}

package dev.ponder.model.tokenizer;

/**
 * A token added on top of the base vocabulary (tokenizer_config.json {@code added_tokens_decoder}, tokenizer.json
 * {@code added_tokens}). Its literal text is matched in input before the base model runs.
 *
 * @param id         token id
 * @param content    literal text, e.g. {@code <|im_start|>}
 * @param special    skipped by {@code decode(ids, true)}
 * @param lstrip     whitespace left of a match is dropped
 * @param rstrip     whitespace right of a match is dropped
 * @param singleWord only matched when not glued to other non-space text
 */
public record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip, boolean singleWord) {
    public AddedToken {
        if (content == null || content.isEmpty()) {
            throw new TokenizerException("added token " + id + " has empty content");
        }
    }

    /** A special token without strip or single-word options. */
    public static AddedToken special(int id, String content) {
        return new AddedToken(id, content, true, false, false, false);
    }
}

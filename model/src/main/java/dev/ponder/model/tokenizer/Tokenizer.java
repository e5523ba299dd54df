package dev.ponder.model.tokenizer;

import java.util.OptionalInt;

/**
 * Text to token ids and back, as a Hugging Face tokenizer does with {@code add_special_tokens=False}:
 * {@link #encode} adds no bos/eos, but added/special tokens written literally in the text (such as
 * {@code <|im_start|>}) are recognised and mapped to their ids. Decoding skips nothing unless asked.
 */
public interface Tokenizer extends AutoCloseable {

    /** Token ids of {@code text}; no bos/eos is added (see {@link #addBosToken()}). */
    int[] encode(String text);

    /** Text of {@code ids}, special tokens included. */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** Text of {@code ids}; with {@code skipSpecialTokens} the special tokens (bos, eos, chat markers...) are left out. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** The vocabulary entry of {@code id} as stored (e.g. {@code "▁the"}, {@code "<0x0A>"}, {@code "<|im_end|>"}). */
    String tokenText(int id);

    /** The id of a vocabulary entry or added token, if there is one. */
    OptionalInt tokenId(String tokenText);

    /** One more than the largest id (base vocabulary plus added tokens). */
    int vocabSize();

    SpecialTokens specialTokens();

    /** True if {@code id} is a special token (skipped by {@code decode(ids, true)}). */
    boolean isSpecial(int id);

    /** Whether the checkpoint expects bos to be prepended to a raw prompt (chat templates usually write it themselves). */
    boolean addBosToken();

    default int bosId() {
        return specialTokens().bos();
    }

    default int eosId() {
        return specialTokens().eos();
    }

    /** Releases native resources, if any. */
    @Override
    default void close() {
    }
}

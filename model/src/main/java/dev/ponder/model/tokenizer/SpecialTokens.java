package dev.ponder.model.tokenizer;

/**
 * Ids of the special tokens a tokenizer knows; -1 where a token is not defined (Qwen2 has no bos, for example).
 */
public record SpecialTokens(int bos, int eos, int pad, int unk) {
    public static final int NONE = -1;

    public static SpecialTokens none() {
        return new SpecialTokens(NONE, NONE, NONE, NONE);
    }

    public boolean hasBos() {
        return bos >= 0;
    }

    public boolean hasEos() {
        return eos >= 0;
    }

    public boolean hasPad() {
        return pad >= 0;
    }

    public boolean hasUnk() {
        return unk >= 0;
    }
}

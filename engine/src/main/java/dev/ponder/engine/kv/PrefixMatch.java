package dev.ponder.engine.kv;

/**
 * The longest cached prefix of a token sequence, in whole blocks. The caller owns one reference on each
 * block: hand it to {@link KvSequence#fromPrefix} (which adopts them) or give them back with
 * {@link BlockPool#releaseAll}.
 *
 * @param tokens tokens covered, {@code blocks.length * blockSize}
 * @param blocks the cached blocks, in order
 */
public record PrefixMatch(int tokens, int[] blocks) {

    public static final PrefixMatch NONE = new PrefixMatch(0, new int[0]);
}

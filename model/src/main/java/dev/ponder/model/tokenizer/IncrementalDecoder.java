package dev.ponder.model.tokenizer;

import java.util.Arrays;

/**
 * Turns a stream of generated ids into a stream of text. Each {@link #add} returns the text completed by that
 * id (often "", e.g. while the byte pieces of one UTF-8 character are still arriving). It decodes a short
 * window of ids, the ones emitted last time plus the new ones, and returns what the new ones add, so the
 * first-piece rules of decoders (SentencePiece dropping a leading '▁') apply as they do when the whole
 * sequence is decoded at once. Text ending in U+FFFD is held back until a later id completes the character,
 * or until {@link #flush}. Not thread-safe: one decoder per sequence.
 */
public final class IncrementalDecoder {
    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[64];
    private int size;
    private int prefixOffset;     // start of the window: the ids whose text was emitted last
    private int readOffset;       // ids before this have all their text emitted
    private final StringBuilder emitted = new StringBuilder();

    public IncrementalDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Feeds one id; returns the newly completed text, possibly empty. */
    public String add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        return advance(false);
    }

    /** Returns whatever text is still held back (an incomplete character decodes to U+FFFD here). */
    public String flush() {
        return advance(true);
    }

    /** All text returned so far. */
    public String text() {
        return emitted.toString();
    }

    /** Number of ids fed so far. */
    public int size() {
        return size;
    }

    private String advance(boolean force) {
        if (readOffset == size) {
            return "";
        }
        String prefixText = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), skipSpecialTokens);
        String newText = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size), skipSpecialTokens);
        String delta;
        if (newText.startsWith(prefixText)) {
            delta = newText.substring(prefixText.length());
        } else {
            // a decoder that rewrites earlier text: compare against the whole sequence instead
            String full = tokenizer.decode(Arrays.copyOf(ids, size), skipSpecialTokens);
            if (!full.startsWith(emitted.toString())) {
                return "";
            }
            delta = full.substring(emitted.length());
        }
        if (delta.isEmpty() || (!force && delta.charAt(delta.length() - 1) == Utf8.REPLACEMENT)) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = size;
        emitted.append(delta);
        return delta;
    }
}

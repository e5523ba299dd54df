package dev.ponder.model;

/**
 * One sequence's share of a forward pass.
 *
 * @param tokens new token ids to run (at least one)
 * @param start  tokens of this sequence already in the KV cache; the new ones sit at positions
 *               {@code start .. start + tokens.length - 1}
 * @param slots  the KV-cache slot of every position {@code 0 .. start + tokens.length - 1}: the first
 *               {@code start} are read, the rest are written. Null runs without a cache (start must be 0):
 *               the sequence attends only to its own new tokens, as in training.
 */
public record SequenceInput(int[] tokens, int start, int[] slots) {

    public SequenceInput {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a sequence needs at least one new token");
        }
        if (slots == null && start != 0) {
            throw new IllegalArgumentException("without a KV cache a sequence must start at position 0");
        }
        if (slots != null && slots.length != start + tokens.length) {
            throw new IllegalArgumentException("slots must cover all " + (start + tokens.length) + " positions, has " + slots.length);
        }
    }

    public static SequenceInput uncached(int[] tokens) {
        return new SequenceInput(tokens, 0, null);
    }

    /** Positions after this pass: the sequence length L that dynamic RoPE scales by. */
    public int length() {
        return start + tokens.length;
    }
}

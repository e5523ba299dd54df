package dev.ponder.engine.kv;

/**
 * A copy-on-write the caller must apply to the KV tensors before the next forward pass:
 * row {@code from[i]} goes to row {@code to[i]} (exactly {@code KvPool.copySlots(from, to)}).
 */
public record SlotCopy(int[] from, int[] to) {

    public SlotCopy {
        if (from.length != to.length) {
            throw new IllegalArgumentException("from and to differ in length");
        }
    }

    public int rows() {
        return from.length;
    }
}

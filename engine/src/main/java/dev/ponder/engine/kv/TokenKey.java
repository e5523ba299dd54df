package dev.ponder.engine.kv;

import java.util.Arrays;

/** Token ids as a map key, compared by content (a block's tokens in the prefix cache, a step's prefix). */
public record TokenKey(int[] tokens) {

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenKey k && Arrays.equals(tokens, k.tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return Arrays.toString(tokens);
    }
}

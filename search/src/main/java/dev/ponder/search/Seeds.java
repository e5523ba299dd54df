package dev.ponder.search;

/**
 * The one place seeds are derived from other seeds, for the search library and everything built on it: the
 * search's per-call seeds, the engine's per-sample and per-rollout seeds, the peer benchmark's, training's
 * stream seeds and the task datasets' splits all go through {@link #mix}. Every derivation depends only on its
 * arguments, never on timing.
 *
 * <p>The numbers are part of the project's record (benchmark and eval outputs, test expectations): changing any
 * of these methods changes them. {@code SeedsTest} pins them.
 */
public final class Seeds {

    /** The golden-ratio increment of SplitMix64 (2^64 / phi, odd). */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /**
     * A per-call seed from the search seed and a stable key (node id and purpose, e.g. {@code "n3/expand"}):
     * the seed is mixed, then each character of the key is folded in with {@link #GOLDEN} and mixed again.
     */
    public static long derive(long seed, String key) {
        long h = mix(seed);
        for (int i = 0; i < key.length(); i++) {
            h = mix(h + GOLDEN + key.charAt(i));
        }
        return h;
    }

    /**
     * The {@code i}-th child seed of {@code seed}: SplitMix64's {@code (i + 1)}-th output from state
     * {@code seed}, that is {@code mix(seed + GOLDEN * (i + 1))}. The engine seeds sample {@code i} of a
     * proposal, and the rollout at depth {@code i}, with it (the llama.cpp peer alike, so both sample alike).
     */
    public static long child(long seed, long i) {
        return mix(seed + GOLDEN * (i + 1));
    }

    /**
     * SplitMix64's finaliser (Stafford's variant 13): a bijection on longs that spreads nearby inputs far apart;
     * {@code mix(0) == 0}.
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.ponder.search;

/** Per-call seeds derived from the search seed and a stable key (node id and purpose), never from timing. */
final class Seeds {

    private Seeds() {
    }

    static long derive(long seed, String key) {
        long h = mix(seed);
        for (int i = 0; i < key.length(); i++) {
            h = mix(h + 0x9E3779B97F4A7C15L + key.charAt(i));
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

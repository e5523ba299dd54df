package dev.ponder.model;

/**
 * How rotary position embeddings are stretched past the trained context.
 *
 * @param type                 NONE, LINEAR (positions divided by factor), DYNAMIC (NTK-aware base that
 *                             grows with the sequence length, as InternLM3 uses with factor 6.0) or
 *                             LLAMA3 (per-frequency interpolation of Llama 3.1)
 * @param factor               the scaling factor
 * @param lowFreqFactor        llama3 only
 * @param highFreqFactor       llama3 only
 * @param originalMaxPositions llama3 only: original_max_position_embeddings
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public enum Type { NONE, LINEAR, DYNAMIC, LLAMA3 }

    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1.0, 0, 0, 0);

    public static RopeScaling linear(double factor) {
        return new RopeScaling(Type.LINEAR, factor, 0, 0, 0);
    }

    public static RopeScaling dynamic(double factor) {
        return new RopeScaling(Type.DYNAMIC, factor, 0, 0, 0);
    }
}

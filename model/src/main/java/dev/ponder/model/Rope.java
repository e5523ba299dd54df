package dev.ponder.model;

/**
 * Rotary position embeddings (Su et al. 2021) with the scalings Hugging Face implements. The angle of
 * frequency i at position p is {@code p * invFreq[i]}; scaling changes {@code invFreq} (dynamic NTK,
 * llama3) or the positions (linear). Computed on the host in float32, as torch does, and shipped to the
 * forward pass as cos/sin tables.
 */
public final class Rope {

    private final ModelConfig config;
    private final float[] baseInvFreq;

    public Rope(ModelConfig config) {
        this.config = config;
        this.baseInvFreq = invFreq(config.ropeTheta(), config.headDim());
        if (config.ropeScaling().type() == RopeScaling.Type.LLAMA3) {
            llama3(baseInvFreq, config.ropeScaling());
        }
    }

    /** inv_freq[i] = 1 / base^(2i / dim), in float32 as torch computes it. */
    static float[] invFreq(double base, int dim) {
        float[] f = new float[dim / 2];
        for (int i = 0; i < f.length; i++) {
            float exponent = (float) (2 * i) / dim;
            f[i] = (float) (1.0 / (float) Math.pow((float) base, exponent));
        }
        return f;
    }

    /**
     * The inverse frequencies used for a sequence whose positions run up to {@code length - 1}.
     * Dynamic NTK grows the base once the length passes max_position_embeddings:
     * base' = theta * (factor * L / max - (factor - 1)) ^ (dim / (dim - 2)).
     */
    public float[] invFreqFor(int length) {
        RopeScaling s = config.ropeScaling();
        if (s.type() == RopeScaling.Type.DYNAMIC && length > config.maxPositions()) {
            int dim = config.headDim();
            double ratio = s.factor() * length / config.maxPositions() - (s.factor() - 1);
            double base = config.ropeTheta() * Math.pow(ratio, (double) dim / (dim - 2));
            return invFreq(base, dim);
        }
        return baseInvFreq;
    }

    /**
     * Fills cos/sin rows for one sequence: {@code out[(row + t) * hd + j]} for the token at position
     * {@code start + t}, with the half-width table repeated twice as in HF's rotate_half layout.
     */
    public void fill(float[] cos, float[] sin, int row, int start, int count, int sequenceLength) {
        float[] inv = invFreqFor(sequenceLength);
        int hd = config.headDim();
        int half = hd / 2;
        double scale = config.ropeScaling().type() == RopeScaling.Type.LINEAR ? 1.0 / config.ropeScaling().factor() : 1.0;
        for (int t = 0; t < count; t++) {
            float pos = (float) ((start + t) * scale);
            int base = (row + t) * hd;
            for (int j = 0; j < half; j++) {
                float angle = pos * inv[j];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[base + j] = c;
                cos[base + half + j] = c;
                sin[base + j] = s;
                sin[base + half + j] = s;
            }
        }
    }

    /** Llama 3.1: keep high frequencies, divide low ones by factor, blend in between. */
    private static void llama3(float[] inv, RopeScaling s) {
        double lowWavelen = s.originalMaxPositions() / s.lowFreqFactor();
        double highWavelen = s.originalMaxPositions() / s.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowWavelen) {
                inv[i] = (float) (inv[i] / s.factor());
            } else if (wavelen >= highWavelen) {
                double smooth = (s.originalMaxPositions() / wavelen - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (float) ((1 - smooth) * inv[i] / s.factor() + smooth * inv[i]);
            }
        }
    }
}

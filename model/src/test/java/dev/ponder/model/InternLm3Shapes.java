package dev.ponder.model;

/** InternLM3-8B-Instruct's shape, from its config.json (no weights). */
public final class InternLm3Shapes {

    private InternLm3Shapes() {
    }

    /** hidden 4096, 48 layers, 32 query and 2 key/value heads of 128, SwiGLU 10240, vocabulary 128512, untied. */
    public static final ModelConfig EIGHT_B = new ModelConfig("InternLM3ForCausalLM", 128512, 4096, 10240, 48, 32, 2,
            128, 1e-5, 50_000_000, RopeScaling.NONE, 32768, false, false, false, false);
}

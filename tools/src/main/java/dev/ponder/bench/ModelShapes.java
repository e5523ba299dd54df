package dev.ponder.bench;

import dev.ponder.model.ModelConfig;
import dev.ponder.model.RopeScaling;
import java.util.Map;

/** Shapes of real models, from the numbers of their config.json, for benchmarks with random weights. */
public final class ModelShapes {

    private ModelShapes() {
    }

    /**
     * InternLM3-8B-Instruct: hidden 4096, 48 layers, 32 query and 2 key/value heads of 128, SwiGLU 10240, vocabulary
     * 128512, untied head, RoPE theta 5e7 with dynamic NTK scaling 6.0, 32k positions (8.8e9 parameters).
     */
    public static final ModelConfig INTERNLM3_8B = new ModelConfig("InternLM3ForCausalLM", 128512, 4096, 10240, 48,
            32, 2, 128, 1e-5, 50_000_000, RopeScaling.dynamic(6.0), 32768, false, false, false, false);

    /**
     * A 1B model: Llama-3.2-1B's numbers (hidden 2048, 16 layers, 32 query and 8 key/value heads of 64, SwiGLU 8192,
     * vocabulary 128256, tied head, RoPE theta 5e5), without its llama3 RoPE scaling, at 8k positions (1.2e9
     * parameters).
     */
    public static final ModelConfig LLAMA_1B = new ModelConfig("LlamaForCausalLM", 128256, 2048, 8192, 16, 32, 8, 64,
            1e-5, 500_000, RopeScaling.NONE, 8192, true, false, false, false);

    /** The presets by name. */
    public static final Map<String, ModelConfig> BY_NAME = Map.of("internlm3-8b", INTERNLM3_8B, "llama-1b", LLAMA_1B);
}

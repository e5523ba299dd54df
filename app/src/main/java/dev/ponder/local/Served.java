package dev.ponder.local;

import dev.ponder.engine.Engine;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.RopeScaling;

/**
 * The model being served: the loaded checkpoint (with its prompt profile settled), its engine, the id the
 * APIs report, and the context a prompt plus its reasoning must fit in.
 *
 * @param context         most tokens of prompt, reasoning and self-check question together
 * @param selfCheckTokens tokens of the self-check question appended when a chain is judged, and the most the model
 *                        may write after it before its verdict
 * @param createdEpoch    when the model was loaded (seconds), as {@code /v1/models} reports it
 */
public record Served(String name, LanguageModel model, Engine engine, int context, int selfCheckTokens,
                     long createdEpoch) {

    /**
     * The context of a model: its trained positions, stretched by the RoPE scaling factor where the scaling
     * is meant to extend the context (linear and dynamic NTK, as InternLM3 ships with factor 6); Llama 3
     * scaling already reports the extended length.
     */
    public static int contextOf(ModelConfig c) {
        RopeScaling s = c.ropeScaling();
        boolean stretches = s != null && (s.type() == RopeScaling.Type.LINEAR || s.type() == RopeScaling.Type.DYNAMIC);
        long n = stretches ? (long) Math.floor(c.maxPositions() * Math.max(1.0, s.factor())) : c.maxPositions();
        return (int) Math.min(Integer.MAX_VALUE, n);
    }
}

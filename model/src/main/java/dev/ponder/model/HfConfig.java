package dev.ponder.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}. Each supported architecture maps
 * its own key names here, once; everything downstream sees only {@link ModelConfig}.
 */
public final class HfConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Architecture class name -> reader of that architecture's config. */
    private static final Map<String, BiFunction<Fields, String, ModelConfig>> ARCHITECTURES = Map.of(
            "LlamaForCausalLM", HfConfig::llama,
            "InternLM3ForCausalLM", HfConfig::internLm3,
            "Qwen2ForCausalLM", HfConfig::qwen2);

    private HfConfig() {
    }

    public static ModelConfig read(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            throw ModelException.file(configJson, "missing (a checkpoint directory needs config.json)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (IOException e) {
            throw ModelException.file(configJson, "malformed JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ModelException.file(configJson, "malformed JSON: expected an object");
        }
        Fields f = new Fields(configJson, root);
        JsonNode archs = root.get("architectures");
        if (archs == null || !archs.isArray() || archs.isEmpty()) {
            throw ModelException.field(configJson, "architectures", "is missing; expected one of " + ARCHITECTURES.keySet());
        }
        String arch = archs.get(0).asText();
        var reader = ARCHITECTURES.get(arch);
        if (reader == null) {
            throw ModelException.field(configJson, "architectures",
                    "names unsupported architecture '" + arch + "'; supported: " + ARCHITECTURES.keySet());
        }
        return reader.apply(f, arch);
    }

    /** LlamaForCausalLM: attention_bias covers q, k, v and o; mlp_bias the MLP. */
    private static ModelConfig llama(Fields f, String arch) {
        boolean attnBias = f.bool("attention_bias", false);
        return common(f, arch, attnBias, attnBias, f.bool("mlp_bias", false), f.bool("tie_word_embeddings", false));
    }

    /** InternLM3ForCausalLM: qkv_bias for q/k/v, bias for o_proj; the MLP has none. */
    private static ModelConfig internLm3(Fields f, String arch) {
        return common(f, arch, f.bool("qkv_bias", false), f.bool("bias", false), false,
                f.bool("tie_word_embeddings", false));
    }

    /** Qwen2ForCausalLM: q/k/v always carry a bias, o_proj and the MLP never. */
    private static ModelConfig qwen2(Fields f, String arch) {
        if (f.bool("use_sliding_window", false)) {
            throw ModelException.field(f.file, "use_sliding_window", "is true; sliding-window attention is not supported");
        }
        return common(f, arch, true, false, false, f.bool("tie_word_embeddings", false));
    }

    private static ModelConfig common(Fields f, String arch, boolean qkvBias, boolean outputBias, boolean mlpBias,
                                      boolean tie) {
        String act = f.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw ModelException.field(f.file, "hidden_act", "is '" + act + "'; only silu (SwiGLU) is supported");
        }
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = f.root.has("num_key_value_heads") && !f.root.get("num_key_value_heads").isNull()
                ? f.positiveInt("num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw ModelException.field(f.file, "num_key_value_heads", "(" + kvHeads
                    + ") must divide num_attention_heads (" + heads + ")");
        }
        int headDim = f.root.hasNonNull("head_dim") ? f.positiveInt("head_dim") : hidden / heads;
        if (headDim % 2 != 0) {
            throw ModelException.field(f.file, "head_dim", "must be even for rotary embeddings, is " + headDim);
        }
        return new ModelConfig(arch,
                f.positiveInt("vocab_size"), hidden, f.positiveInt("intermediate_size"),
                f.positiveInt("num_hidden_layers"), heads, kvHeads, headDim,
                f.number("rms_norm_eps", 1e-6), f.number("rope_theta", 10000.0), ropeScaling(f),
                f.root.hasNonNull("max_position_embeddings") ? f.positiveInt("max_position_embeddings") : 2048,
                tie, qkvBias, outputBias, mlpBias);
    }

    /** rope_scaling: null, or {type|rope_type: linear|dynamic|llama3|default, factor, ...}. */
    private static RopeScaling ropeScaling(Fields f) {
        JsonNode s = f.root.get("rope_scaling");
        if (s == null || s.isNull()) {
            return RopeScaling.NONE;
        }
        if (!s.isObject()) {
            throw ModelException.field(f.file, "rope_scaling", "must be an object or null");
        }
        JsonNode typeNode = s.has("rope_type") ? s.get("rope_type") : s.get("type");
        String type = typeNode == null ? "" : typeNode.asText();
        double factor = s.path("factor").asDouble(1.0);
        switch (type) {
            case "default":
                return RopeScaling.NONE;
            case "linear":
                return RopeScaling.linear(factor);
            case "dynamic":
                return RopeScaling.dynamic(factor);
            case "llama3":
                return new RopeScaling(RopeScaling.Type.LLAMA3, factor,
                        s.path("low_freq_factor").asDouble(1.0), s.path("high_freq_factor").asDouble(4.0),
                        s.path("original_max_position_embeddings").asInt(8192));
            default:
                throw ModelException.field(f.file, "rope_scaling.type",
                        "is '" + type + "'; supported: default, linear, dynamic, llama3");
        }
    }

    /** Typed access to config fields with messages naming the file and field. */
    private record Fields(Path file, JsonNode root) {

        int positiveInt(String name) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                throw ModelException.field(file, name, "is missing");
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
                throw ModelException.field(file, name, "must be a positive integer, is " + n);
            }
            return n.asInt();
        }

        double number(String name, double dflt) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isNumber()) {
                throw ModelException.field(file, name, "must be a number, is " + n);
            }
            return n.asDouble();
        }

        boolean bool(String name, boolean dflt) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isBoolean()) {
                throw ModelException.field(file, name, "must be true or false, is " + n);
            }
            return n.asBoolean();
        }

        String text(String name, String dflt) {
            JsonNode n = root.get(name);
            return n == null || n.isNull() ? dflt : n.asText();
        }
    }
}

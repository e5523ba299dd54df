package dev.ponder.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.RopeScaling;
import dev.ponder.model.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link Weights} as a Hugging Face checkpoint: {@code config.json} in the architecture's own
 * spelling, and the tensors under their Hugging Face names (fused q|k|v and gate|up split back), in one
 * {@code model.safetensors} or in shards with {@code model.safetensors.index.json}.
 */
public final class CheckpointWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointWriter() {
    }

    /**
     * Every tensor a checkpoint of {@code c} holds, by Hugging Face name, with its shape, in the order
     * {@link #tensors} writes them (for writers that stream weights they never hold, like random benchmark weights).
     */
    public static Map<String, long[]> shapes(ModelConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = c.kvWidth();
        long inter = c.intermediateSize();
        out.put("model.embed_tokens.weight", new long[] {c.vocabSize(), d});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            out.put(p + "self_attn.q_proj.weight", new long[] {q, d});
            out.put(p + "self_attn.k_proj.weight", new long[] {kv, d});
            out.put(p + "self_attn.v_proj.weight", new long[] {kv, d});
            if (c.qkvBias()) {
                out.put(p + "self_attn.q_proj.bias", new long[] {q});
                out.put(p + "self_attn.k_proj.bias", new long[] {kv});
                out.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            out.put(p + "self_attn.o_proj.weight", new long[] {d, q});
            if (c.outputBias()) {
                out.put(p + "self_attn.o_proj.bias", new long[] {d});
            }
            out.put(p + "mlp.gate_proj.weight", new long[] {inter, d});
            out.put(p + "mlp.up_proj.weight", new long[] {inter, d});
            if (c.mlpBias()) {
                out.put(p + "mlp.gate_proj.bias", new long[] {inter});
                out.put(p + "mlp.up_proj.bias", new long[] {inter});
            }
            out.put(p + "mlp.down_proj.weight", new long[] {d, inter});
            if (c.mlpBias()) {
                out.put(p + "mlp.down_proj.bias", new long[] {d});
            }
            out.put(p + "input_layernorm.weight", new long[] {d});
            out.put(p + "post_attention_layernorm.weight", new long[] {d});
        }
        out.put("model.norm.weight", new long[] {d});
        if (!c.tieEmbeddings()) {
            out.put("lm_head.weight", new long[] {c.vocabSize(), d});
        }
        return out;
    }

    /** Tensors by Hugging Face name, row-major float data with shapes. */
    public static Map<String, Tensor> tensors(ModelConfig c, Weights w) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int d = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.kvWidth();
        int inter = c.intermediateSize();
        out.put("model.embed_tokens.weight", Tensor.of(w.embed()));
        for (int i = 0; i < c.numLayers(); i++) {
            Weights.Layer l = w.layers().get(i);
            String p = "model.layers." + i + ".";
            float[] qkv = l.wqkv().toFloatArray();
            out.put(p + "self_attn.q_proj.weight", Tensor.slice(qkv, 0, q, d));
            out.put(p + "self_attn.k_proj.weight", Tensor.slice(qkv, q, kv, d));
            out.put(p + "self_attn.v_proj.weight", Tensor.slice(qkv, q + kv, kv, d));
            if (l.bqkv() != null) {
                float[] b = l.bqkv().toFloatArray();
                out.put(p + "self_attn.q_proj.bias", Tensor.slice(b, 0, q, 1).flat());
                out.put(p + "self_attn.k_proj.bias", Tensor.slice(b, q, kv, 1).flat());
                out.put(p + "self_attn.v_proj.bias", Tensor.slice(b, q + kv, kv, 1).flat());
            }
            out.put(p + "self_attn.o_proj.weight", Tensor.of(l.wo()));
            if (l.bo() != null) {
                out.put(p + "self_attn.o_proj.bias", Tensor.of(l.bo()));
            }
            float[] gu = l.wGateUp().toFloatArray();
            out.put(p + "mlp.gate_proj.weight", Tensor.slice(gu, 0, inter, d));
            out.put(p + "mlp.up_proj.weight", Tensor.slice(gu, inter, inter, d));
            if (l.bGateUp() != null) {
                float[] b = l.bGateUp().toFloatArray();
                out.put(p + "mlp.gate_proj.bias", Tensor.slice(b, 0, inter, 1).flat());
                out.put(p + "mlp.up_proj.bias", Tensor.slice(b, inter, inter, 1).flat());
            }
            out.put(p + "mlp.down_proj.weight", Tensor.of(l.wDown()));
            if (l.bDown() != null) {
                out.put(p + "mlp.down_proj.bias", Tensor.of(l.bDown()));
            }
            out.put(p + "input_layernorm.weight", Tensor.of(l.attnNorm()));
            out.put(p + "post_attention_layernorm.weight", Tensor.of(l.mlpNorm()));
        }
        out.put("model.norm.weight", Tensor.of(w.finalNorm()));
        if (!c.tieEmbeddings()) {
            out.put("lm_head.weight", Tensor.of(w.lmHead()));
        }
        return out;
    }

    /**
     * Writes config.json and the weights into {@code dir}.
     *
     * @param dtype  F32, F16 or BF16 storage
     * @param shards 1 for model.safetensors, more for model-0000N-of-0000M.safetensors plus an index
     */
    public static void write(Path dir, ModelConfig c, Weights w, String dtype, int shards) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), configJson(c, dtype));
        Map<String, Tensor> all = tensors(c, w);
        if (shards <= 1) {
            SafeTensorsWriter out = new SafeTensorsWriter(dtype);
            all.forEach((name, t) -> out.add(name, t.shape(), t.data()));
            out.write(dir.resolve("model.safetensors"));
            return;
        }
        List<String> names = new ArrayList<>(all.keySet());
        ObjectNode index = JSON.createObjectNode();
        ObjectNode map = JSON.createObjectNode();
        long total = 0;
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            SafeTensorsWriter out = new SafeTensorsWriter(dtype);
            for (int i = s; i < names.size(); i += shards) {
                Tensor t = all.get(names.get(i));
                out.add(names.get(i), t.shape(), t.data());
                map.put(names.get(i), file);
            }
            total += out.dataBytes();
            out.write(dir.resolve(file));
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", map);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    }

    /** config.json as the architecture spells it. */
    public static ObjectNode configJson(ModelConfig c, String dtype) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add(c.architecture());
        boolean internlm3 = c.architecture().equals("InternLM3ForCausalLM");
        boolean qwen2 = c.architecture().equals("Qwen2ForCausalLM");
        n.put("model_type", internlm3 ? "internlm3" : qwen2 ? "qwen2" : "llama");
        n.put("vocab_size", c.vocabSize());
        n.put("hidden_size", c.hiddenSize());
        n.put("intermediate_size", c.intermediateSize());
        n.put("num_hidden_layers", c.numLayers());
        n.put("num_attention_heads", c.numHeads());
        n.put("num_key_value_heads", c.numKvHeads());
        n.put("head_dim", c.headDim());
        n.put("hidden_act", "silu");
        n.put("rms_norm_eps", c.rmsNormEps());
        n.put("rope_theta", c.ropeTheta());
        n.put("max_position_embeddings", c.maxPositions());
        n.put("tie_word_embeddings", c.tieEmbeddings());
        if (internlm3) {
            n.put("qkv_bias", c.qkvBias());
            n.put("bias", c.outputBias());
        } else if (!qwen2) {
            n.put("attention_bias", c.qkvBias());
            n.put("mlp_bias", c.mlpBias());
        }
        RopeScaling s = c.ropeScaling();
        if (s.type() == RopeScaling.Type.NONE) {
            n.putNull("rope_scaling");
        } else {
            ObjectNode r = n.putObject("rope_scaling");
            r.put("rope_type", s.type().name().toLowerCase());
            r.put("factor", s.factor());
            if (s.type() == RopeScaling.Type.LLAMA3) {
                r.put("low_freq_factor", s.lowFreqFactor());
                r.put("high_freq_factor", s.highFreqFactor());
                r.put("original_max_position_embeddings", s.originalMaxPositions());
            }
        }
        n.put("torch_dtype", switch (dtype) {
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            default -> "float32";
        });
        return n;
    }

    /** A tensor on the host. */
    public record Tensor(long[] shape, float[] data) {

        static Tensor of(NDArray a) {
            return new Tensor(a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray());
        }

        /** {@code rows} rows of width {@code width} starting at row {@code from}. */
        static Tensor slice(float[] data, int from, int rows, int width) {
            float[] out = new float[rows * width];
            System.arraycopy(data, from * width, out, 0, out.length);
            return new Tensor(new long[] {rows, width}, out);
        }

        Tensor flat() {
            return new Tensor(new long[] {data.length}, data);
        }
    }
}

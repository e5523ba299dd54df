package dev.ponder.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.PromptProfile;
import dev.ponder.model.checkpoint.SafeTensors;
import dev.ponder.model.checkpoint.SafeTensorsWriter;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a trained model as a Hugging Face Llama directory that {@code HfConfig.read} + {@code WeightsLoader.load}
 * (and transformers) read as is: config.json, generation_config.json, model.safetensors with HF tensor
 * names (fused q|k|v and gate|up split back), the tokenizer files and ponder.json.
 */
public final class HfExport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfExport() {
    }

    public static void write(Path dir, ModelConfig c, Map<String, float[]> p, CharTokenizer tok, String storage)
            throws IOException {
        write(dir, c, p, tok, storage, 0, null);
    }

    /**
     * As {@link #write(Path, ModelConfig, Map, CharTokenizer, String)}, with {@code checkReasoningTokens} (above 0) as
     * ponder.json's {@code selfCheck.reasoningTokens}: for a model trained to recompute before its verdict, and
     * {@code answerCheck} (null: none) as its {@code answerCheck}: for a model trained on fresh-context answer checks.
     */
    public static void write(Path dir, ModelConfig c, Map<String, float[]> p, CharTokenizer tok, String storage,
                             int checkReasoningTokens, PromptProfile.AnswerCheck answerCheck)
            throws IOException {
        Files.createDirectories(dir);
        int d = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.kvWidth();
        int inter = c.intermediateSize();
        SafeTensorsWriter st = new SafeTensorsWriter(storage);
        st.add("model.embed_tokens.weight", new long[] {c.vocabSize(), d}, p.get("embed"));
        for (int l = 0; l < c.numLayers(); l++) {
            String n = "layers." + l + ".";
            String h = "model.layers." + l + ".";
            float[] qkv = p.get(n + "wqkv");
            float[] gu = p.get(n + "wGateUp");
            st.add(h + "input_layernorm.weight", new long[] {d}, p.get(n + "attnNorm"));
            st.add(h + "self_attn.q_proj.weight", new long[] {q, d}, rows(qkv, d, 0, q));
            st.add(h + "self_attn.k_proj.weight", new long[] {kv, d}, rows(qkv, d, q, q + kv));
            st.add(h + "self_attn.v_proj.weight", new long[] {kv, d}, rows(qkv, d, q + kv, q + 2 * kv));
            st.add(h + "self_attn.o_proj.weight", new long[] {d, q}, p.get(n + "wo"));
            st.add(h + "post_attention_layernorm.weight", new long[] {d}, p.get(n + "mlpNorm"));
            st.add(h + "mlp.gate_proj.weight", new long[] {inter, d}, rows(gu, d, 0, inter));
            st.add(h + "mlp.up_proj.weight", new long[] {inter, d}, rows(gu, d, inter, 2 * inter));
            st.add(h + "mlp.down_proj.weight", new long[] {d, inter}, p.get(n + "wDown"));
        }
        st.add("model.norm.weight", new long[] {d}, p.get("finalNorm"));
        st.write(dir.resolve("model.safetensors"));

        int eos = tok.id(ChatFormat.IM_END);
        int bos = tok.id(ChatFormat.BOS);
        ObjectNode cfg = JSON.createObjectNode();
        cfg.putArray("architectures").add("LlamaForCausalLM");
        cfg.put("model_type", "llama");
        cfg.put("vocab_size", c.vocabSize());
        cfg.put("hidden_size", d);
        cfg.put("intermediate_size", inter);
        cfg.put("num_hidden_layers", c.numLayers());
        cfg.put("num_attention_heads", c.numHeads());
        cfg.put("num_key_value_heads", c.numKvHeads());
        cfg.put("head_dim", c.headDim());
        cfg.put("hidden_act", "silu");
        cfg.put("max_position_embeddings", c.maxPositions());
        cfg.put("rms_norm_eps", c.rmsNormEps());
        cfg.put("rope_theta", c.ropeTheta());
        cfg.putNull("rope_scaling");
        cfg.put("attention_bias", false);
        cfg.put("mlp_bias", false);
        cfg.put("tie_word_embeddings", true);
        cfg.put("bos_token_id", bos);
        cfg.put("eos_token_id", eos);
        cfg.put("pad_token_id", tok.id("</s>"));
        cfg.put("initializer_range", 0.02);
        cfg.put("torch_dtype", switch (storage) {
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            default -> "float32";
        });
        JSON.writeValue(dir.resolve("config.json").toFile(), cfg);

        ObjectNode gen = JSON.createObjectNode();
        gen.put("bos_token_id", bos);
        gen.put("eos_token_id", eos);
        gen.put("pad_token_id", tok.id("</s>"));
        gen.put("do_sample", false);
        JSON.writeValue(dir.resolve("generation_config.json").toFile(), gen);

        ObjectNode ponder = JSON.createObjectNode();
        ponder.putNull("systemPrompt");
        ponder.put("stepDelimiter", "\n");
        ponder.putObject("selfCheck").put("suffix", ChatFormat.SELF_CHECK_SUFFIX).put("yes", "yes").put("no", "no");
        if (checkReasoningTokens > 0) {
            ((ObjectNode) ponder.get("selfCheck")).put("reasoningTokens", checkReasoningTokens);
        }
        if (answerCheck != null) {
            ponder.putObject("answerCheck").put("prompt", answerCheck.prompt()).put("reasoningTokens", answerCheck.reasoningTokens());
        }
        JSON.writeValue(dir.resolve("ponder.json").toFile(), ponder);

        tok.write(dir);
    }

    /**
     * The inverse of {@link #write}: the trainer's named float32 parameters ({@link TinyLlama#shapes}) from a
     * single-file checkpoint of a tied-embedding Llama without biases (F16 and BF16 storage widened), e.g. to
     * fine-tune it.
     */
    public static Map<String, float[]> read(Path dir, ModelConfig c) {
        Map<String, SafeTensors.Entry> e = SafeTensors.index(dir.resolve("model.safetensors"));
        Map<String, float[]> p = new LinkedHashMap<>();
        p.put("embed", floats(e, "model.embed_tokens.weight"));
        for (int l = 0; l < c.numLayers(); l++) {
            String h = "model.layers." + l + ".";
            String n = "layers." + l + ".";
            p.put(n + "attnNorm", floats(e, h + "input_layernorm.weight"));
            p.put(n + "wqkv", concat(floats(e, h + "self_attn.q_proj.weight"), floats(e, h + "self_attn.k_proj.weight"),
                    floats(e, h + "self_attn.v_proj.weight")));
            p.put(n + "wo", floats(e, h + "self_attn.o_proj.weight"));
            p.put(n + "mlpNorm", floats(e, h + "post_attention_layernorm.weight"));
            p.put(n + "wGateUp", concat(floats(e, h + "mlp.gate_proj.weight"), floats(e, h + "mlp.up_proj.weight")));
            p.put(n + "wDown", floats(e, h + "mlp.down_proj.weight"));
        }
        p.put("finalNorm", floats(e, "model.norm.weight"));
        for (var s : TinyLlama.shapes(c).entrySet()) {
            if (p.get(s.getKey()).length != s.getValue().size()) {
                throw new IllegalArgumentException(dir + ": " + s.getKey() + " has " + p.get(s.getKey()).length
                        + " values, the config wants " + s.getValue());
            }
        }
        return p;
    }

    private static float[] floats(Map<String, SafeTensors.Entry> entries, String name) {
        SafeTensors.Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("checkpoint lacks tensor " + name);
        }
        float[] out = new float[(int) e.elementCount()];
        SafeTensors.readAsFloat32(e).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] a : parts) {
            n += a.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    // Rows [from, to) of a row-major matrix with `width` columns.
    private static float[] rows(float[] m, int width, int from, int to) {
        return Arrays.copyOfRange(m, from * width, to * width);
    }
}

package dev.ponder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.model.checkpoint.CheckpointWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a tiny checkpoint in InternLM3-8B-Instruct's own format: an {@code InternLM3ForCausalLM} config with
 * dynamic NTK RoPE (factor 6.0), bf16 weights in two safetensors shards with an index, the SentencePiece
 * {@code tokenizer.model} of the golden fixture plus InternLM3's chat tokens as added tokens, its ChatML
 * template, and a generation config ending on {@code <|im_end|>}. Weights are random (seeded).
 *
 * <p>{@code main} regenerates the committed copy in src/test/resources/models/internlm3-tiny.
 */
public final class InternLm3Fixture {

    /** InternLM3's chat template, as its tokenizer_config.json ships it. */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    static final String[] ADDED = {"<|im_start|>", "<|im_end|>", "<|action_start|>", "<|action_end|>"};
    static final int BASE_VOCAB = 640;

    public static ModelConfig config() {
        return new ModelConfig("InternLM3ForCausalLM", BASE_VOCAB + ADDED.length, 64, 160, 2, 4, 2, 16, 1e-5,
                50_000_000.0, RopeScaling.dynamic(6.0), 64, false, false, false, false);
    }

    public static void write(Path dir, long seed) throws IOException {
        ModelConfig c = config();
        Files.createDirectories(dir);
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(seed);
            List<Weights.Layer> layers = new ArrayList<>();
            int d = c.hiddenSize();
            for (int i = 0; i < c.numLayers(); i++) {
                layers.add(new Weights.Layer(norm(m, rnd, d), normal(m, rnd, 0.2, c.qkvWidth(), d), null,
                        normal(m, rnd, 0.2, d, c.numHeads() * c.headDim()), null, norm(m, rnd, d),
                        normal(m, rnd, 0.2, 2L * c.intermediateSize(), d), null,
                        normal(m, rnd, 0.2, d, c.intermediateSize()), null));
            }
            Weights w = new Weights(normal(m, rnd, 0.2, c.vocabSize(), d), layers, norm(m, rnd, d),
                    normal(m, rnd, 0.2, c.vocabSize(), d));
            CheckpointWriter.write(dir, c, w, "BF16", 2);
        }
        try (InputStream in = InternLm3Fixture.class.getResourceAsStream("/golden/sentencepiece-bpe/tokenizer.model")) {
            Files.copy(in, dir.resolve("tokenizer.model"), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode tc = json.createObjectNode();
        ObjectNode added = tc.putObject("added_tokens_decoder");
        String[] base = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < base.length; i++) {
            addedToken(added, i, base[i]);
        }
        for (int i = 0; i < ADDED.length; i++) {
            addedToken(added, BASE_VOCAB + i, ADDED[i]);
        }
        tc.put("add_bos_token", true);
        tc.put("add_eos_token", false);
        tc.put("bos_token", "<s>");
        tc.put("eos_token", "</s>");
        tc.put("unk_token", "<unk>");
        tc.putNull("pad_token");
        tc.put("chat_template", CHAT_TEMPLATE);
        tc.put("tokenizer_class", "InternLM3Tokenizer");
        tc.put("model_max_length", 64);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), tc);
        ObjectNode gen = json.createObjectNode();
        gen.put("bos_token_id", 1);
        gen.putArray("eos_token_id").add(2).add(BASE_VOCAB + 1);
        gen.put("do_sample", false);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("generation_config.json").toFile(), gen);
    }

    private static void addedToken(ObjectNode added, int id, String content) {
        ObjectNode t = added.putObject(Integer.toString(id));
        t.put("content", content);
        t.put("lstrip", false);
        t.put("normalized", false);
        t.put("rstrip", false);
        t.put("single_word", false);
        t.put("special", true);
    }

    private static NDArray normal(NDManager m, Random rnd, double std, long rows, long cols) {
        float[] data = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rnd.nextGaussian() * std);
        }
        return m.create(data, new Shape(rows, cols));
    }

    private static NDArray norm(NDManager m, Random rnd, int d) {
        float[] data = new float[d];
        for (int i = 0; i < d; i++) {
            data[i] = (float) (1 + 0.2 * rnd.nextGaussian());
        }
        return m.create(data, new Shape(d));
    }

    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args.length > 0 ? args[0] : "src/test/resources/models/internlm3-tiny");
        write(out, 3);
        System.out.println("wrote " + out.toAbsolutePath());
    }
}

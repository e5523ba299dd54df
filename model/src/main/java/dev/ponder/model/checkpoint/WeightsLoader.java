package dev.ponder.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.ModelException;
import dev.ponder.model.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Loads Hugging Face tensor names ({@code model.layers.N.self_attn.q_proj.weight}, ...) from
 * {@code model.safetensors} or the shards of {@code model.safetensors.index.json} into {@link Weights}.
 * bf16 and f16 tensors are widened to float32 while reading (the PyTorch JNI has no bf16 type).
 */
public final class WeightsLoader {

    private static final Logger LOG = Logger.getLogger(WeightsLoader.class);

    /** Bytes and shards read so far (null when the loader is used without {@link #load}). */
    private LoadProgress progress;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SafeTensors.Entry> entries;
    private final NDManager manager;
    private final DataType dtype;

    private WeightsLoader(Map<String, SafeTensors.Entry> entries, NDManager manager, DataType dtype) {
        this.entries = entries;
        this.manager = manager;
        this.dtype = dtype;
    }

    /** Every tensor entry of a checkpoint directory, single file or sharded. */
    public static Map<String, SafeTensors.Entry> entries(Path dir) {
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        Map<String, SafeTensors.Entry> all = new HashMap<>();
        if (Files.isRegularFile(single)) {
            all.putAll(SafeTensors.index(single));
        } else if (Files.isRegularFile(index)) {
            JsonNode map;
            try {
                map = JSON.readTree(index.toFile()).get("weight_map");
            } catch (IOException e) {
                throw ModelException.file(index, "malformed JSON: " + e.getMessage());
            }
            if (map == null || !map.isObject()) {
                throw ModelException.field(index, "weight_map", "is missing");
            }
            TreeSet<String> shards = new TreeSet<>();
            for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                shards.add(it.next().asText());
            }
            for (String shard : shards) {
                Path p = dir.resolve(shard);
                if (!Files.isRegularFile(p)) {
                    throw ModelException.field(index, "weight_map", "names shard " + shard + ", which is missing");
                }
                all.putAll(SafeTensors.index(p));
            }
        } else {
            throw ModelException.file(dir, "has neither model.safetensors nor model.safetensors.index.json");
        }
        return all;
    }

    public static Weights load(Path dir, ModelConfig c, NDManager manager, DataType dtype) {
        Map<String, SafeTensors.Entry> all = entries(dir);
        String stored = dtype == DataType.FLOAT16 ? "F16" : "F32";
        var converted = all.values().stream().map(SafeTensors.Entry::dtype).filter(t -> !t.equals(stored)).distinct().toList();
        if (!converted.isEmpty()) {
            LOG.infof("Checkpoint %s stores %s weights: converting them to %s while loading", dir, converted, dtype);
        }
        WeightsLoader loader = new WeightsLoader(all, manager, dtype);
        loader.progress = LoadProgress.start(all.values(), LOG::info);
        return loader.build(c);
    }

    private Weights build(ModelConfig c) {
        int d = c.hiddenSize();
        NDArray embed = tensor("model.embed_tokens.weight", c.vocabSize(), d);
        List<Weights.Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            int q = c.numHeads() * c.headDim();
            int kv = c.kvWidth();
            NDArray wqkv = concat(tensor(p + "self_attn.q_proj.weight", q, d),
                    tensor(p + "self_attn.k_proj.weight", kv, d), tensor(p + "self_attn.v_proj.weight", kv, d));
            NDArray bqkv = c.qkvBias() ? concat(tensor(p + "self_attn.q_proj.bias", q),
                    tensor(p + "self_attn.k_proj.bias", kv), tensor(p + "self_attn.v_proj.bias", kv)) : null;
            NDArray gateUp = concat(tensor(p + "mlp.gate_proj.weight", c.intermediateSize(), d),
                    tensor(p + "mlp.up_proj.weight", c.intermediateSize(), d));
            NDArray bGateUp = c.mlpBias() ? concat(tensor(p + "mlp.gate_proj.bias", c.intermediateSize()),
                    tensor(p + "mlp.up_proj.bias", c.intermediateSize())) : null;
            layers.add(new Weights.Layer(
                    tensor(p + "input_layernorm.weight", d), wqkv, bqkv,
                    tensor(p + "self_attn.o_proj.weight", d, q), c.outputBias() ? tensor(p + "self_attn.o_proj.bias", d) : null,
                    tensor(p + "post_attention_layernorm.weight", d), gateUp, bGateUp,
                    tensor(p + "mlp.down_proj.weight", d, c.intermediateSize()),
                    c.mlpBias() ? tensor(p + "mlp.down_proj.bias", d) : null));
        }
        NDArray norm = tensor("model.norm.weight", d);
        NDArray head = c.tieEmbeddings() && !entries.containsKey("lm_head.weight") ? embed
                : tensor("lm_head.weight", c.vocabSize(), d);
        return new Weights(embed, List.copyOf(layers), norm, head);
    }

    private NDArray tensor(String name, long... shape) {
        SafeTensors.Entry e = entries.get(name);
        if (e == null) {
            throw new ModelException("checkpoint lacks tensor '" + name + "' (expected shape " + new Shape(shape) + ")");
        }
        if (!new Shape(e.shape()).equals(new Shape(shape))) {
            throw ModelException.field(e.file(), name, "has shape " + new Shape(e.shape()) + ", config.json implies " + new Shape(shape));
        }
        long rows = shape[0];
        long rowElements = e.elementCount() / Math.max(1, rows);
        long perChunk = Math.max(1, chunkBytes / (4 * Math.max(1, rowElements)));
        NDArray out;
        if (perChunk >= rows) {
            out = part(e, 0, rows, rowElements, shape);
        } else {
            // too big for one float32 buffer: row blocks, each in the serving precision, then joined
            List<NDArray> parts = new ArrayList<>();
            for (long r = 0; r < rows; r += perChunk) {
                parts.add(part(e, r, Math.min(perChunk, rows - r), rowElements, shape));
            }
            out = concat(parts.toArray(NDArray[]::new));
        }
        if (progress != null) {
            progress.read(e);
        }
        return out;
    }

    /** Largest float32 buffer read at once (a direct buffer holds at most 2 GiB); tests lower it. */
    static long chunkBytes = 1L << 30;

    /** Rows {@code [from, from + rows)} of a tensor of {@code shape}, in the serving precision. */
    private NDArray part(SafeTensors.Entry e, long from, long rows, long rowElements, long[] shape) {
        long[] partShape = shape.clone();
        partShape[0] = rows;
        if (dtype == DataType.FLOAT16 && e.dtype().equals("F16")) {
            // stored as computed: no float32 detour
            return manager.create(SafeTensors.readFloat16(e, from * rowElements, rows * rowElements),
                    new Shape(partShape), DataType.FLOAT16);
        }
        NDArray a = manager.create(SafeTensors.readAsFloat32(e, from * rowElements, rows * rowElements),
                new Shape(partShape), DataType.FLOAT32);
        if (dtype == DataType.FLOAT32) {
            return a;
        }
        NDArray converted = a.toType(dtype, false);
        a.close();   // the float32 copy would otherwise live as long as the model's manager
        return converted;
    }

    private NDArray concat(NDArray... parts) {
        NDArray out = NDArrays.concat(new NDList(parts), 0);
        for (NDArray p : parts) {
            p.close();
        }
        return out;
    }
}

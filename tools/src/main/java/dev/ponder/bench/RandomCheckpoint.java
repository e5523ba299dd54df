package dev.ponder.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.checkpoint.CheckpointWriter;
import dev.ponder.model.checkpoint.SafeTensorsStream;
import dev.ponder.progress.ProgressBar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A checkpoint with random weights in the exact shape of a real model, so that engine benchmarks on a GPU host need
 * no download: config.json as the architecture spells it, the weights in safetensors shards of at most 4 GiB (with
 * an index when there are several) and the embedded model's tokenizer, whose vocabulary fits any larger embedding.
 * Matrices are uniform (on 4096 levels) with the standard deviation 0.02 of the usual initialization, norm gains 1. Speed does not
 * depend on the values; the outputs are meaningless.
 *
 * <pre>
 * bin/run dev.ponder.bench.RandomCheckpoint internlm3-8b /models/random-internlm3-8b    # 17.6 GB
 * bin/run dev.ponder.bench.RandomCheckpoint llama-1b /tmp/random-1b                     # 2.5 GB
 * bin/run dev.ponder.bench.RandomCheckpoint path/to/config.json /tmp/random [F16|BF16] [seed]
 * </pre>
 */
@Command(name = "RandomCheckpoint", mixinStandardHelpOptions = true,
        description = "Writes a checkpoint with random weights in the exact shape of a real model (for GPU benchmarks).")
public final class RandomCheckpoint implements Callable<Integer> {

    /** Largest shard written. */
    static final long SHARD_BYTES = 4L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The half-width of a uniform distribution with standard deviation 0.02. */
    private static final float HALF_WIDTH = (float) (0.02 * Math.sqrt(3));

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<shape>", completionCandidates = Shapes.class,
            description = "a model shape (${COMPLETION-CANDIDATES}) or the path of a config.json")
    private String shape;

    @Parameters(index = "1", paramLabel = "<out-dir>", description = "the folder to write the checkpoint into")
    private Path out;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<F16|BF16>", defaultValue = "F16",
            description = "safetensors dtype of the weights (default: ${DEFAULT-VALUE})")
    private String dtype;

    @Parameters(index = "3", arity = "0..1", defaultValue = "1", description = "the random seed (default: ${DEFAULT-VALUE})")
    private long seed;

    private RandomCheckpoint() {
    }

    /** The names of {@link ModelShapes#BY_NAME}, sorted, for the help. */
    static final class Shapes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new TreeSet<>(ModelShapes.BY_NAME.keySet()).iterator();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RandomCheckpoint()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (!ModelShapes.BY_NAME.containsKey(shape) && !Files.exists(Path.of(shape))) {
            throw new ParameterException(spec.commandLine(), "Invalid value for <shape>: '" + shape
                    + "' is neither a model shape (" + String.join(", ", ModelShapes.BY_NAME.keySet()) + ") nor a file");
        }
        ModelConfig c = ModelShapes.BY_NAME.containsKey(shape) ? ModelShapes.BY_NAME.get(shape)
                : HfConfig.read(Path.of(shape));
        long bytes = write(out, c, dtype, seed, true);
        System.err.printf("wrote %s: %,d parameters, %.2f GB of %s weights%n", out, c.parameterCount(), bytes / 1e9, dtype);
        return 0;
    }

    /** Writes the checkpoint into {@code dir}; returns the bytes of weights. */
    public static long write(Path dir, ModelConfig c, String dtype, long seed, boolean progress) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(),
                CheckpointWriter.configJson(c, dtype));
        copyTokenizer(dir);
        Map<String, long[]> shapes = CheckpointWriter.shapes(c);
        List<Map<String, long[]>> shards = shards(shapes, 2);
        ProgressBar bar = progress ? new ProgressBar(System.err, 1) : null;
        long t0 = System.nanoTime();
        Map<String, Integer> order = new LinkedHashMap<>();
        shapes.keySet().forEach(n -> order.put(n, order.size()));
        short[] levels = levels(dtype);
        short one = SafeTensorsStream.encode(1f, dtype);
        SafeTensorsStream.Source source = (name, from, out, n) -> fill(seed, order.get(name), name, from, out, n, levels, one);
        long total = 0;
        ObjectNode map = JSON.createObjectNode();
        for (int s = 0; s < shards.size(); s++) {
            String file = shards.size() == 1 ? "model.safetensors"
                    : String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
            total += SafeTensorsStream.write(dir.resolve(file), dtype, shards.get(s), source);
            shards.get(s).keySet().forEach(n -> map.put(n, file));
            if (bar != null) {
                bar.update("random weights", s + 1, shards.size(), String.format("%.1f GB", total / 1e9), t0);
            }
        }
        if (shards.size() > 1) {
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", total);
            index.set("weight_map", map);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
        }
        return total;
    }

    /** Tensors in order, cut into shards of at most {@link #SHARD_BYTES} (a larger tensor gets a shard of its own). */
    static List<Map<String, long[]>> shards(Map<String, long[]> shapes, int width) {
        List<Map<String, long[]>> out = new ArrayList<>();
        Map<String, long[]> cur = new LinkedHashMap<>();
        long bytes = 0;
        for (var e : shapes.entrySet()) {
            long b = SafeTensorsStream.elements(e.getValue()) * width;
            if (!cur.isEmpty() && bytes + b > SHARD_BYTES) {
                out.add(cur);
                cur = new LinkedHashMap<>();
                bytes = 0;
            }
            cur.put(e.getKey(), e.getValue());
            bytes += b;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** 4096 evenly spaced values in +-HALF_WIDTH, encoded: drawing among them is uniform to 12 bits, and fast. */
    private static short[] levels(String dtype) {
        short[] out = new short[4096];
        for (int i = 0; i < out.length; i++) {
            out[i] = SafeTensorsStream.encode((float) ((2 * (i + 0.5) / out.length - 1) * HALF_WIDTH), dtype);
        }
        return out;
    }

    /** Norm gains are 1; everything else drawn among {@code levels} from a stream of its own (seed, tensor, chunk). */
    private static void fill(long seed, int tensor, String name, long from, ShortBuffer out, int n, short[] levels,
                             short one) {
        if (name.endsWith("norm.weight")) {
            for (int i = 0; i < n; i++) {
                out.put(one);
            }
            return;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + tensor * 0xBF58476D1CE4E5B9L + from);
        short[] chunk = new short[n];
        for (int i = 0; i < n; ) {
            long bits = rnd.nextLong();
            for (int j = 0; j < 5 && i < n; j++, i++, bits >>>= 12) {
                chunk[i] = levels[(int) (bits & 4095)];
            }
        }
        out.put(chunk, 0, n);
    }

    /** The embedded model's tokenizer files (its 377 tokens are ids of any larger vocabulary). */
    private static void copyTokenizer(Path dir) throws IOException {
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            try (InputStream in = RandomCheckpoint.class.getResourceAsStream("/models/ponder-tiny/" + f)) {
                if (in == null) {
                    throw new IOException("the embedded model's " + f + " is not on the class path");
                }
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}

package dev.ponder.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.model.checkpoint.SafeTensors;
import dev.ponder.model.checkpoint.SafeTensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resumable state of a run, in one directory: {@code state.safetensors} (float32 weights and both AdamW
 * moments, exact), {@code state.json} (step, elapsed time, config, RNG), {@code tokenizer.json} (the
 * vocabulary) and {@code history.csv} (the loss curve so far). The RNG state is the pair (seed, step): every
 * batch is drawn from a stream seeded by both, so nothing else needs saving.
 */
public final class TrainState {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@link #load} returns. */
    public record Saved(int step, double elapsedSeconds, Map<String, String> config, Map<String, float[]> params,
                        Map<String, float[]> firstMoments, Map<String, float[]> secondMoments,
                        List<Trainer.Row> history, CharTokenizer tokenizer) {
    }

    private TrainState() {
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve("state.json")) && Files.isRegularFile(dir.resolve("state.safetensors"));
    }

    public static void save(Path dir, TrainConfig cfg, CharTokenizer tok, Map<String, float[]> params, AdamW adam,
                            int step, double elapsed, List<Trainer.Row> history) throws IOException {
        Files.createDirectories(dir);
        SafeTensorsWriter st = new SafeTensorsWriter("F32");
        var shapes = TinyLlama.shapes(TinyLlama.config(cfg, tok.vocabSize()));
        for (String prefix : List.of("p.", "m.", "v.")) {
            Map<String, float[]> src = prefix.equals("p.") ? params : prefix.equals("m.") ? adam.firstMoments() : adam.secondMoments();
            for (var e : shapes.entrySet()) {
                float[] a = src.getOrDefault(e.getKey(), new float[(int) e.getValue().size()]);
                st.add(prefix + e.getKey(), e.getValue().getShape(), a);
            }
        }
        // write to temporary names, then move, so an interrupted save leaves the previous state intact
        Path tmpTensors = dir.resolve("state.safetensors.tmp");
        st.write(tmpTensors);
        ObjectNode j = JSON.createObjectNode();
        j.put("step", step);
        j.put("adamSteps", adam.stepCount());
        j.put("elapsedSeconds", elapsed);
        j.put("rng", "batch of step s = TaskDatasets.stream(TRAIN, mix, splitmix64(seed, s)); init = SplittableRandom(seed)");
        ObjectNode c = j.putObject("config");
        cfg.asMap().forEach(c::put);
        Path tmpJson = dir.resolve("state.json.tmp");
        JSON.writeValue(tmpJson.toFile(), j);
        StringBuilder csv = new StringBuilder("step,train_loss,val_loss,lr,seconds\n");
        for (Trainer.Row r : history) {
            csv.append(r.step()).append(',').append(r.trainLoss()).append(',')
                    .append(Double.isNaN(r.valLoss()) ? "" : String.valueOf(r.valLoss())).append(',')
                    .append(r.lr()).append(',').append(r.seconds()).append('\n');
        }
        Files.writeString(dir.resolve("history.csv"), csv);
        tok.write(dir);
        Files.move(tmpTensors, dir.resolve("state.safetensors"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpJson, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Saved load(Path dir) throws IOException {
        JsonNode j = JSON.readTree(dir.resolve("state.json").toFile());
        Map<String, String> config = new LinkedHashMap<>();
        j.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        Map<String, float[]> p = new LinkedHashMap<>();
        Map<String, float[]> m = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        Map<String, SafeTensors.Entry> entries = new LinkedHashMap<>(SafeTensors.index(dir.resolve("state.safetensors")));
        CharTokenizer tok = CharTokenizer.read(dir.resolve("tokenizer.json"));
        TrainConfig cfg = TrainConfig.fromMap(config);
        for (String name : TinyLlama.shapes(TinyLlama.config(cfg, tok.vocabSize())).keySet()) {
            p.put(name, floats(entries.get("p." + name)));
            m.put(name, floats(entries.get("m." + name)));
            v.put(name, floats(entries.get("v." + name)));
        }
        int step = j.get("step").asInt();
        List<Trainer.Row> history = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("history.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            int s = Integer.parseInt(f[0]);
            if (s <= step) {
                history.add(new Trainer.Row(s, Double.parseDouble(f[1]), f[2].isEmpty() ? Double.NaN : Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            }
        }
        return new Saved(step, j.get("elapsedSeconds").asDouble(), config, p, m, v, history, tok);
    }

    private static float[] floats(SafeTensors.Entry e) {
        ByteBuffer b = SafeTensors.readAsFloat32(e).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) e.elementCount()];
        b.asFloatBuffer().get(out);
        return out;
    }
}

package dev.ponder.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.model.checkpoint.WeightsLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** A checkpoint from src/test/resources/golden with the reference outputs Hugging Face computed for it. */
record GoldenFixture(Path dir, ModelConfig config, JsonNode golden) {

    static GoldenFixture load(String name) {
        try {
            Path dir = Paths.get(GoldenFixture.class.getResource("/golden/" + name + "/config.json").toURI()).getParent();
            return new GoldenFixture(dir, HfConfig.read(dir.resolve("config.json")),
                    new ObjectMapper().readTree(dir.resolve("golden.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Transformer transformer(NDManager manager) {
        return new Transformer(config, WeightsLoader.load(dir, config, manager, DataType.FLOAT32));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Largest |a - b| between a [rows, V] JSON matrix and a flat row-major float array. */
    static double maxAbsDiff(JsonNode expected, float[] actual, int rowOffset, int vocab) {
        double max = 0;
        for (int r = 0; r < expected.size(); r++) {
            JsonNode row = expected.get(r);
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, Math.abs(row.get(v).asDouble() - actual[(rowOffset + r) * vocab + v]));
            }
        }
        return max;
    }
}

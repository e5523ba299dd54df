package dev.ponder.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Redraws load-memory.png and load-throughput.png from a committed {@code load.json}'s samples:
 * {@code bin/run dev.ponder.load.RedrawCharts docs/reliability}.
 */
public final class RedrawCharts {

    private RedrawCharts() {
    }

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (String dir : args) {
            Path out = Path.of(dir);
            List<Metrics.Sample> samples = new ArrayList<>();
            for (JsonNode n : json.readTree(out.resolve("load.json").toFile()).path("samples")) {
                samples.add(json.treeToValue(n, Metrics.Sample.class));
            }
            LoadReport.plots(out, samples);
            System.out.println("redrew " + out.resolve("load-memory.png") + " and load-throughput.png from " + samples.size() + " samples");
        }
    }
}

package dev.ponder.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.cli.ExistingPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Redraws load-memory.png and load-throughput.png from a committed {@code load.json}'s samples:
 * {@code bin/run dev.ponder.load.RedrawCharts docs/reliability}.
 */
@Command(name = "RedrawCharts", mixinStandardHelpOptions = true,
        description = "Redraws the memory and throughput charts of load runs from their load.json, without a service.")
public final class RedrawCharts implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "<dir>", converter = ExistingPath.class,
            description = "a folder holding a load.json (LoadHarness' report); the charts are written beside it")
    private List<Path> dirs;

    private RedrawCharts() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RedrawCharts()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (Path out : dirs) {
            List<Metrics.Sample> samples = new ArrayList<>();
            for (JsonNode n : json.readTree(out.resolve("load.json").toFile()).path("samples")) {
                samples.add(json.treeToValue(n, Metrics.Sample.class));
            }
            LoadReport.plots(out, samples);
            System.out.println("redrew " + out.resolve("load-memory.png") + " and load-throughput.png from " + samples.size() + " samples");
        }
        return 0;
    }
}

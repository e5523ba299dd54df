package dev.ponder.train;

import dev.ponder.cli.ExistingPath;
import dev.ponder.plot.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Draws the loss curve of a history.csv (train loss per step, validation loss per evaluation) as a PNG, headless:
 * {@code bin/run dev.ponder.train.LossPlot <history.csv> <out.png> [title]}.
 */
@Command(name = "LossPlot", mixinStandardHelpOptions = true,
        description = "Draws the loss curve of a training run's history.csv (train and validation loss) as a PNG.")
public final class LossPlot implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<history.csv>", converter = ExistingPath.class,
            description = "the trainer's history.csv (step, train loss, validation loss), in its state folder")
    private Path history;

    @Parameters(index = "1", paramLabel = "<out.png>", description = "the PNG to write")
    private Path png;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<title>", defaultValue = "ponder-tiny training loss",
            description = "the chart's title (default: ${DEFAULT-VALUE})")
    private String title;

    private LossPlot() {
    }

    public static void write(Path historyCsv, Path png, String title) throws IOException {
        List<double[]> train = new ArrayList<>();
        List<double[]> val = new ArrayList<>();
        List<String> lines = Files.readAllLines(historyCsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            train.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
            if (!f[2].isEmpty()) {
                val.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[2])});
            }
        }
        double maxLoss = Math.ceil(train.stream().mapToDouble(p -> p[1]).max().orElse(1));
        new Chart(title, "step", "loss (nats per target token)", false)
                .yRange(0, maxLoss)
                .yFormat(y -> String.format(Locale.ROOT, "%.1f", y))
                .add(new Chart.Series("train", train))
                .add(new Chart.Series("validation", val))
                .write(png);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LossPlot()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        write(history, png, title);
        return 0;
    }
}

package dev.ponder.train;

import dev.ponder.plot.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws the loss curve of a history.csv (train loss per step, validation loss per evaluation) as a PNG, headless. */
public final class LossPlot {

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

    /** {@code LossPlot <history.csv> <out.png> [title]}. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? args[2] : "ponder-tiny training loss");
    }
}

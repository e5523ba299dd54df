package dev.ponder.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.cli.ExistingPath;
import dev.ponder.plot.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A reliability diagram of the self-check from a {@code SelfCheckMining measure} result: per bin of predicted
 * P(yes), the fraction of chains-so-far that were actually right, for step lines and answer lines (by the line's own
 * check and, where measured, by the product of the checks along the chain so far) and whole chains (scored by the
 * geometric mean of their steps' checks, as beam ranks them), against the diagonal of a perfectly
 * calibrated judge.
 *
 * <p>Usage: {@code CalibrationPlot <measure.json> <out.png>}.
 */
@Command(name = "CalibrationPlot", mixinStandardHelpOptions = true,
        description = "Draws the self-check's reliability diagram from a SelfCheckMining measure result as a PNG.")
public final class CalibrationPlot implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<measure.json>", converter = ExistingPath.class,
            description = "the result SelfCheckMining measure wrote (its <out.json>)")
    private Path measure;

    @Parameters(index = "1", paramLabel = "<out.png>", description = "the PNG to write")
    private Path png;

    private CalibrationPlot() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CalibrationPlot()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        JsonNode m = new ObjectMapper().readTree(Files.readString(measure));
        Chart c = new Chart("Self-check calibration on the model's own validation chains", "predicted P(yes)",
                "fraction actually right", false)
                .add(new Chart.Series("perfect calibration", List.of(new double[] {0, 0}, new double[] {1, 1})))
                .add(series("step lines, the line's check (AUC " + m.at("/stepLines/auc").asText() + ")", m.at("/stepLines/calibration")))
                .add(series("answer lines, the line's check (AUC " + m.at("/answerLines/auc").asText() + ")", m.at("/answerLines/calibration")));
        if (m.has("stepLinesAlongChain")) {
            // measures since the along-chain scores were added: each line judged with the lines before it
            c.add(series("step lines, checks along the chain (AUC " + m.at("/stepLinesAlongChain/auc").asText() + ")",
                    m.at("/stepLinesAlongChain/calibration")))
                    .add(series("answer lines, checks along the chain (AUC " + m.at("/answerLinesAlongChain/auc").asText() + ")",
                            m.at("/answerLinesAlongChain/calibration")));
        }
        c.add(m.has("meanLogOverStepsCalibration")
                        ? series("whole chains, mean log over steps (AUC " + m.at("/meanLogOverStepsAucVsAnswerValid").asText()
                                + ")", m.at("/meanLogOverStepsCalibration"))
                        : series("whole chains, weakest step (AUC " + m.at("/minOverStepsAucVsAnswerValid").asText()
                                + ")", m.at("/minOverStepsCalibration")))
                .yRange(0, 1)
                .write(png);
        return 0;
    }

    private static Chart.Series series(String name, JsonNode bins) {
        List<double[]> points = new ArrayList<>();
        for (JsonNode b : bins) {
            points.add(new double[] {b.get("meanPredicted").asDouble(), b.get("fractionRight").asDouble()});
        }
        return new Chart.Series(name, points);
    }
}

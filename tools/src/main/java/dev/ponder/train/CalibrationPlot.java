package dev.ponder.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.plot.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reliability diagram of the self-check from a {@code SelfCheckMining measure} result: per bin of predicted
 * P(yes), the fraction of chains-so-far that were actually right, for step lines, answer lines and whole chains
 * (scored by the geometric mean of their steps' checks, as beam and best-of-n rank them), against the diagonal of
 * a perfectly calibrated judge.
 *
 * <p>Usage: {@code CalibrationPlot <measure.json> <out.png>}.
 */
public final class CalibrationPlot {

    private CalibrationPlot() {
    }

    public static void main(String[] args) throws IOException {
        JsonNode m = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        new Chart("Self-check calibration on the model's own validation chains", "predicted P(yes)",
                "fraction actually right", false)
                .add(new Chart.Series("perfect calibration", List.of(new double[] {0, 0}, new double[] {1, 1})))
                .add(series("step lines (AUC " + m.at("/stepLines/auc").asText() + ")", m.at("/stepLines/calibration")))
                .add(series("answer lines (AUC " + m.at("/answerLines/auc").asText() + ")", m.at("/answerLines/calibration")))
                .add(m.has("meanLogOverStepsCalibration")
                        ? series("whole chains, mean log over steps (AUC " + m.at("/meanLogOverStepsAucVsAnswerValid").asText()
                                + ")", m.at("/meanLogOverStepsCalibration"))
                        : series("whole chains, weakest step (AUC " + m.at("/minOverStepsAucVsAnswerValid").asText()
                                + ")", m.at("/minOverStepsCalibration")))
                .yRange(0, 1)
                .write(Path.of(args[1]));
    }

    private static Chart.Series series(String name, JsonNode bins) {
        List<double[]> points = new ArrayList<>();
        for (JsonNode b : bins) {
            points.add(new double[] {b.get("meanPredicted").asDouble(), b.get("fractionRight").asDouble()});
        }
        return new Chart.Series(name, points);
    }
}

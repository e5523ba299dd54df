package dev.ponder.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Redraws the accuracy charts of an eval folder from its committed {@code game24.jsonl}, without running the model:
 * {@code bin/run dev.ponder.eval.RedrawCharts docs/eval docs/eval/ponder-tiny-v1}.
 */
public final class RedrawCharts {

    private RedrawCharts() {
    }

    public static void main(String[] args) throws IOException {
        for (String dir : args) {
            Path out = Path.of(dir);
            Game24Report.charts(out, new ArrayList<>(Game24Eval.Results.read(out.resolve("game24.jsonl")).values()));
            System.out.println("redrew " + out.resolve("game24-accuracy-vs-budget.png") + " and game24-accuracy-vs-tokens.png");
        }
    }
}

package dev.ponder.eval;

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
 * Redraws the accuracy charts of an eval folder from its committed {@code game24.jsonl}, without running the model:
 * {@code bin/run dev.ponder.eval.RedrawCharts docs/eval docs/eval/ponder-tiny-v1}.
 */
@Command(name = "RedrawCharts", mixinStandardHelpOptions = true,
        description = "Redraws the Game-of-24 accuracy charts of eval folders from their game24.jsonl, without the model.")
public final class RedrawCharts implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "<dir>", converter = ExistingPath.class,
            description = "an eval folder holding a game24.jsonl (Game24Eval's results); the charts are written beside it")
    private List<Path> dirs;

    private RedrawCharts() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RedrawCharts()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        for (Path out : dirs) {
            Game24Report.charts(out, new ArrayList<>(Game24Eval.Results.read(out.resolve("game24.jsonl")).values()));
            System.out.println("redrew " + out.resolve("game24-accuracy-vs-budget.png") + " and game24-accuracy-vs-tokens.png");
        }
        return 0;
    }
}

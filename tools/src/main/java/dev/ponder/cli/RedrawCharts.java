package dev.ponder.cli;

import dev.ponder.eval.Game24Report;
import dev.ponder.load.LoadReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Redraws the charts of committed results without running anything: a Game-of-24 eval folder from its
 * {@code game24.jsonl}, a load run from its {@code load.json}.
 * {@code bin/run dev.ponder.cli.RedrawCharts docs/eval docs/eval/ponder-tiny-v1 docs/reliability}.
 */
@Command(name = "RedrawCharts", mixinStandardHelpOptions = true,
        description = "Redraws the charts of result folders from their committed data, without a model or a service:"
                + " Game-of-24 accuracy from game24.jsonl, load memory and throughput from load.json.")
public final class RedrawCharts implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "<dir>", converter = ExistingPath.class,
            description = "a folder holding a game24.jsonl (Game24Eval) or a load.json (LoadHarness); the charts are"
                    + " written beside it")
    private List<Path> dirs;

    private RedrawCharts() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RedrawCharts()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        for (Path dir : dirs) {
            boolean eval = Files.exists(dir.resolve("game24.jsonl"));
            boolean load = Files.exists(dir.resolve("load.json"));
            if (!eval && !load) {
                System.err.println(dir + " holds neither a game24.jsonl nor a load.json");
                return CommandLine.ExitCode.USAGE;
            }
            if (eval) {
                System.out.println(Game24Report.redraw(dir));
            }
            if (load) {
                System.out.println(LoadReport.redraw(dir));
            }
        }
        return 0;
    }
}

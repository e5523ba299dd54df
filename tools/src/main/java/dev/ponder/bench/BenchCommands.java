package dev.ponder.bench;

import java.nio.file.Path;

/** The commands that reproduce each benchmark, written into its report. */
final class BenchCommands {

    private BenchCommands() {
    }

    static String model(Path checkpoint) {
        return "bin/run dev.ponder.bench.ModelBenchmark "
                + checkpoint + " docs/benchmarks";
    }
}

package dev.ponder.train;

import dev.ponder.tasks.Example;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.TaskExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small fixed dataset and a 2-layer d=32 configuration shared by the trainer tests. */
final class TinyRun {

    static final List<TaskExample> DATA = List.of(
            new Example("Use 4 9 10 13 to make 24.", "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = 6 (left: 4 6)\n6 * 4 = 24 (left: 24)\n\\boxed{(10 - 4) * (13 - 9)}"),
            new Example("Use 1 2 3 4 to make 24.", "2 * 1 = 2 (left: 2 3 4)\n3 * 2 = 6 (left: 4 6)\n6 * 4 = 24 (left: 24)\n\\boxed{3 * (2 * 1) * 4}"),
            new Example("What is 12 * 7?", "12 * 7 = 84\n\\boxed{84}"),
            new Example("2的10次方是多少？", "2^2 = 4\n2^4 = 4^2 = 16\n2^8 = 16^2 = 256\n2^10 = 2^8 * 2^2 = 256 * 4 = 1024\n\\boxed{1024}"),
            new SelfCheckExample("Use 4 9 10 13 to make 24.", "13 - 9 = 4 (left: 4 4 10)\n", true),
            new SelfCheckExample("Use 4 9 10 13 to make 24.", "13 + 9 = 22 (left: 4 10 22)\n", false),
            new SelfCheckExample("What is 12 * 7?", "12 * 7 = 84\n", true),
            new SelfCheckExample("What is 12 * 7?", "12 * 7 = 74\n", false));

    private TinyRun() {
    }

    static CharTokenizer tokenizer() {
        List<String> texts = new ArrayList<>();
        DATA.forEach(e -> texts.add(String.join("", TokenizedExample.render(e))));
        return CharTokenizer.build(texts);
    }

    static TrainConfig config(Path out, Path state, int steps) {
        return TrainConfig.defaults().with("--dModel=32", "--layers=2", "--heads=4", "--kvHeads=2", "--intermediate=64",
                "--steps=" + steps, "--batchTokens=300", "--lr=1e-2", "--minLr=1e-3", "--warmup=3", "--evalInterval=5",
                "--samplePuzzles=0", "--seed=7", "--outDir=" + out, "--stateDir=" + state, "--storage=F32");
    }

    static Batches batches(CharTokenizer tok, TrainConfig cfg) {
        return Batches.fixed(DATA, DATA, tok, cfg.seed(), cfg.batchTokens());
    }
}

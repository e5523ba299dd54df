package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.tasks.Example;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of the model's own chains expert iteration keeps, and its files; no model is run. */
class OwnSolutionsTest {

    static final String USER = "Use 1 2 3 4 to make 24.";               // a training puzzle, not the benchmark's
    static final String RIGHT = "1 + 2 = 3 (left: 3 3 4)\n3 + 3 = 6 (left: 4 6)\n6 * 4 = 24 (left: 24)\n\\boxed{(1 + 2 + 3) * 4}";
    static final String OTHER = "4 * 3 = 12 (left: 1 2 12)\n1 + 1 = 2 (left: 2 12)\n12 * 2 = 24 (left: 24)\n\\boxed{4 * 3 * (1 + 1)}";
    static final String RIGHT2 = "4 * 3 = 12 (left: 1 2 12)\n2 * 1 = 2 (left: 2 12)\n12 * 2 = 24 (left: 24)\n\\boxed{4 * 3 * 2 * 1}";

    @Test
    void onlyFinishedChainsRightOnEveryLineAreKept() {
        assertTrue(OwnSolutions.right(new OwnChains.Sample(USER, RIGHT, true)));
        assertTrue(OwnSolutions.right(new OwnChains.Sample(USER, RIGHT + "\n", true)), "a trailing newline is harmless");
        assertFalse(OwnSolutions.right(new OwnChains.Sample(USER, RIGHT, false)), "cut at the length limit");
        assertFalse(OwnSolutions.right(new OwnChains.Sample(USER, OTHER, true)), "1 + 1 uses a number not on the board");
        String wrongBox = RIGHT.replace("\\boxed{(1 + 2 + 3) * 4}", "\\boxed{(1 + 2) * 3 * 4}");
        assertFalse(OwnSolutions.right(new OwnChains.Sample(USER, wrongBox, true)), "right steps, wrong box");
        String noBox = RIGHT.substring(0, RIGHT.lastIndexOf('\n'));
        assertFalse(OwnSolutions.right(new OwnChains.Sample(USER, noBox, true)), "no answer");
    }

    @Test
    void keepsDistinctRightChainsUpToTheCapPerPuzzleInSampleOrder() {
        String user2 = "Use 1 1 4 6 to make 24.";
        List<OwnChains.Sample> samples = List.of(
                new OwnChains.Sample(USER, OTHER, true),
                new OwnChains.Sample(USER, RIGHT, true),
                new OwnChains.Sample(USER, RIGHT + "\n", true),               // the same chain again
                new OwnChains.Sample(USER, RIGHT2, true),
                new OwnChains.Sample(USER, RIGHT.replace("3 + 3", "3 * 2"), true),
                new OwnChains.Sample(user2, "6 * 4 = 24 (left: 1 1 24)\n", true));
        assertEquals(List.of(new Example(USER, RIGHT), new Example(USER, RIGHT2)), OwnSolutions.keep(samples, 2));
        assertEquals(List.of(new Example(USER, RIGHT)), OwnSolutions.keep(samples, 1));
    }

    @Test
    void filesRoundTripBesideMinedSelfChecksAndRefuseBenchmarkPuzzles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("own.jsonl");
        OwnSolutions.write(f, List.of(new Example(USER, RIGHT)));
        Files.writeString(f, "{\"user\": \"" + USER + "\", \"chainSoFar\": \"1 + 1 = 2 (left: 2 3 4)\\n\", \"correct\": false}\n",
                java.nio.file.StandardOpenOption.APPEND);
        List<TaskExample> read = OwnSolutions.read(f);
        assertEquals(List.of(new Example(USER, RIGHT), new SelfCheckExample(USER, "1 + 1 = 2 (left: 2 3 4)\n", false)), read);

        Game24Puzzle bench = TaskDatasets.benchmarkPuzzles().get(0);
        String benchUser = Game24Chain.prompt(bench.numbers());
        Files.writeString(f, "{\"user\": \"" + benchUser + "\", \"assistant\": \"x\"}\n");
        assertThrows(IllegalArgumentException.class, () -> OwnSolutions.read(f));
        assertThrows(IllegalArgumentException.class, () -> OwnChains.trainingPrompts(List.of(bench), new Random(1)));
        List<Game24Puzzle> train = new TaskDatasets(TrainConfig.defaults().dataSeed()).puzzles(TaskDatasets.Split.TRAIN);
        assertEquals(train.size(), OwnChains.trainingPrompts(train, new Random(1)).size(), "every training puzzle may be solved");
    }
}

package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.tasks.Example;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Fresh-context answer checks: their text, their labels, and that no benchmark puzzle gets into them; no model is run. */
class AnswerChecksTest {

    static final String USER = "Use 1 3 3 3 to make 24.";               // a training puzzle, not the benchmark's

    @Test
    void aCheckRecomputesTheAnswerOneOperationALineThenComparesTheNumbers() {
        Example right = AnswerChecks.of(USER, "(3 * 3 - 1) * 3").orElseThrow();
        assertEquals(USER + "\ncheck (3 * 3 - 1) * 3", right.user());
        assertEquals("3 * 3 = 9\n9 - 1 = 8\n8 * 3 = 24\n1 3 3 3\n1 3 3 3\nyes", right.assistant());

        Example twice = AnswerChecks.of(USER, "3 * 3 * 1 * 1").orElseThrow();
        assertEquals("3 * 3 = 9\n9 * 1 = 9\n9 * 1 = 9\n1 1 3 3\n1 3 3 3\nno", twice.assistant());

        Example fraction = AnswerChecks.of("Use 1 7 12 13 to make 24.", "(13 + 1) / (7 / 12)").orElseThrow();
        assertEquals("13 + 1 = 14\n7 / 12 = 7/12\n14 / 7/12 = 24\n1 7 12 13\n1 7 12 13\nyes", fraction.assistant());

        Example byZero = AnswerChecks.of(USER, "3 / (3 - 3) + 1").orElseThrow();
        assertTrue(byZero.assistant().startsWith("3 - 3 = 0\n3 / 0 = undefined\n"), byZero.assistant());
        assertTrue(byZero.assistant().endsWith("\nno"));

        assertEquals(Optional.empty(), AnswerChecks.of(USER, "24"), "no operation: nothing to recompute");
        assertEquals(Optional.empty(), AnswerChecks.of("What is 5^10?", "9765625"), "not a Game-of-24 prompt");
    }

    @Test
    void theProblemIsReadBackFromACheck() {
        assertEquals(USER, AnswerChecks.problem(AnswerChecks.prompt(USER, "3 * 8")));
        assertEquals(USER, AnswerChecks.problem(USER));
    }

    @Test
    void writesTrainingPuzzlesOnlyAndItsFilesRefuseBenchmarkPuzzles(@TempDir Path dir) throws Exception {
        Path mined = dir.resolve("mined.jsonl");
        Files.writeString(mined, "{\"user\": \"" + USER + "\", \"chainSoFar\": \"3 * 3 = 9 (left: 1 3 9)\\n\\\\boxed{3 * 3 * 1 * 1}\\n\", \"correct\": false}\n"
                + "{\"user\": \"" + USER + "\", \"chainSoFar\": \"3 * 3 = 9 (left: 1 3 9)\\n\", \"correct\": true}\n");
        Path out = dir.resolve("checks.jsonl");
        assertEquals(0, new CommandLine(new AnswerChecks()).execute(out.toString(), "40", "5", mined.toString()));
        List<TaskExample> read = OwnSolutions.read(out);
        assertTrue(read.size() > 30, "40 synthetic answers and one mined, less the few repeated: " + read.size());
        assertTrue(read.contains(AnswerChecks.of(USER, "3 * 3 * 1 * 1").orElseThrow()), "the mined answer line");
        for (TaskExample e : read) {
            List<Integer> puzzle = Game24Chain.parsePrompt(AnswerChecks.problem(e.user())).orElseThrow();
            assertFalse(TaskDatasets.isBenchmark(puzzle), e.user());
            String verdict = ((Example) e).assistant().substring(((Example) e).assistant().lastIndexOf('\n') + 1);
            assertTrue(verdict.equals("yes") || verdict.equals("no"), verdict);
        }

        Path gz = dir.resolve("checks.jsonl.gz");
        try (var z = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            z.write(Files.readAllBytes(out));
        }
        assertEquals(read, OwnSolutions.read(gz), "the same examples, gzipped");

        Game24Puzzle bench = TaskDatasets.benchmarkPuzzles().get(0);
        String benchCheck = AnswerChecks.prompt(Game24Chain.prompt(bench.numbers()), "1 + 2").replace("\n", "\\n");
        Files.writeString(out, "{\"user\": \"" + benchCheck + "\", \"assistant\": \"1 + 2 = 3\\nno\"}\n");
        assertThrows(IllegalArgumentException.class, () -> OwnSolutions.read(out));
    }
}

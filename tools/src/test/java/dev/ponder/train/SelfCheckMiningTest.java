package dev.ponder.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.tasks.ChainCheck.Verdict;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.SelfChecks;
import dev.ponder.tasks.TaskDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labelling of the model's own chains and the miner's selection; no model is run. */
class SelfCheckMiningTest {

    static final String USER = "Use 4 9 10 13 to make 24.";
    static final String RIGHT = "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = 6 (left: 4 6)\n6 * 4 = 24 (left: 24)\n\\boxed{(10 - 4) * (13 - 9)}";

    @Test
    void aCorrectChainGivesOnlyPositivePrefixesEndingInTheAnswer() {
        List<OwnChains.Prefix> ps = OwnChains.prefixes(new OwnChains.Sample(USER, RIGHT, true));
        assertEquals(4, ps.size());
        for (int k = 0; k < 4; k++) {
            OwnChains.Prefix p = ps.get(k);
            assertTrue(p.example().correct());
            assertEquals(Verdict.OK, p.verdict());
            assertEquals(k + 1, p.lines());
            assertTrue(p.example().chainSoFar().endsWith("\n"));
            assertEquals(k == 3, p.answer());
            assertEquals(k == 3, p.complete());
        }
        assertEquals(RIGHT + "\n", ps.get(3).example().chainSoFar());
        assertTrue(new OwnChains.Sample(USER, RIGHT, true).answerValid());
    }

    @Test
    void everyPrefixAfterAWrongStepIsNegativeAndTheStepThatErredIsMarked() {
        String text = "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = 5 (left: 4 5)\n5 * 4 = 20 (left: 20)\n\\boxed{(10 - 4) * (13 - 9)}";
        List<OwnChains.Prefix> ps = OwnChains.prefixes(new OwnChains.Sample(USER, text, true));
        assertTrue(ps.get(0).example().correct());
        for (OwnChains.Prefix p : ps.subList(1, 4)) {
            assertFalse(p.example().correct(), p.example().chainSoFar());
            assertEquals(Verdict.WRONG_RESULT, p.verdict());     // the first error decides the verdict
        }
        assertTrue(ps.get(1).newError());
        assertFalse(ps.get(2).newError());
        // the boxed answer happens to be right although the steps are not: the answer is valid, the chain is not
        assertTrue(new OwnChains.Sample(USER, text, true).answerValid());
    }

    @Test
    void deadEndsWrongAnswersAndCutChainsAreLabelledExactly() {
        List<OwnChains.Prefix> dead = OwnChains.prefixes(new OwnChains.Sample(USER, "13 + 9 = 22 (left: 4 10 22)\n", true));
        assertEquals(1, dead.size());
        assertEquals(Verdict.DEAD_END, dead.get(0).verdict());
        assertFalse(dead.get(0).example().correct());

        String wrongAnswer = RIGHT.replace("\\boxed{(10 - 4) * (13 - 9)}", "\\boxed{(10 - 4) * (13 + 9)}");
        List<OwnChains.Prefix> wa = OwnChains.prefixes(new OwnChains.Sample(USER, wrongAnswer, true));
        assertEquals(Verdict.WRONG_ANSWER, wa.get(3).verdict());
        assertTrue(wa.get(3).answer() && wa.get(3).newError());
        assertTrue(wa.get(2).example().correct());
        assertFalse(new OwnChains.Sample(USER, wrongAnswer, true).answerValid());

        // cut at the length limit: the unfinished last line is not a step the engine would check
        List<OwnChains.Prefix> cut = OwnChains.prefixes(new OwnChains.Sample(USER, "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = ", false));
        assertEquals(1, cut.size());
        assertFalse(cut.get(0).complete());

        List<OwnChains.Prefix> junk = OwnChains.prefixes(new OwnChains.Sample(USER, "hello\n\n13 - 9 = 4 (left: 4 4 10)", true));
        assertEquals(2, junk.size());                              // the blank line is skipped
        assertEquals(Verdict.NOT_A_STEP, junk.get(1).verdict());
    }

    @Test
    void labelsAgreeWithTheVerifierOnSyntheticSelfChecks() {
        // the training self-checks (SelfChecks) and the miner's labels are the same function of the text
        Random rnd = new Random(3);
        List<Game24Puzzle> ps = new TaskDatasets(0).puzzles(TaskDatasets.Split.TRAIN);
        for (int i = 0; i < 60; i++) {
            Game24Puzzle p = ps.get(rnd.nextInt(ps.size()));
            for (SelfCheckExample e : SelfChecks.game24(p.numbers(), 4, rnd)) {
                List<OwnChains.Prefix> pre = OwnChains.prefixes(new OwnChains.Sample(e.user(), e.chainSoFar(), true));
                assertEquals(e.correct(), pre.get(pre.size() - 1).example().correct(), e.chainSoFar());
                assertEquals(e.chainSoFar(), pre.get(pre.size() - 1).example().chainSoFar());
            }
        }
    }

    @Test
    void aucCountsPairsAndTies() {
        assertEquals(1.0, OwnChains.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(0.0, OwnChains.auc(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(0.5, OwnChains.auc(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false}), 1e-12);
        assertEquals(0.75, OwnChains.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        assertTrue(Double.isNaN(OwnChains.auc(new double[] {0.3}, new boolean[] {true})));
    }

    @Test
    void selectionKeepsTheMostBelievedNegativesAndBalancesThemWithPositives() {
        String bad1 = "13 - 9 = 5 (left: 4 5 10)\n";
        String bad2 = "13 + 9 = 22 (left: 4 10 22)\n";
        String bad3 = "13 * 9 = 117 (left: 4 10 117)\n";
        String good1 = "13 - 9 = 4 (left: 4 4 10)\n";
        String good2 = "10 - 4 = 6 (left: 6 9 13)\n";
        String wrongAnswer = RIGHT.replace("(13 - 9)}", "(13 + 9)}") + "\n";
        List<SelfCheckMining.Scored> scored = new ArrayList<>();
        for (String[] t : new String[][] {{bad1, "0.9"}, {bad2, "0.2"}, {bad3, "0.6"}, {good1, "0.95"}, {good2, "0.3"},
                {wrongAnswer, "0.8"}}) {
            OwnChains.Sample s = new OwnChains.Sample(USER, t[0].strip(), true);
            List<OwnChains.Prefix> pre = OwnChains.prefixes(s);
            scored.add(new SelfCheckMining.Scored(pre.get(pre.size() - 1), Double.parseDouble(t[1])));
        }
        List<SelfCheckMining.Mined> m = SelfCheckMining.select(USER, scored, 2, new Random(1));
        List<String> steps = m.stream().filter(x -> x.kind().equals("step")).map(x -> x.example().chainSoFar()).toList();
        assertEquals(List.of(bad1, bad3, good2, good1), steps);          // hard negatives, then doubted positives
        List<SelfCheckMining.Mined> answers = m.stream().filter(x -> x.kind().equals("answer")).toList();
        assertEquals(2, answers.size());
        assertFalse(answers.get(0).example().correct());
        assertEquals("WRONG_ANSWER", answers.get(0).verdict());
        assertTrue(answers.get(1).example().correct());                  // no own right answer: a solution stands in
        assertEquals("solution", answers.get(1).source());
        for (SelfCheckMining.Mined x : m) {
            assertEquals(x.example().correct(), SelfChecks.verify(USER, x.example().chainSoFar()).allCorrect());
        }
    }

    @Test
    void balancingKeepsEveryPositiveAndTheMostBelievedNegativesPerKind() {
        String user = "Use 1 2 3 4 to make 24.";
        List<SelfCheckMining.Mined> m = new ArrayList<>();
        m.add(new SelfCheckMining.Mined(new SelfCheckExample(user, "a\n", true), "step", "OK", "own", 0.1));
        for (int i = 0; i < 4; i++) {
            m.add(new SelfCheckMining.Mined(new SelfCheckExample(user, "n" + i + "\n", false), "step", "DEAD_END", "own", i / 10.0));
        }
        m.add(new SelfCheckMining.Mined(new SelfCheckExample(user, "b\n", true), "answer", "OK", "solution", Double.NaN));
        m.add(new SelfCheckMining.Mined(new SelfCheckExample(user, "c\n", true), "answer", "OK", "own", 0.3));
        m.add(new SelfCheckMining.Mined(new SelfCheckExample(user, "d\n", false), "answer", "WRONG_ANSWER", "own", 0.2));
        List<SelfCheckMining.Mined> b = SelfCheckMining.balance(m, new Random(1));
        assertEquals(5, b.size());
        assertTrue(b.stream().anyMatch(x -> x.example().chainSoFar().equals("n3\n")));     // the most believed negative
        assertEquals(3, b.stream().filter(x -> x.example().correct()).count());
    }

    @Test
    void bestOfReplayPicksTheHighestScoreAmongTheFirstKSamplesOfEachPuzzle() {
        // two puzzles, four samples each; only sample 2 of puzzle 0 and sample 0 of puzzle 1 are right
        double[] score = {0.1, 0.3, 0.9, 0.2, 0.5, 0.6, 0.1, 0.2};
        boolean[] valid = {false, false, true, false, true, false, false, false};
        assertEquals(java.util.Map.of("k1", "picked 1 of 2", "k4", "picked 1 of 2"), SelfCheckMining.replay(score, valid, 2, 4));
    }

    @Test
    void minedFilesRoundTripAndRefuseBenchmarkPuzzles(@TempDir Path dir) throws Exception {
        String user = "Use 1 2 3 4 to make 24.";                         // not a benchmark puzzle (4 9 10 13 is)
        List<SelfCheckMining.Mined> m = List.of(
                new SelfCheckMining.Mined(new SelfCheckExample(user, "4 * 3 = 12 (left: 1 2 12)\n", true), "step", "OK", "own", 0.25),
                new SelfCheckMining.Mined(new SelfCheckExample(user, "4 * 3 = 11 (left: 1 2 11)\n", false), "step",
                        "WRONG_RESULT", "own", 0.75));
        Path f = dir.resolve("mined.jsonl");
        SelfCheckMining.write(f, m);
        assertEquals(m.stream().map(SelfCheckMining.Mined::example).toList(), SelfCheckMining.read(f));
        assertEquals(m, SelfCheckMining.readMined(f));

        Game24Puzzle bench = TaskDatasets.benchmarkPuzzles().get(0);
        String benchUser = Game24Chain.prompt(bench.numbers());
        Files.writeString(f, "{\"user\": \"" + benchUser + "\", \"chainSoFar\": \"x\\n\", \"correct\": false}\n");
        assertThrows(IllegalArgumentException.class, () -> SelfCheckMining.read(f));
        assertThrows(IllegalArgumentException.class, () -> SelfCheckMining.mine(null, List.of(bench), 1, 1, 1, null));
    }
}

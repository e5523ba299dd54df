package dev.ponder.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import dev.ponder.tasks.TaskDatasets.Split;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Prints statistics of the task data: split sizes, distinct chains per puzzle, the share of valid next
 * steps that lead to dead ends (by depth), and a few sample items.
 * Run: {@code bin/run dev.ponder.tasks.TaskStats [seed]}.
 */
@Command(name = "TaskStats", mixinStandardHelpOptions = true,
        description = "Prints statistics of the task data: split sizes, chains per puzzle, dead ends by depth, samples.")
public final class TaskStats implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "1",
            description = "the TaskDatasets seed that fixes the train/validation split (default: ${DEFAULT-VALUE})")
    private long seed;

    private TaskStats() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TaskStats()).execute(args));
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        TaskDatasets data = new TaskDatasets(seed);
        System.out.printf("puzzles: %d in csv, %d benchmark (ranks %d-%d), %d train, %d validation (seed %d)%n",
                TaskDatasets.allPuzzles().size(), TaskDatasets.benchmarkPuzzles().size(),
                TaskDatasets.BENCHMARK_FIRST_RANK, TaskDatasets.BENCHMARK_LAST_RANK,
                data.puzzles(Split.TRAIN).size(), data.puzzles(Split.VALIDATION).size(), seed);
        System.out.printf("powers: %d in all, %d train, %d validation%n", TaskDatasets.allPowers().size(),
                data.powers(Split.TRAIN).size(), data.powers(Split.VALIDATION).size());

        // Distinct chains per puzzle.
        List<Integer> counts = new ArrayList<>();
        for (Game24Puzzle p : TaskDatasets.allPuzzles()) {
            counts.add(Game24Chain.allChains(p.numbers()).size());
        }
        Collections.sort(counts);
        System.out.printf("distinct chains per puzzle: min %d, p10 %d, median %d, p90 %d, max %d, mean %.1f%n",
                counts.get(0), pct(counts, 0.1), pct(counts, 0.5), pct(counts, 0.9), counts.get(counts.size() - 1),
                counts.stream().mapToInt(Integer::intValue).average().orElse(0));
        int bands = (TaskDatasets.allPuzzles().size() + 99) / 100;
        long[] bandChains = new long[bands];
        int[] bandPuzzles = new int[bands];
        for (Game24Puzzle p : TaskDatasets.allPuzzles()) {
            int band = (p.rank() - 1) / 100;
            bandChains[band] += Game24Chain.allChains(p.numbers()).size();
            bandPuzzles[band]++;
        }
        StringBuilder line = new StringBuilder("mean chains by rank band (1-100, 101-200, ...):");
        for (int i = 0; i < bands; i++) {
            line.append(String.format(" %.0f", bandChains[i] / (double) bandPuzzles[i]));
        }
        System.out.println(line);

        // Dead ends: among all valid next steps from a solvable board on a solution path, how many are unsolvable.
        long[] steps = new long[3];
        long[] dead = new long[3];
        for (Game24Puzzle p : TaskDatasets.allPuzzles()) {
            Random rnd = new Random(p.rank());
            Game24Chain.Chain chain = Game24Chain.sample(p.numbers(), rnd).orElseThrow();
            List<List<Game24Chain.Node>> boards = SelfChecks.boards(p.numbers(), chain);
            for (int d = 0; d < 3; d++) {
                List<Fraction> board = boards.get(d).stream().map(Game24Chain.Node::value).toList();
                for (Game24Step s : Game24.nextSteps(board)) {
                    steps[d]++;
                    if (!Game24.solvable(s.left())) {
                        dead[d]++;
                    }
                }
            }
        }
        for (int d = 0; d < 3; d++) {
            System.out.printf("depth %d: %d valid next steps, %.1f%% lead to dead ends%n",
                    d, steps[d], 100.0 * dead[d] / steps[d]);
        }

        // Balance of a sample of self-checks.
        List<TaskExample> mix = data.mixture(Split.TRAIN, TaskDatasets.Mix.defaults(), 2000, seed);
        long chains = mix.stream().filter(e -> e instanceof Example).count();
        long yes = mix.stream().filter(e -> e instanceof SelfCheckExample s && s.correct()).count();
        System.out.printf("mixture of 2000: %d chains, %d self-checks (%d yes)%n", chains, 2000 - chains, yes);
        System.out.printf("memoized states: %d; %.1f s%n", Game24.memoSize(), (System.nanoTime() - start) / 1e9);

        System.out.println("\n--- samples ---");
        for (TaskExample e : data.mixture(Split.TRAIN, TaskDatasets.Mix.defaults(), 8, seed + 1)) {
            if (e instanceof Example x) {
                System.out.println("[chain] " + x.user() + "\n" + x.assistant() + "\n");
            } else if (e instanceof SelfCheckExample s) {
                System.out.println("[self-check: " + s.answer() + "] " + s.user() + "\n" + s.chainSoFar());
            }
        }
        return 0;
    }

    private static int pct(List<Integer> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}

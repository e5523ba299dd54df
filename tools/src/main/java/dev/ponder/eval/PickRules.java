package dev.ponder.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.cli.ExistingPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.ToDoubleBiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Other rules for picking an answer among the same chains: reads the {@code .answers.jsonl} that {@link WrongPicks}
 * writes beside its report (validation puzzles only) and counts the puzzles each rule would have solved. Every rule
 * sees only what a search has (each distinct answer's best chain score and its votes); whether an answer is right
 * is read only to count. Because every rule picks among the very same chains, the differences between rules carry
 * none of the sampling noise that separate runs have.
 */
@Command(name = "PickRules", mixinStandardHelpOptions = true,
        description = "Counts the puzzles other picking rules solve on the answers WrongPicks wrote.")
public final class PickRules implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<answers.jsonl>", converter = ExistingPath.class,
            description = "a WrongPicks answers file")
    private Path file;

    /** One distinct answer of a search: its best chain's score and the chains that gave it. */
    record Answer(double score, int votes, boolean right) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PickRules()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<List<Answer>> puzzles = read(file);
        System.out.printf(Locale.ROOT, "%d puzzles; a right answer among the chains: %d%n", puzzles.size(),
                count(puzzles, p -> p.stream().anyMatch(Answer::right)));
        System.out.printf(Locale.ROOT, "%-48s %s%n", "rule", "solved");
        row(puzzles, "best chain score (best-of-n's pick)", (p, a) -> a.score());
        row(puzzles, "most votes", (p, a) -> a.votes() + a.score() * 1e-3);
        for (double lambda : new double[] {0.02, 0.05, 0.1, 0.2, 0.5, 1}) {
            row(puzzles, String.format(Locale.ROOT, "log score + %s * log votes", lambda),
                    (p, a) -> Math.log(Math.max(a.score(), 1e-12)) + lambda * Math.log(a.votes()));
        }
        for (double within : new double[] {0.9, 0.95, 0.98}) {
            row(puzzles, String.format(Locale.ROOT, "most votes within %s of the best score", within), (p, a) -> {
                double best = p.stream().mapToDouble(Answer::score).max().orElse(0);
                return a.score() >= within * best ? a.votes() + a.score() * 1e-3 : -1;
            });
        }
        return 0;
    }

    private static void row(List<List<Answer>> puzzles, String name, ToDoubleBiFunction<List<Answer>, Answer> key) {
        System.out.printf(Locale.ROOT, "%-48s %d%n", name, solved(puzzles, key));
    }

    /** Puzzles whose highest-keyed answer is right (the key sees the puzzle's answers and one answer). */
    static int solved(List<List<Answer>> puzzles, ToDoubleBiFunction<List<Answer>, Answer> key) {
        return count(puzzles, p -> p.stream().max(Comparator.comparingDouble(a -> key.applyAsDouble(p, a)))
                .map(Answer::right).orElse(false));
    }

    private static int count(List<List<Answer>> puzzles, Predicate<List<Answer>> solved) {
        return (int) puzzles.stream().filter(solved).count();
    }

    static List<List<Answer>> read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<List<Answer>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            List<Answer> answers = new ArrayList<>();
            for (JsonNode a : json.readTree(line).get("answers")) {
                answers.add(new Answer(a.get("score").asDouble(), a.get("votes").asInt(), a.get("right").asBoolean()));
            }
            out.add(answers);
        }
        return out;
    }
}

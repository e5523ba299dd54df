package dev.ponder.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.cli.ExistingPath;
import dev.ponder.engine.Engine;
import dev.ponder.model.LanguageModel;
import dev.ponder.search.Alternative;
import dev.ponder.search.SearchResult;
import dev.ponder.tasks.ChainCheck;
import dev.ponder.tasks.Game24Checker;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.Game24Verifier;
import dev.ponder.tasks.TaskDatasets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Why a strategy's picks are wrong, on the validation puzzles only (a tuning aid, never run on the benchmark): runs
 * one strategy at one budget as {@link Game24Eval} does and judges each picked chain line by line with the exact
 * verifier (after the search; nothing here scores chains inside it). Writes one line per puzzle (the pick's first
 * mistake, its score, and the search's distinct answers with the right ones marked) and a summary: wrong picks by
 * the kind of their first mistake, and how many of them had a right answer among the search's alternatives. Beside
 * the report, {@code <out>.answers.jsonl} has every distinct answer of every puzzle (score, votes, right or not), for
 * trying other picking rules on the same chains.
 */
@Command(name = "WrongPicks", mixinStandardHelpOptions = true,
        description = "Judges a strategy's picked chains on the validation puzzles: the first mistake of each wrong pick.")
public final class WrongPicks implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "<checkpoint>", converter = ExistingPath.class, description = "the checkpoint")
    private Path dir;

    @Parameters(index = "1", paramLabel = "<strategy>", description = "the search strategy")
    private String strategy;

    @Parameters(index = "2", paramLabel = "<budget>", description = "the searchBudget")
    private int budget;

    @Parameters(index = "3", paramLabel = "<out>", description = "the report file (text)")
    private Path out;

    @Parameters(index = "4", arity = "0..1", defaultValue = "100", description = "the first this many validation puzzles (default: ${DEFAULT-VALUE})")
    private int limit;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WrongPicks()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<Game24Puzzle> puzzles = new TaskDatasets(0).puzzles(TaskDatasets.Split.VALIDATION).subList(0, limit);
        Map<String, int[]> kinds = new TreeMap<>();   // first mistake -> {wrong picks, of them with a right alternative}
        List<String> summary = new ArrayList<>();      // the '#' lines: written to the report and shown
        Path answers = out.resolveSibling(out.getFileName() + ".answers.jsonl");
        try (PrintStream w = new PrintStream(Files.newOutputStream(out), true, "UTF-8");
             PrintStream a = new PrintStream(Files.newOutputStream(answers), true, "UTF-8");
             LanguageModel lm = Game24Eval.load(dir);
             Engine engine = Game24Eval.engine(lm)) {
            summary.add(String.format(Locale.ROOT, "# %s@%d on %d validation puzzles, %s", strategy, budget, limit,
                    Game24Eval.settings()));
            w.println(summary.get(0));
            Game24Eval.Outcome o = Game24Eval.run(strategy, budget, puzzles, Game24Eval.parallel(budget, 32),
                    p -> Game24Eval.solve(lm, engine, strategy, budget, p).invoke(s -> {
                        synchronized (kinds) {
                            boolean[] right = rightAnswers(p, s.result());
                            report(w, p, s.result(), right, kinds);
                            answers(a, p, s.result(), right);
                        }
                    }));
            summary.add(String.format(Locale.ROOT, "# solved %d of %d", o.solved(), o.puzzles()));
            kinds.forEach((k, v) -> summary.add(String.format(Locale.ROOT,
                    "# wrong picks whose first mistake is %s: %d (a right answer among the alternatives: %d)", k, v[0], v[1])));
            summary.subList(1, summary.size()).forEach(w::println);
        }
        summary.forEach(System.out::println);
        return 0;
    }

    /** Whether each of the search's distinct answers makes 24 from the puzzle (judged once, after the search). */
    private static boolean[] rightAnswers(Game24Puzzle p, SearchResult r) {
        boolean[] right = new boolean[r.alternatives().size()];
        for (int i = 0; i < right.length; i++) {
            right[i] = isRight(p, r.alternatives().get(i).answer());
        }
        return right;
    }

    private static boolean isRight(Game24Puzzle p, String answer) {
        return answer != null && Game24Checker.check(p.text(), answer).valid();
    }

    /** One JSON line per puzzle: every distinct answer with its score, votes and whether it is right. */
    private static void answers(PrintStream a, Game24Puzzle p, SearchResult r, boolean[] right) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < right.length; i++) {
            Alternative alt = r.alternatives().get(i);
            all.add(Map.of("answer", String.valueOf(alt.answer()), "score", alt.score(), "votes", alt.votes(),
                    "right", right[i]));
        }
        try {
            a.println(JSON.writeValueAsString(Map.of("rank", p.rank(), "puzzle", p.text(), "answers", all)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(PrintStream w, Game24Puzzle p, SearchResult r, boolean[] rightAnswers, Map<String, int[]> kinds) {
        ChainCheck c = Game24Verifier.verify(p.numbers(), r.chain().text());
        boolean solved = isRight(p, r.answer());
        StringBuilder alts = new StringBuilder();
        boolean rightAlternative = false;
        for (int i = 0; i < r.alternatives().size(); i++) {
            Alternative a = r.alternatives().get(i);
            boolean right = rightAnswers[i];
            rightAlternative |= right;
            if (i < 4 || right) {
                alts.append(String.format(Locale.ROOT, " [%d: %s, score %.3f, %d votes%s]", i, a.answer(), a.score(),
                        a.votes(), right ? ", right" : ""));
            }
        }
        int first = c.firstError();
        String mistake = solved ? "none" : first < 0 ? "no answer" : c.lines().get(first).verdict().name();
        if (!solved) {
            kinds.computeIfAbsent(mistake, k -> new int[2])[0]++;
            kinds.get(mistake)[1] += rightAlternative ? 1 : 0;
        }
        w.printf(Locale.ROOT, "%d [%s] %s: first mistake %s%s, score %.3f, %d answers:%s%n  %s%n", p.rank(), p.text(),
                solved ? "solved" : "wrong", mistake, first < 0 ? "" : " at line " + (first + 1), r.score(),
                r.alternatives().size(), alts, r.chain().text().strip().replace("\n", " | "));
    }
}

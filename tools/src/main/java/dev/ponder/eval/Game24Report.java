package dev.ponder.eval;

import dev.ponder.plot.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** Writes the Game-of-24 table ({@code game24.md}) and the test-time-compute charts. */
public final class Game24Report {

    static final double GPT4_COT = 0.04;
    static final double TOT_B5 = 0.74;

    private Game24Report() {
    }

    /** A strategy x budget markdown table of one figure per configuration (blank where none was run). */
    private static void table(StringBuilder md, Map<String, List<Game24Eval.Outcome>> byStrategy,
                              TreeSet<Integer> budgets, Function<Game24Eval.Outcome, String> cell) {
        md.append("| strategy |");
        budgets.forEach(b -> md.append(" ").append(b).append(" |"));
        md.append("\n|---|");
        budgets.forEach(b -> md.append("---|"));
        md.append("\n");
        for (var e : byStrategy.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (int b : budgets) {
                md.append(e.getValue().stream().filter(x -> x.budget() == b).findFirst()
                        .map(x -> " " + cell.apply(x) + " |").orElse(" |"));
            }
            md.append("\n");
        }
    }

    static void write(Path out, List<Game24Eval.Outcome> outcomes, Path checkpoint, String strategies, String budgets,
                      int concurrency, int puzzles) throws IOException {
        Map<String, List<Game24Eval.Outcome>> byStrategy = new LinkedHashMap<>();
        outcomes.stream().sorted(Comparator.comparingInt(Game24Eval.Outcome::budget))
                .forEach(o -> byStrategy.computeIfAbsent(o.strategy(), k -> new ArrayList<>()).add(o));
        TreeSet<Integer> budgetSet = new TreeSet<>();
        outcomes.forEach(o -> budgetSet.add(o.budget()));
        StringBuilder md = new StringBuilder("# Game of 24: accuracy against searchBudget\n\n");
        md.append("The 100 puzzles ranked 901-1000 of `24.csv` (the Tree-of-Thoughts benchmark), never seen in training "
                + "or validation. Each answer is checked exactly: every number once, exact fractions, equal to 24.\n\n");
        String opts = Game24Eval.settingProperties();
        md.append("Command: `").append(opts.isEmpty() ? "" : "PONDER_JAVA_OPTS=\"-Xmx8g " + opts + "\" ")
                .append("bin/run dev.ponder.eval.Game24Eval ").append(checkpoint).append(" ").append(out).append(" ")
                .append(strategies).append(" ").append(budgets).append(" ").append(concurrency).append(" ")
                .append(puzzles).append("`\n\n");
        md.append("Anchors on the same 100 puzzles (Yao et al. 2023, GPT-4): chain of thought 4%, Tree of Thoughts "
                + "(breadth 5) 74%.\n\n");
        md.append("Solved (%), by strategy and searchBudget:\n\n");
        table(md, byStrategy, budgetSet, o -> String.format(Locale.ROOT, "%.0f", 100 * o.accuracy()));
        md.append("\nGenerated tokens per puzzle (all chains of the search), by strategy and searchBudget:\n\n");
        table(md, byStrategy, budgetSet, o -> String.format(Locale.ROOT, "%.0f", o.tokensPerPuzzle()));
        md.append("\nHow much the proposals differ: distinct next steps per node the search expanded two or more ways, "
                + "of the steps proposed for it (`-`: no node was expanded more than once, as in best-of-n and "
                + "self-consistency, which sample whole chains; or a line measured before this was counted):\n\n");
        table(md, byStrategy, budgetSet, o -> o.expandedNodes() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f of %.1f", o.distinctPerExpanded(), o.proposedPerExpanded()));
        md.append("\nBlank cells were not run; rerunning the command runs only what game24.jsonl lacks. Greedy carries "
                + "one chain whatever the budget. Search settings: " + Game24Eval.settings() + " (`-Deval.temperature`, `-Deval.distinct`, "
                + "`-Deval.likelihoodWeight`, `-Deval.leafEvaluation`, tuned only with `-Deval.split=validation`).\n");
        md.append("\n![accuracy against searchBudget](game24-accuracy-vs-budget.png)\n\n");
        md.append("![accuracy against generated tokens](game24-accuracy-vs-tokens.png)\n\n");
        md.append("Raw results, one line per configuration: `game24.jsonl` (wall time, self-checks and model calls included).\n");
        appendNotes(md, out.resolve("game24-notes.md"));
        Files.writeString(out.resolve("game24.md"), md);
        charts(out, outcomes);
    }

    /** What changed and why, kept by hand in {@code notes} and carried below the generated tables. */
    static void appendNotes(StringBuilder md, Path notes) throws IOException {
        if (Files.exists(notes)) {
            md.append('\n').append(Files.readString(notes));
        }
    }

    /**
     * Redraws the two accuracy charts of an eval folder from its {@code game24.jsonl}, without the model
     * ({@link dev.ponder.cli.RedrawCharts}); says what it wrote.
     */
    public static String redraw(Path dir) throws IOException {
        charts(dir, new ArrayList<>(Game24Eval.Results.read(dir.resolve("game24.jsonl")).values()));
        return "redrew " + dir.resolve("game24-accuracy-vs-budget.png") + " and game24-accuracy-vs-tokens.png";
    }

    /** The two accuracy charts. */
    static void charts(Path out, List<Game24Eval.Outcome> outcomes) throws IOException {
        Map<String, List<Game24Eval.Outcome>> byStrategy = new LinkedHashMap<>();
        outcomes.stream().sorted(Comparator.comparingInt(Game24Eval.Outcome::budget))
                .forEach(o -> byStrategy.computeIfAbsent(o.strategy(), k -> new ArrayList<>()).add(o));
        TreeSet<Integer> budgetSet = new TreeSet<>();
        outcomes.forEach(o -> budgetSet.add(o.budget()));
        Chart byBudget = new Chart("Game of 24 (ranks 901-1000): accuracy vs searchBudget", "searchBudget (log scale)",
                "puzzles solved", true);
        Chart byTokens = new Chart("Game of 24 (ranks 901-1000): accuracy vs test-time compute",
                "generated tokens per puzzle (log scale)", "puzzles solved", true);
        for (var e : byStrategy.entrySet()) {
            List<double[]> pb = new ArrayList<>();
            List<double[]> pt = new ArrayList<>();
            for (var o : e.getValue()) {
                pb.add(new double[] {o.budget(), o.accuracy()});
                pt.add(new double[] {Math.max(1, o.tokensPerPuzzle()), o.accuracy()});
            }
            if (e.getKey().equals("greedy") && pb.size() == 1) {
                // one chain whatever the budget: draw it across the budget range
                pb.add(new double[] {budgetSet.last(), pb.get(0)[1]});
            }
            byBudget.add(new Chart.Series(e.getKey(), pb));
            byTokens.add(new Chart.Series(e.getKey(), pt));
        }
        for (Chart p : List.of(byBudget, byTokens)) {
            p.reference("GPT-4 chain of thought 4%", GPT4_COT).reference("Tree of Thoughts b=5 (GPT-4) 74%", TOT_B5);
        }
        byBudget.write(out.resolve("game24-accuracy-vs-budget.png"));
        byTokens.write(out.resolve("game24-accuracy-vs-tokens.png"));
    }
}

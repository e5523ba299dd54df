package dev.ponder.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.cli.ExistingPath;
import dev.ponder.engine.Engine;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.plot.Chart;
import dev.ponder.search.Alternative;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchResult;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.Searches;
import dev.ponder.tasks.ArithmeticProblem;
import dev.ponder.tasks.ArithmeticProblem.Language;
import dev.ponder.tasks.TaskDatasets;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Arithmetic against searchBudget: products of a 3-4 digit number by a 2-3 digit number, and the powers
 * questions {@code What is 5^10?} / {@code 5的十次方等于多少？}, each in English and Chinese, answered by every
 * strategy at every budget and checked exactly (the boxed number equals the product or power).
 *
 * <p>The products are drawn at random (seeded) from the <em>validation</em> split of {@link TaskDatasets}: a
 * product belongs to one split by a seeded hash of its order-free key, and training only ever draws products
 * of the training split, so none of these was trained on.
 *
 * <p>Usage: {@code ArithmeticEval <checkpoint> [out-dir] [strategies] [budgets] [products per language]};
 * results go to {@code <out>/arithmetic.jsonl} (appended; a rerun runs only what is missing), the table to
 * {@code <out>/arithmetic.md}. {@code -Deval.temperature} and {@code -Deval.distinct} as for {@link Game24Eval}.
 */
@Command(name = "ArithmeticEval", mixinStandardHelpOptions = true,
        description = {"Arithmetic accuracy against searchBudget: validation products and 5^10, in English and Chinese,"
                + " for every strategy and budget.",
                "JVM properties: -Deval.temperature sets the proposal temperature (default 1.0), -Deval.distinct the mass"
                        + " down to which sibling proposals sample without replacement (default 0.1, the engine's; 0: off)."})
public final class ArithmeticEval implements Callable<Integer> {

    /** The two sets asked, each in both languages. */
    enum Set { PRODUCTS, POWERS }

    /** One set in one language: the unit run and recorded ({@code products-en}, {@code powers-zh}, ...). */
    record Part(Set set, Language language) {
        String name() {
            return set.name().toLowerCase(Locale.ROOT) + "-" + language.name().toLowerCase(Locale.ROOT);
        }
    }

    record Item(ArithmeticProblem problem, Language language) {
        String prompt() {
            return problem.prompt(language);
        }
    }

    /** Seed of the product draw. */
    static final long PRODUCT_SEED = 2026;

    @Parameters(index = "0", paramLabel = "<checkpoint>", converter = ExistingPath.class,
            description = "the checkpoint to evaluate")
    private Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<out-dir>", defaultValue = "docs/eval",
            description = "where arithmetic.jsonl (appended; a rerun runs only what is missing) and arithmetic.md go"
                    + " (default: ${DEFAULT-VALUE})")
    private Path out;

    @Parameters(index = "2", arity = "0..1", split = ",", paramLabel = "<strategies>",
            defaultValue = "greedy,beam,best-of-n,weighted-best-of-n,self-consistency,mcts",
            description = "search strategies, comma-separated (default: ${DEFAULT-VALUE})")
    private List<String> strategies;

    @Parameters(index = "3", arity = "0..1", split = ",", paramLabel = "<budgets>", defaultValue = "1,4,16,64",
            description = "searchBudgets, comma-separated (default: ${DEFAULT-VALUE})")
    private int[] budgets;

    @Parameters(index = "4", arity = "0..1", paramLabel = "<products-per-language>", defaultValue = "20",
            description = "validation products asked in each language (default: ${DEFAULT-VALUE})")
    private int perLanguage;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ArithmeticEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        Path jsonl = out.resolve("arithmetic.jsonl");
        Map<String, Game24Eval.Outcome> done = read(jsonl);
        Map<Part, List<Item>> parts = new LinkedHashMap<>();
        for (Set set : Set.values()) {
            for (Item item : set == Set.PRODUCTS ? products(perLanguage) : powers()) {
                parts.computeIfAbsent(new Part(set, item.language()), k -> new ArrayList<>()).add(item);
            }
        }
        if (!Boolean.getBoolean("eval.reportOnly")) {
            run(done, parts, jsonl);
        }
        Files.writeString(out.resolve("arithmetic.md"), report(out, done, parts, dir, strategies, budgets, perLanguage));
        chart(out, done, strategies, budgets);
        return 0;
    }

    /** Runs the configurations {@code done} lacks, appending each to {@code jsonl}. */
    private void run(Map<String, Game24Eval.Outcome> done, Map<Part, List<Item>> parts, Path jsonl) throws IOException {
        try (LanguageModel lm = Game24Eval.load(dir);
             Engine engine = Game24Eval.engine(lm)) {
            for (var part : parts.entrySet()) {
                for (String strategy : strategies) {
                    for (int budget : budgets) {
                        if (strategy.equals("greedy") && budget > 1) {
                            continue;
                        }
                        String key = key(part.getKey(), strategy, budget);
                        if (done.containsKey(key)) {
                            continue;
                        }
                        Game24Eval.Outcome o = Game24Eval.run(strategy, budget, part.getValue(), Game24Eval.parallel(budget, 16),
                                item -> solve(lm, engine, strategy, budget, item));
                        done.put(key, o);
                        Files.writeString(jsonl, "{\"set\": \"" + part.getKey().name() + "\", "
                                        + Game24Eval.Results.line(o).substring(1) + "\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        System.err.printf(Locale.ROOT, "%-11s %-18s budget %2d: %3d/%d right%n", part.getKey().name(), strategy,
                                budget, o.solved(), o.puzzles());
                    }
                }
            }
        }
    }

    /** Products right (both languages together) against searchBudget, one line per strategy. */
    static void chart(Path out, Map<String, Game24Eval.Outcome> done, List<String> strategies, int[] budgets)
            throws IOException {
        Chart c = new Chart("Products (3-4 digits by 2-3 digits, English and Chinese): accuracy vs searchBudget",
                "searchBudget (log scale)", "products right", true);
        int last = Arrays.stream(budgets).max().orElse(1);
        for (String s : strategies) {
            List<double[]> points = new ArrayList<>();
            for (int b : budgets) {
                Game24Eval.Outcome en = done.get(key(new Part(Set.PRODUCTS, Language.EN), s, b));
                Game24Eval.Outcome zh = done.get(key(new Part(Set.PRODUCTS, Language.ZH), s, b));
                if (en != null && zh != null) {
                    points.add(new double[] {b, (double) (en.solved() + zh.solved()) / (en.puzzles() + zh.puzzles())});
                }
            }
            if (s.equals("greedy") && points.size() == 1) {
                points.add(new double[] {last, points.get(0)[1]});   // one chain whatever the budget
            }
            if (!points.isEmpty()) {
                c.add(new Chart.Series(s, points));
            }
        }
        c.reference("the issue's goal at 16: 90%", 0.9).reference("the issue's greedy goal: 60%", 0.6);
        c.write(out.resolve("arithmetic-products-vs-budget.png"));
    }

    /** {@code perLanguage} products of the validation split, 3-4 digits by 2-3 digits, asked in each language. */
    static List<Item> products(int perLanguage) {
        TaskDatasets data = new TaskDatasets(0);
        Random rnd = new Random(PRODUCT_SEED);
        List<Item> out = new ArrayList<>();
        for (Language language : Language.values()) {
            int made = 0;
            while (made < perLanguage) {
                long a = 100 + rnd.nextInt(9_900);          // 3-4 digits
                long b = 10 + rnd.nextInt(990);             // 2-3 digits
                ArithmeticProblem.Product p = new ArithmeticProblem.Product(a, b);
                if (data.splitOf(p) == TaskDatasets.Split.VALIDATION) {
                    out.add(new Item(p, language));
                    made++;
                }
            }
        }
        return out;
    }

    /** The issue's powers questions: 5^10 in English and in Chinese. */
    static List<Item> powers() {
        ArithmeticProblem.Power p = new ArithmeticProblem.Power(5, 10);
        return List.of(new Item(p, Language.EN), new Item(p, Language.ZH));
    }

    static Uni<Game24Eval.Solved> solve(LanguageModel lm, Engine engine, String strategy, int budget, Item item) {
        int[] ids = lm.encodePrompt(lm.renderChat(List.of(ChatMessage.user(item.prompt()))));
        // the service's limits (ponder.search.*): a chain up to 512 tokens or what the context leaves after the
        // prompt and the self-check question, a step up to 256, up to 64 steps; long-multiplication lines of a
        // 4-digit factor run past 100 characters and whole chains past 400
        int suffix = lm.tokenizer().encode(lm.profile().selfCheckSuffix()).length;
        int chainTokens = Math.min(512, lm.config().maxPositions() - ids.length - suffix - 1);
        SearchConfig cfg = SearchConfig.builder().budget(budget).seed(item.prompt().hashCode())
                .temperature(Game24Eval.temperature())
                .maxStepTokens(Math.min(256, chainTokens)).maxChainTokens(chainTokens).maxDepth(64).build();
        BigInteger want = item.problem().answer();
        return Uni.createFrom().deferred(() -> {
            SearchSession session = Game24Eval.withAnswerCheck(lm, engine.openSession(ids)
                    .distinctSiblings(Game24Eval.distinct()).topP(Game24Eval.topP()), item.prompt());
            return Searches.result(strategy, new Problem("arith", item.prompt()), cfg, session).eventually(session::close);
        }).map(r -> {
            boolean right = r.answer() != null && r.answer().strip().equals(want.toString());
            if (Boolean.getBoolean("eval.trace")) {
                trace(item, strategy, budget, want, r, right);
            }
            return new Game24Eval.Solved(r, right);
        });
    }

    /**
     * {@code -Deval.trace=true}: one line per item on standard error, the answer against the exact result and the
     * search's answers with their votes, then the picked chain; for reading why a search missed.
     */
    private static void trace(Item item, String strategy, int budget, BigInteger want, SearchResult r, boolean right) {
        StringBuilder sb = new StringBuilder();
        sb.append("TRACE ").append(right ? "right" : "WRONG").append(' ').append(strategy).append('@').append(budget)
                .append(" | ").append(item.prompt()).append(" | want ").append(want).append(" | got ").append(r.answer())
                .append(" | answers");
        for (Alternative a : r.alternatives()) {
            sb.append(' ').append(a.answer()).append('x').append(a.votes())
                    .append(String.format(Locale.ROOT, "(%.3f)", a.score()));
        }
        if (!right) {
            sb.append('\n').append(r.chain().text());
        }
        System.err.println(sb);
    }

    static String key(Part part, String strategy, int budget) {
        return part.name() + ":" + strategy + "@" + budget;
    }

    static Map<String, Game24Eval.Outcome> read(Path jsonl) throws IOException {
        Map<String, Game24Eval.Outcome> out = new LinkedHashMap<>();
        if (!Files.exists(jsonl)) {
            return out;
        }
        var json = new ObjectMapper();
        for (String l : Files.readAllLines(jsonl)) {
            if (!l.isBlank()) {
                var n = json.readTree(l);
                var o = Game24Eval.Results.outcome(n);
                out.put(n.get("set").asText() + ":" + o.strategy() + "@" + o.budget(), o);
            }
        }
        return out;
    }

    static String report(Path out, Map<String, Game24Eval.Outcome> done, Map<Part, List<Item>> parts, Path checkpoint,
                         List<String> strategies, int[] budgets, int perLanguage) {
        StringBuilder md = new StringBuilder("# Arithmetic: accuracy against searchBudget\n\n");
        md.append("Command: `bin/run dev.ponder.eval.ArithmeticEval ").append(checkpoint).append(' ').append(out).append(' ')
                .append(String.join(",", strategies)).append(' ')
                .append(String.join(",", Arrays.stream(budgets).mapToObj(Integer::toString).toList()))
                .append(' ').append(perLanguage).append("`\n\n");
        md.append("Products: ").append(perLanguage).append(" per language (English `What is a * b?`, Chinese `a乘以b等于多少？`), ")
                .append("a 3-4 digit number times a 2-3 digit number drawn with seed ").append(PRODUCT_SEED)
                .append(" from the validation split of `TaskDatasets` (a product's split is a seeded hash of its order-free ")
                .append("key; training draws only the training split, so none was trained on). Powers: `What is 5^10?` and ")
                .append("`5的十次方等于多少？`. Each answer is right when the boxed number equals the exact result.\n");
        for (Set set : Set.values()) {
            int asked = parts.entrySet().stream().filter(e -> e.getKey().set() == set).mapToInt(e -> e.getValue().size()).sum();
            md.append("\n## ").append(set == Set.PRODUCTS ? "Products" : "Powers").append(" (right of ").append(asked)
                    .append("; in brackets English / Chinese)\n\n| strategy |");
            for (int b : budgets) {
                md.append(' ').append(b).append(" |");
            }
            md.append("\n|---|").append("---|".repeat(budgets.length)).append('\n');
            for (String s : strategies) {
                md.append("| ").append(s).append(" |");
                for (int b : budgets) {
                    Game24Eval.Outcome en = done.get(key(new Part(set, Language.EN), s, b));
                    Game24Eval.Outcome zh = done.get(key(new Part(set, Language.ZH), s, b));
                    md.append(' ').append(en == null || zh == null ? ""
                            : (en.solved() + zh.solved()) + " (" + en.solved() + " / " + zh.solved() + ")").append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\nBlank cells were not run (greedy carries one chain whatever the budget). Raw results: `arithmetic.jsonl`;")
                .append(" `-Deval.reportOnly=true` rewrites this page and its chart from them without running searches.\n");
        md.append("\n![products right against searchBudget](arithmetic-products-vs-budget.png)\n");
        try {
            Game24Report.appendNotes(md, out.resolve("arithmetic-notes.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return md.toString();
    }
}

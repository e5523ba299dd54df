package dev.ponder.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.engine.Engine;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.StepDelimiter;
import dev.ponder.model.LanguageModel;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.train.AnswerChecks;
import dev.ponder.train.OwnChains;
import dev.ponder.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * How well a checkpoint's answer check (a fresh context: the puzzle and one boxed answer, {@link AnswerChecks})
 * tells right answers from wrong ones, and what it would do to a pick: reads the distinct answers a search found for
 * each VALIDATION puzzle ({@code WrongPicks}' answers file: each answer's search score, votes and exact label), asks
 * the checkpoint to check every answer, and prints the check's AUC and the puzzles solved by picks that combine the
 * search score with the check. The exact labels only score this report.
 *
 * <pre>
 * AnswerCheckRerank &lt;checkpoint&gt; &lt;answers.jsonl&gt; &lt;out.jsonl&gt; [reasoningTokens=160]
 * </pre>
 */
@Command(name = "AnswerCheckRerank", mixinStandardHelpOptions = true,
        description = "AUC of a checkpoint's fresh-context answer check on a search's answers, and the picks it would make.")
public final class AnswerCheckRerank implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "<checkpoint>")
    private Path dir;

    @Parameters(index = "1", paramLabel = "<answers.jsonl>", description = "WrongPicks' answers file")
    private Path answers;

    @Parameters(index = "2", paramLabel = "<out.jsonl>", description = "each answer with its check, one puzzle a line")
    private Path out;

    @Parameters(index = "3", arity = "0..1", defaultValue = "160")
    private int reasoningTokens;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AnswerCheckRerank()).execute(args));
    }

    record Scored(double score, int votes, boolean right, double check) {
    }

    @Override
    public Integer call() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(answers)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        List<List<Scored>> puzzles = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        try (LanguageModel lm = Game24Eval.load(dir); Engine engine = Game24Eval.engine(lm)) {
            for (JsonNode row : rows) {
                List<Integer> nums = Game24Puzzle.of(0, row.get("puzzle").asText()).numbers();
                if (TaskDatasets.isBenchmark(nums)) {
                    throw new IllegalArgumentException("benchmark puzzle in " + answers + ": " + nums);
                }
                String problem = Game24Chain.prompt(nums);
                List<int[]> prompts = new ArrayList<>();
                for (JsonNode a : row.get("answers")) {
                    String user = AnswerChecks.prompt(problem, a.get("answer").asText());
                    prompts.add(lm.encodePrompt(lm.renderChat(List.of(ChatMessage.user(user)))));
                }
                List<Double> checks;
                int[] ids = lm.encodePrompt(lm.renderChat(List.of(ChatMessage.user(problem))));
                try (SearchSession s = engine.openSession(ids)) {
                    checks = s.checkPrompts(prompts, reasoningTokens).await().indefinitely();
                }
                if (puzzles.size() < Integer.getInteger("rerank.show", 0)) {
                    // what the check writes, greedily, for this puzzle's first answer
                    String user = AnswerChecks.prompt(problem, row.get("answers").get(0).get("answer").asText());
                    try (SearchSession s = engine.openSession(prompts.get(0))) {
                        Chain chain = s.complete(Chain.of(new Problem("check", user)),
                                new Sampling(0, 1, 48, reasoningTokens, StepDelimiter.NEWLINE)).await().indefinitely();
                        System.err.printf("%n--- %s (check %.3f)%n%s%n", user, checks.get(0), chain.text());
                    }
                }
                List<Scored> scored = new ArrayList<>();
                int i = 0;
                for (JsonNode a : row.get("answers")) {
                    scored.add(new Scored(a.get("score").asDouble(), a.get("votes").asInt(), a.get("right").asBoolean(), checks.get(i++)));
                }
                puzzles.add(scored);
                sb.append(JSON.writeValueAsString(Map.of("puzzle", row.get("puzzle").asText(), "answers", scored))).append('\n');
                System.err.printf("\r%d / %d puzzles", puzzles.size(), rows.size());
            }
        }
        System.err.println();
        Files.writeString(out, sb);
        List<Scored> all = puzzles.stream().flatMap(List::stream).toList();
        System.out.printf(Locale.ROOT, "answers %d (right %d); AUC of the answer check %.3f, of the search score %.3f%n",
                all.size(), all.stream().filter(Scored::right).count(),
                auc(all, Scored::check), auc(all, Scored::score));
        System.out.printf(Locale.ROOT, "solved of %d: search score %d, check alone %d%n", puzzles.size(),
                solved(puzzles, 0, false), solved(puzzles, Double.POSITIVE_INFINITY, false));
        for (double lambda : new double[] {0.25, 0.5, 1, 2, 4}) {
            System.out.printf(Locale.ROOT, "  score * check^%.2f: %d%n", lambda, solved(puzzles, lambda, false));
        }
        System.out.printf(Locale.ROOT, "  check > 0.5 first, then score: %d%n", solved(puzzles, 0, true));
        return 0;
    }

    /** Puzzles whose pick is right: by score * check^lambda (infinite: check, then score), or passing checks first. */
    static int solved(List<List<Scored>> puzzles, double lambda, boolean passFirst) {
        int n = 0;
        for (List<Scored> answers : puzzles) {
            Scored best = null;
            double bestKey = Double.NEGATIVE_INFINITY;
            for (Scored a : answers) {
                double key = Double.isInfinite(lambda) ? a.check() * 1e6 + a.score()
                        : passFirst ? (a.check() > 0.5 ? 1e6 : 0) + a.score()
                        : Math.log(Math.max(a.score(), 1e-12)) + lambda * Math.log(Math.max(a.check(), 1e-12));
                if (best == null || key > bestKey) {
                    best = a;
                    bestKey = key;
                }
            }
            n += best != null && best.right() ? 1 : 0;
        }
        return n;
    }

    /** {@link OwnChains#auc} of {@code f} over every answer, right answers the positives. */
    static double auc(List<Scored> all, ToDoubleFunction<Scored> f) {
        double[] scores = all.stream().mapToDouble(f).toArray();
        boolean[] right = new boolean[all.size()];
        for (int i = 0; i < right.length; i++) {
            right[i] = all.get(i).right();
        }
        return OwnChains.auc(scores, right);
    }
}

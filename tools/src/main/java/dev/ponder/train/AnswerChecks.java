package dev.ponder.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponder.model.PromptProfile;
import dev.ponder.tasks.Example;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.Game24Recheck;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.SelfChecks;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Answer checks in a fresh context: the puzzle and a boxed answer, without the chain that led to it, and the model's
 * recomputation ({@link Game24Recheck}) before its verdict. A check that sees only the answer cannot copy the chain's
 * wrong values into its recomputation, which is how the in-chain rechecks failed
 * ({@code models/candidates/ponder-tiny-recheck2/README.md}).
 *
 * <pre>
 * AnswerChecks &lt;out.jsonl&gt; [synthetic=6000] [seed=17] [mined.jsonl ...]
 * </pre>
 *
 * <p>Writes chain-example lines ({@code user}, {@code assistant}) for {@code TrainMain --mined}: the user message is
 * {@link #prompt} of a TRAINING puzzle's prompt and an answer, the assistant writes the recomputation and
 * {@code yes} or {@code no}. The answers are the boxed lines of mined self-check files ({@link SelfCheckMining}: the
 * model's own answers to training puzzles, on-policy) and {@code synthetic} answers drawn as
 * {@link SelfChecks#game24Answer} draws them (right ones, a dead chain's box, a right chain's wrong box). The exact
 * checker labels training data here only. Benchmark puzzles are refused ({@link OwnSolutions#read}).
 */
@Command(name = "AnswerChecks", mixinStandardHelpOptions = true,
        description = "Answer checks in a fresh context (the puzzle and a boxed answer, no chain), for TrainMain --mined.")
public final class AnswerChecks implements Callable<Integer> {

    /** Between the problem and the answer in the check's user message (ponder.json {@code answerCheck.prompt}). */
    public static final String CHECK = "\ncheck ";

    /**
     * Most tokens the check writes before its verdict: three operation lines and two number lists, each under 20
     * characters, are about 80.
     */
    public static final int REASONING_TOKENS = 100;

    /** How a checkpoint trained on these checks is asked them (its ponder.json {@code answerCheck}). */
    public static final PromptProfile.AnswerCheck PROFILE = new PromptProfile.AnswerCheck("{problem}" + CHECK + "{answer}", REASONING_TOKENS);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code -Dchecks.form=rewrite}: the working rewrites the whole expression a line at a time ({@link Game24Recheck#of});
     * the default writes one operation a line in the chains' own form ({@link Game24Recheck#inSteps}).
     */
    private static final boolean REWRITE = "rewrite".equals(System.getProperty("checks.form"));

    @Parameters(index = "0", paramLabel = "<out.jsonl>", description = "the JSON-lines file of check examples to write")
    private Path out;

    @Parameters(index = "1", arity = "0..1", defaultValue = "6000", description = "synthetic answers drawn on training puzzles (default: ${DEFAULT-VALUE})")
    private int synthetic;

    @Parameters(index = "2", arity = "0..1", defaultValue = "17", description = "seed of the synthetic draw (default: ${DEFAULT-VALUE})")
    private long seed;

    @Parameters(index = "3..*", arity = "0..*", paramLabel = "<mined.jsonl>", description = "mined self-check files whose answer lines are used")
    private List<Path> mined = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new AnswerChecks()).execute(args));
    }

    /** The check's user message: the problem as the user asked it, then the answer to check. */
    public static String prompt(String problem, String answer) {
        return problem + CHECK + answer;
    }

    /** Whether a training example is an answer check (a chain example whose user message is {@link #prompt}). */
    public static boolean isCheck(TaskExample e) {
        return e instanceof Example x && x.user().contains(CHECK);
    }

    /** The problem of a check's user message, or the message itself when it is not one. */
    public static String problem(String user) {
        int at = user.lastIndexOf(CHECK);
        return at < 0 ? user : user.substring(0, at);
    }

    /** The check example of an answer to a Game-of-24 prompt; empty when the answer is no expression to recompute. */
    public static Optional<Example> of(String problem, String answer) {
        return Game24Chain.parsePrompt(problem)
                .flatMap(puzzle -> REWRITE ? Game24Recheck.of(puzzle, answer) : Game24Recheck.inSteps(puzzle, answer))
                .map(r -> new Example(prompt(problem, answer), r.reasoning() + (r.correct() ? "yes" : "no")));
    }

    @Override
    public Integer call() throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        List<Example> examples = new ArrayList<>();
        int fromMined = 0;
        for (Path file : mined) {
            for (TaskExample e : OwnSolutions.read(file)) {
                if (e instanceof SelfCheckExample s && add(examples, seen, s)) {
                    fromMined++;
                }
            }
        }
        List<Game24Puzzle> train = new TaskDatasets(TrainConfig.defaults().dataSeed()).puzzles(TaskDatasets.Split.TRAIN);
        Random rnd = new Random(seed);
        for (int i = 0; i < synthetic; i++) {
            List<Integer> puzzle = train.get(rnd.nextInt(train.size())).numbers();
            add(examples, seen, SelfChecks.game24Answer(puzzle, rnd));
        }
        Collections.shuffle(examples, new Random(seed));
        StringBuilder sb = new StringBuilder();
        long yes = 0;
        for (Example e : examples) {
            OwnChains.refuseBenchmark(out, e.user());
            ObjectNode n = JSON.createObjectNode();
            n.put("user", e.user());
            n.put("assistant", e.assistant());
            sb.append(JSON.writeValueAsString(n)).append('\n');
            yes += e.assistant().endsWith("yes") ? 1 : 0;
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, sb);
        System.err.printf("wrote %d answer checks (%d from mined answers, %d yes) to %s%n", examples.size(), fromMined, yes, out);
        return 0;
    }

    /** Adds the check of a self-check example's boxed last line, once per distinct prompt and answer. */
    private static boolean add(List<Example> to, Set<String> seen, SelfCheckExample s) {
        String[] lines = s.chainSoFar().split("\n");
        Optional<Example> e = Game24Chain.boxedContent(lines[lines.length - 1]).flatMap(a -> of(s.user(), a));
        if (e.isEmpty() || !seen.add(e.get().user())) {
            return false;
        }
        to.add(e.get());
        return true;
    }
}

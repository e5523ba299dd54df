package dev.ponder.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.eval.Game24Eval;
import dev.ponder.model.ForwardBatch;
import dev.ponder.engine.Engine;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.Generator;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.progress.ProgressBar;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Sampling;
import dev.ponder.search.StepDelimiter;
import dev.ponder.search.Step;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import dev.ponder.model.HfConfig;
import dev.ponder.model.ModelConfig;
import dev.ponder.model.SamplingParams;
import dev.ponder.model.SequenceInput;
import dev.ponder.model.Transformer;
import dev.ponder.model.checkpoint.WeightsLoader;
import dev.ponder.tasks.ChainCheck;
import dev.ponder.tasks.Game24Chain;
import dev.ponder.tasks.Fraction;
import dev.ponder.tasks.Game24Checker;
import dev.ponder.tasks.Game24Puzzle;
import dev.ponder.tasks.SelfCheckExample;
import dev.ponder.tasks.SelfChecks;
import dev.ponder.tasks.TaskDatasets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model's own chains, labelled exactly: sampling chains from a checkpoint, cutting them into the
 * prefixes the engine self-checks (whole lines, each ending in its newline), labelling every prefix with the
 * task verifier ({@link SelfChecks#verify}, i.e. {@code Game24Verifier}) and scoring it with the model's
 * own self-check, P(yes) / (P(yes) + P(no)) at the verdict position, which is what the engine's
 * {@code ScoreTask} computes after the same text. Used to measure the self-check on its own samples and to
 * mine fine-tuning examples ({@link SelfCheckMining}).
 */
public final class OwnChains {

    /** A checkpoint loaded the ordinary way, with its tokenizer. */
    public record Model(Transformer transformer, CharTokenizer tok) {
    }

    /** One sampled chain: the prompt, the text generated (no end token), and whether it ended at the end token. */
    public record Sample(String user, String text, boolean ended) {

        /** The boxed answer of the chain, checked exactly against the prompt's numbers (what a search returns). */
        public boolean answerValid() {
            Optional<List<Integer>> numbers = Game24Chain.parsePrompt(user);
            if (numbers.isEmpty()) {
                return false;
            }
            for (String line : text.split("\n")) {
                Optional<String> boxed = Game24Chain.boxedContent(line.strip());
                if (boxed.isPresent()) {
                    return Game24Checker.check(numbers.get().stream().map(Fraction::of).toList(), boxed.get()).valid();
                }
            }
            return false;
        }
    }

    /**
     * A prefix of a sampled chain as the engine would self-check it.
     *
     * @param example   the self-check question with its exact label (every line right so far)
     * @param lines     how many lines the prefix holds
     * @param complete  the prefix is the whole chain (its last line ended at the end token)
     * @param answer    the last line is the {@code \boxed{}} answer
     * @param verdict   the verdict of the first wrong line, or OK
     * @param newError  the last line is the first wrong one (the error was made by this step)
     */
    public record Prefix(SelfCheckExample example, int lines, boolean complete, boolean answer,
                         ChainCheck.Verdict verdict, boolean newError) {
    }

    private OwnChains() {
    }

    public static Model load(Path dir, NDManager manager) throws IOException {
        ModelConfig c = HfConfig.read(dir.resolve("config.json"));
        CharTokenizer tok = CharTokenizer.read(dir.resolve("tokenizer.json"));
        return new Model(new Transformer(c, WeightsLoader.load(dir, c, manager, DataType.FLOAT32)), tok);
    }

    /**
     * The self-check prefixes of one generated chain: for k = 1..n the first k non-blank lines, each with its
     * newline. A chain cut at the length limit loses its last (unfinished) line. Labels come from the exact
     * verifier of the prompt's task.
     */
    public static List<Prefix> prefixes(Sample s) {
        List<String> lines = new ArrayList<>(Arrays.asList(s.text().split("\n", -1)));
        if (!s.ended() && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);            // unfinished: everything after the last newline
        }
        lines.removeIf(String::isBlank);
        List<Prefix> out = new ArrayList<>();
        for (int k = 1; k <= lines.size(); k++) {
            String soFar = join(lines.subList(0, k));
            ChainCheck check = SelfChecks.verify(s.user(), soFar);
            int first = check.firstError();
            boolean correct = check.allCorrect();
            ChainCheck.Verdict verdict = first < 0 ? ChainCheck.Verdict.OK : check.lines().get(first).verdict();
            boolean answer = Game24Chain.boxedContent(lines.get(k - 1).strip()).isPresent();
            out.add(new Prefix(new SelfCheckExample(s.user(), soFar, correct), k, s.ended() && k == lines.size(),
                    answer, verdict, first == check.lines().size() - 1 && first >= 0));
        }
        return out;
    }

    /**
     * The prompts of training puzzles, the numbers shuffled half of the time as in training (their order carries no
     * signal), drawn from {@code rnd}. A benchmark puzzle is an error: nothing the model writes about one may become
     * training data.
     */
    public static List<String> trainingPrompts(List<Game24Puzzle> puzzles, Random rnd) {
        for (Game24Puzzle p : puzzles) {
            if (TaskDatasets.isBenchmark(p.numbers())) {
                throw new IllegalArgumentException("benchmark puzzle " + p.text() + " must not be sampled for training");
            }
        }
        List<String> users = new ArrayList<>();
        for (Game24Puzzle p : puzzles) {
            List<Integer> shown = new ArrayList<>(p.numbers());
            if (rnd.nextBoolean()) {
                Collections.shuffle(shown, rnd);
            }
            users.add(Game24Chain.prompt(shown));
        }
        return users;
    }

    /** Refuses a training file that holds a benchmark puzzle's prompt. */
    static void refuseBenchmark(Path file, String user) {
        // an answer check's message starts with its problem (AnswerChecks.prompt)
        Game24Chain.parsePrompt(AnswerChecks.problem(user)).ifPresent(nums -> {
            if (TaskDatasets.isBenchmark(nums)) {
                throw new IllegalArgumentException(file + " holds benchmark puzzle " + user);
            }
        });
    }

    /** Lines joined, each ending in its newline (the self-check's chain-so-far format). */
    static String join(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    /** The checkpoint on the engine (sampling) and the same weights for direct scoring. */
    public record Served(LanguageModel lm, Engine engine, Model model) implements AutoCloseable {

        public static Served load(Path dir) throws IOException {
            LanguageModel lm = Game24Eval.load(dir);   // -Deval.checkReasoning applies here too
            Engine engine = Game24Eval.engine(lm);
            return new Served(lm, engine, new Model(lm.transformer(), CharTokenizer.read(dir.resolve("tokenizer.json"))));
        }

        @Override
        public void close() {
            engine.close();
            lm.close();
        }
    }

    /**
     * {@code perPrompt} chains for every prompt, rolled out step by step on the engine as best-of-n does
     * ({@link SearchSession#complete}: newline-delimited steps of at most 48 tokens, at most
     * {@code maxChainTokens} per chain) at {@code temperature} (0: greedy), in prompt order then sample order.
     * Sample i of prompt p is seeded by (seed, p, i), so a rerun gives the same chains.
     */
    public static List<Sample> sample(Served s, List<String> users, int perPrompt, double temperature, long seed,
                                      int maxChainTokens, int concurrency) {
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < users.size(); p++) {
            order.add(p);
        }
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(System.err, 50);
        AtomicInteger finished = new AtomicInteger();
        List<List<Sample>> byPrompt = Multi.createFrom().iterable(order)
                .onItem().transformToUni(p -> {
                    String u = users.get(p);
                    int[] ids = s.lm().encodePrompt(s.lm().renderChat(List.of(ChatMessage.user(u))));
                    Problem problem = new Problem("own-" + p, u);
                    return Uni.createFrom().deferred(() -> {
                        SearchSession session = s.engine().openSession(ids);
                        List<Uni<Chain>> chains = new ArrayList<>();
                        for (int i = 0; i < perPrompt; i++) {
                            Sampling sampling = new Sampling(temperature, Batches.streamSeed(seed, (long) p * 65_536 + i), 48,
                                    maxChainTokens, StepDelimiter.NEWLINE);
                            chains.add(session.complete(Chain.of(problem), sampling));
                        }
                        return Uni.join().all(chains).andFailFast().eventually(session::close);
                    }).map(cs -> {
                        List<Sample> out = new ArrayList<>();
                        for (Chain c : cs) {
                            out.add(new Sample(u, c.text(), c.terminal() && c.tokenCount() < maxChainTokens));
                        }
                        bar.update("sampled prompts", finished.incrementAndGet(), users.size(), null, t0);
                        return out;
                    });
                })
                .merge(concurrency)
                .collect().asList()
                .await().atMost(Duration.ofHours(2));
        // merge() completes out of order: put every prompt's samples back in place
        Map<String, List<List<Sample>>> byUser = new HashMap<>();
        byPrompt.forEach(l -> byUser.computeIfAbsent(l.get(0).user(), k -> new ArrayList<>()).add(l));
        List<Sample> out = new ArrayList<>();
        for (String u : users) {
            out.addAll(byUser.get(u).remove(0));
        }
        return out;
    }

    /**
     * {@code perPrompt} chains for every prompt with the plain {@link Generator} (slow for large batches;
     * the engine path above is the one the tools use), in prompt order then sample order.
     */
    public static List<Sample> sample(Model m, List<String> users, int perPrompt, double temperature, long seed,
                                      int maxNewTokens, int batch, NDManager manager) {
        int eos = m.tok().id(ChatFormat.IM_END);
        List<String> all = new ArrayList<>();
        for (String u : users) {
            for (int i = 0; i < perPrompt; i++) {
                all.add(u);
            }
        }
        List<Sample> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += batch) {
            List<String> part = all.subList(from, Math.min(all.size(), from + batch));
            List<int[]> prompts = part.stream().map(u -> m.tok().encode(ChatFormat.prompt(u))).toList();
            SamplingParams sp = temperature == 0 ? SamplingParams.greedy()
                    : SamplingParams.temperature(temperature, seed * 1_000_003L + from);
            List<Generator.Output> outs;
            try (NDManager scope = manager.newSubManager()) {
                outs = new Generator(m.transformer(), scope).generate(prompts, maxNewTokens, sp, t -> t == eos);
            }
            for (int i = 0; i < part.size(); i++) {
                Generator.Output o = outs.get(i);
                int[] t = o.tokens();
                if (o.stopped() && t.length > 0 && t[t.length - 1] == eos) {
                    t = Arrays.copyOf(t, t.length - 1);
                }
                out.add(new Sample(part.get(i), m.tok().decode(t), o.stopped()));
            }
        }
        return out;
    }

    /**
     * The self-check score of each example as a search gets it, through the engine's own check
     * ({@link SearchSession#selfCheck}): the chain so far as one step per line, the question, the model's working
     * when its profile lets it write before its verdict (a generative check), and P(yes) / (P(yes) + P(no)) at the
     * verdict. Examples of one prompt share a session, {@code concurrency} prompts at a time.
     */
    public static double[] scoreOnEngine(Served s, List<SelfCheckExample> examples, int concurrency) {
        Map<String, List<Integer>> byUser = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byUser.computeIfAbsent(examples.get(i).user(), k -> new ArrayList<>()).add(i);
        }
        double[] out = new double[examples.size()];
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(System.err, 50);
        AtomicInteger finished = new AtomicInteger();
        Multi.createFrom().iterable(byUser.entrySet())
                .onItem().transformToUni(e -> {
                    String u = e.getKey();
                    int[] ids = s.lm().encodePrompt(s.lm().renderChat(List.of(ChatMessage.user(u))));
                    Problem problem = new Problem("check", u);
                    List<Chain> chains = new ArrayList<>();
                    for (int i : e.getValue()) {
                        Chain c = Chain.of(problem);
                        for (String line : examples.get(i).chainSoFar().split("(?<=\n)")) {
                            c = c.append(Step.of(line, s.lm().tokenizer().encode(line), 0, false));
                        }
                        chains.add(c);
                    }
                    return Uni.createFrom().deferred(() -> {
                        SearchSession session = s.engine().openSession(ids);
                        return session.selfCheck(chains).eventually(session::close);
                    }).invoke(scores -> {
                        for (int k = 0; k < scores.size(); k++) {
                            out[e.getValue().get(k)] = scores.get(k);
                        }
                        bar.update("self-checked prompts", finished.incrementAndGet(), byUser.size(), null, t0);
                    });
                })
                .merge(concurrency)
                .collect().asList()
                .await().atMost(Duration.ofHours(2));
        return out;
    }

    /** The model's self-check score of each example: P(yes) / (P(yes) + P(no)) from the first letters. */
    public static double[] score(Model m, List<SelfCheckExample> examples, int batch, NDManager manager) {
        int yes = m.tok().id("y");
        int no = m.tok().id("n");
        int v = m.transformer().config().vocabSize();
        double[] out = new double[examples.size()];
        for (int from = 0; from < examples.size(); from += batch) {
            List<SelfCheckExample> part = examples.subList(from, Math.min(examples.size(), from + batch));
            List<SequenceInput> seqs = new ArrayList<>();
            for (SelfCheckExample s : part) {
                seqs.add(SequenceInput.uncached(m.tok().encode(TokenizedExample.render(s)[0])));
            }
            float[] logits;
            try (NDManager scope = manager.newSubManager()) {
                logits = m.transformer().forward(scope, new ForwardBatch(seqs, ForwardBatch.Logits.LAST), null).toFloatArray();
            }
            for (int i = 0; i < part.size(); i++) {
                double ly = logits[i * v + yes];
                double ln = logits[i * v + no];
                double mx = Math.max(ly, ln);
                out[from + i] = Math.exp(ly - mx) / (Math.exp(ly - mx) + Math.exp(ln - mx));
            }
        }
        return out;
    }

    /**
     * Area under the ROC curve: the probability that a random positive scores above a random negative (ties
     * count one half); NaN when either class is empty.
     */
    public static double auc(double[] scores, boolean[] labels) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long pos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;                 // average rank of the tie group, 1-based
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]]) {
                    rankSum += midRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}

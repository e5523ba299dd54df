package dev.ponder.train;

import dev.ponder.search.Seeds;
import dev.ponder.tasks.TaskDatasets;
import dev.ponder.tasks.TaskExample;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * The data: the batch of step s is a pure function of (seed, s), drawn from an example stream seeded by
 * both, so a resumed run sees exactly the batches an uninterrupted one would. Validation is a fixed list.
 */
public final class Batches {

    /** The validation mixture (and the vocabulary sample): equal counts of chains and self-checks. */
    public static final TaskDatasets.Mix MIX = TaskDatasets.Mix.defaults();

    private final LongFunction<Iterator<TaskExample>> trainStream;
    private final List<TaskExample> validation;
    private final CharTokenizer tok;
    private final long seed;
    private final int batchTokens;

    public Batches(LongFunction<Iterator<TaskExample>> trainStream, List<TaskExample> validation, CharTokenizer tok,
                   long seed, int batchTokens) {
        this.trainStream = trainStream;
        this.validation = List.copyOf(validation);
        this.tok = tok;
        this.seed = seed;
        this.batchTokens = batchTokens;
    }

    /**
     * The task data: the TaskDatasets train stream (chains and self-checks of Game of 24 and arithmetic)
     * and {@code validationExamples} items of the validation split (benchmark puzzles excluded by TaskDatasets).
     */
    public static Batches of(TaskDatasets data, CharTokenizer tok, long seed, int batchTokens, int validationExamples) {
        return of(data, MIX, tok, seed, batchTokens, validationExamples);
    }

    /** {@link #of} with the training stream drawn in the proportions {@code mix} (validation keeps {@link #MIX}). */
    public static Batches of(TaskDatasets data, TaskDatasets.Mix mix, CharTokenizer tok, long seed, int batchTokens,
                             int validationExamples) {
        return new Batches(s -> data.stream(TaskDatasets.Split.TRAIN, mix, s),
                data.mixture(TaskDatasets.Split.VALIDATION, MIX, validationExamples, seed ^ 0x5EEDL), tok, seed, batchTokens);
    }

    /**
     * Fine-tuning data: the task data of {@link #of}, with a {@code share} of each batch's examples drawn
     * uniformly from {@code mined} (self-checks on the model's own chains) instead. Still a pure function of
     * (seed, step); validation is the task data's.
     */
    public static Batches withMined(TaskDatasets data, List<? extends TaskExample> mined, double share, CharTokenizer tok,
                                    long seed, int batchTokens, int validationExamples) {
        return withMined(data, MIX, mined, share, tok, seed, batchTokens, validationExamples);
    }

    /** {@link #withMined} with the task stream drawn in the proportions {@code mix}. */
    public static Batches withMined(TaskDatasets data, TaskDatasets.Mix mix, List<? extends TaskExample> mined, double share,
                                    CharTokenizer tok, long seed, int batchTokens, int validationExamples) {
        if (mined.isEmpty() || share <= 0) {
            return of(data, mix, tok, seed, batchTokens, validationExamples);
        }
        List<TaskExample> m = List.copyOf(mined);
        return new Batches(s -> {
            Iterator<TaskExample> tasks = data.stream(TaskDatasets.Split.TRAIN, mix, s);
            SplittableRandom r = new SplittableRandom(s ^ 0x6D696E6564L);
            return Stream.generate(() -> r.nextDouble() < share ? m.get(r.nextInt(m.size())) : tasks.next()).iterator();
        }, data.mixture(TaskDatasets.Split.VALIDATION, MIX, validationExamples, seed ^ 0x5EEDL), tok, seed, batchTokens);
    }

    /** A fixed list, visited in a seeded random order per step (for tests). */
    public static Batches fixed(List<? extends TaskExample> train, List<? extends TaskExample> validation,
                                CharTokenizer tok, long seed, int batchTokens) {
        return new Batches(s -> {
            SplittableRandom r = new SplittableRandom(s);
            return Stream.generate(() -> (TaskExample) train.get(r.nextInt(train.size()))).iterator();
        }, List.copyOf(validation), tok, seed, batchTokens);
    }

    /** Examples of step {@code step} until the batch holds at least batchTokens tokens. */
    public List<TokenizedExample> train(int step) {
        Iterator<TaskExample> it = trainStream.apply(streamSeed(seed, step));
        List<TokenizedExample> out = new ArrayList<>();
        int tokens = 0;
        while (tokens < batchTokens) {
            TokenizedExample e = TokenizedExample.of(it.next(), tok);
            out.add(e);
            tokens += e.tokens().length - 1;
        }
        return out;
    }

    /** The fixed validation set, cut into batches of about batchTokens. */
    public List<List<TokenizedExample>> validation() {
        return packed(validation, tok, batchTokens);
    }

    /** {@code items} tokenized and cut, in order, into batches that close once they hold at least batchTokens tokens. */
    public static List<List<TokenizedExample>> packed(List<? extends TaskExample> items, CharTokenizer tok, int batchTokens) {
        List<List<TokenizedExample>> out = new ArrayList<>();
        List<TokenizedExample> cur = new ArrayList<>();
        int tokens = 0;
        for (TaskExample item : items) {
            TokenizedExample e = TokenizedExample.of(item, tok);
            cur.add(e);
            tokens += e.tokens().length - 1;
            if (tokens >= batchTokens) {
                out.add(cur);
                cur = new ArrayList<>();
                tokens = 0;
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Texts from both splits, for building the character vocabulary. */
    public static List<String> vocabularyTexts(TaskDatasets data, int perSplit, long seed) {
        List<String> out = new ArrayList<>();
        for (TaskDatasets.Split s : TaskDatasets.Split.values()) {
            for (TaskExample e : data.mixture(s, MIX, perSplit, seed)) {
                String[] parts = TokenizedExample.render(e);
                out.add(parts[0] + parts[1]);
            }
        }
        return out;
    }

    // SplitMix64 of (seed, step): independent streams per step (or per sample, for OwnChains).
    static long streamSeed(long seed, long step) {
        return Seeds.mix(seed * Seeds.GOLDEN + step + 1);
    }
}

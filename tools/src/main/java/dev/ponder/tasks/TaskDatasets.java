package dev.ponder.tasks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.ponder.search.Seeds;
import dev.ponder.tasks.ArithmeticProblem.Language;

/**
 * Deterministic train / validation data for the embedded model.
 *
 * <p>Game of 24: the 1,362 puzzles of {@code tasks/game24/24.csv} minus the Tree-of-Thoughts benchmark
 * (ranks 901-1000, also listed in {@code benchmark-901-1000.txt}; excluded by multiset) leave 1,262, split
 * by a seeded shuffle into {@value #GAME24_VALIDATION} validation puzzles and the rest for training.
 * Arithmetic: powers {@code b^e} (2 &le; b, e &le; 20, result &le; 10^10) and products of a 1-4 digit number
 * by a 1-3 digit number; each problem belongs to one split by a seeded hash of its order-free key
 * (one in ten for validation).
 */
public final class TaskDatasets {

    /** Which split. */
    public enum Split { TRAIN, VALIDATION }

    /**
     * Proportions of the kinds of items in a mixed stream (need not sum to 1): Game-of-24 chains, Game-of-24
     * self-checks (synthetic corruptions), arithmetic chains, arithmetic self-checks, Game-of-24 state
     * values ({@link SelfChecks#game24Value}), Game-of-24 whole chains ({@link SelfChecks#game24Completion}),
     * Game-of-24 answer lines checked by recomputation ({@link SelfChecks#game24Answer}) and Game-of-24 board slips
     * ({@link SelfChecks#game24Slip}).
     */
    public record Mix(double game24Chains, double game24SelfChecks, double arithmeticChains, double arithmeticSelfChecks,
                      double game24Values, double game24Completions, double game24Answers, double game24Slips) {
        public Mix {
            if (game24Chains < 0 || game24SelfChecks < 0 || arithmeticChains < 0 || arithmeticSelfChecks < 0
                    || game24Values < 0 || game24Completions < 0 || game24Answers < 0 || game24Slips < 0
                    || game24Chains + game24SelfChecks + arithmeticChains + arithmeticSelfChecks + game24Values
                    + game24Completions + game24Answers + game24Slips <= 0) {
                throw new IllegalArgumentException("proportions must be >= 0 and not all 0");
            }
        }

        /** The seven kinds of the answer-recheck runs, no board slips. */
        public Mix(double game24Chains, double game24SelfChecks, double arithmeticChains, double arithmeticSelfChecks,
                   double game24Values, double game24Completions, double game24Answers) {
            this(game24Chains, game24SelfChecks, arithmeticChains, arithmeticSelfChecks, game24Values, game24Completions,
                    game24Answers, 0);
        }

        /** The six kinds of the whole-chain runs, no answer rechecks. */
        public Mix(double game24Chains, double game24SelfChecks, double arithmeticChains, double arithmeticSelfChecks,
                   double game24Values, double game24Completions) {
            this(game24Chains, game24SelfChecks, arithmeticChains, arithmeticSelfChecks, game24Values, game24Completions, 0, 0);
        }

        /** The five kinds of the state-value runs, no whole chains. */
        public Mix(double game24Chains, double game24SelfChecks, double arithmeticChains, double arithmeticSelfChecks,
                   double game24Values) {
            this(game24Chains, game24SelfChecks, arithmeticChains, arithmeticSelfChecks, game24Values, 0, 0, 0);
        }

        /** The four kinds of the first runs, no state values. */
        public Mix(double game24Chains, double game24SelfChecks, double arithmeticChains, double arithmeticSelfChecks) {
            this(game24Chains, game24SelfChecks, arithmeticChains, arithmeticSelfChecks, 0, 0, 0, 0);
        }

        /** The names of the eight kinds, in --mix order. */
        public static final List<String> KINDS = List.of("game24Chains", "game24SelfChecks", "arithmeticChains",
                "arithmeticSelfChecks", "game24Values", "game24Completions", "game24Answers", "game24Slips");

        /** The proportions in {@link #KINDS} order. */
        public double[] shares() {
            return new double[] {game24Chains, game24SelfChecks, arithmeticChains, arithmeticSelfChecks, game24Values,
                    game24Completions, game24Answers, game24Slips};
        }

        /** Only the kind at {@code index} of {@link #KINDS}. */
        public static Mix only(int index) {
            double[] p = new double[KINDS.size()];
            p[index] = 1;
            return new Mix(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
        }

        public static Mix defaults() {
            return new Mix(0.35, 0.35, 0.15, 0.15);
        }

        double total() {
            return game24Chains + game24SelfChecks + arithmeticChains + arithmeticSelfChecks + game24Values
                    + game24Completions + game24Answers + game24Slips;
        }
    }

    public static final String CSV = "/tasks/game24/24.csv";
    public static final String BENCHMARK_LIST = "/tasks/game24/benchmark-901-1000.txt";
    public static final int BENCHMARK_FIRST_RANK = 901;
    public static final int BENCHMARK_LAST_RANK = 1000;
    public static final int GAME24_VALIDATION = 100;
    public static final BigInteger MAX_POWER = BigInteger.TEN.pow(10);

    private static final List<Game24Puzzle> ALL = loadCsv();
    private static final Set<String> BENCHMARK_KEYS = loadBenchmarkKeys();

    private final long seed;
    private final List<Game24Puzzle> train;
    private final List<Game24Puzzle> validation;
    private final List<ArithmeticProblem.Power> trainPowers;
    private final List<ArithmeticProblem.Power> validationPowers;

    public TaskDatasets(long seed) {
        this.seed = seed;
        List<Game24Puzzle> pool = new ArrayList<>(ALL.stream().filter(p -> !isBenchmark(p.numbers())).toList());
        Collections.shuffle(pool, new Random(seed));
        this.validation = List.copyOf(pool.subList(0, GAME24_VALIDATION));
        this.train = List.copyOf(pool.subList(GAME24_VALIDATION, pool.size()));
        this.trainPowers = allPowers().stream().filter(p -> splitOf(p) == Split.TRAIN).toList();
        this.validationPowers = allPowers().stream().filter(p -> splitOf(p) == Split.VALIDATION).toList();
    }

    // ------------------------------------------------------------------ puzzles

    /** All 1,362 puzzles of the csv, by rank. */
    public static List<Game24Puzzle> allPuzzles() {
        return ALL;
    }

    /** The 100 benchmark puzzles (ranks 901-1000), for evaluation only. */
    public static List<Game24Puzzle> benchmarkPuzzles() {
        return ALL.stream().filter(p -> p.rank() >= BENCHMARK_FIRST_RANK && p.rank() <= BENCHMARK_LAST_RANK).toList();
    }

    /** True when the numbers, in any order, are a benchmark puzzle (by the rank range or the exclusion list). */
    public static boolean isBenchmark(List<Integer> numbers) {
        return BENCHMARK_KEYS.contains(Game24Puzzle.key(numbers));
    }

    public List<Game24Puzzle> puzzles(Split split) {
        return split == Split.TRAIN ? train : validation;
    }

    public long seed() {
        return seed;
    }

    // ------------------------------------------------------------------ arithmetic problems

    /** Every power b^e with 2 &le; b, e &le; 20 and b^e &le; 10^10, by base then exponent. */
    public static List<ArithmeticProblem.Power> allPowers() {
        List<ArithmeticProblem.Power> out = new ArrayList<>();
        for (int b = 2; b <= 20; b++) {
            for (int e = 2; e <= 20; e++) {
                if (BigInteger.valueOf(b).pow(e).compareTo(MAX_POWER) <= 0) {
                    out.add(new ArithmeticProblem.Power(b, e));
                }
            }
        }
        return out;
    }

    public List<ArithmeticProblem.Power> powers(Split split) {
        return split == Split.TRAIN ? trainPowers : validationPowers;
    }

    /** The split an arithmetic problem belongs to under this seed (one in ten is validation). */
    public Split splitOf(ArithmeticProblem problem) {
        long h = Seeds.mix(seed * Seeds.GOLDEN + problem.key().hashCode());
        return Math.floorMod(h, 10) == 0 ? Split.VALIDATION : Split.TRAIN;
    }

    /** A random product in the split: mostly a 3-4 digit number times a 2-3 digit one, else 1-4 digits (at least 2) times 1-3. */
    public ArithmeticProblem.Product randomProduct(Split split, Random rnd) {
        while (true) {
            // three times in four the size users ask about, drawn as they are (uniform from 100-9999 and 10-999,
            // so mostly 4 digits by 3), else any size: a uniform digit count, 1-4 by 1-3
            boolean asked = rnd.nextDouble() < 0.75;
            long a = asked ? 100 + rnd.nextInt(9_900) : randomWithDigits(1 + rnd.nextInt(4), rnd);
            long b = asked ? 10 + rnd.nextInt(990) : randomWithDigits(1 + rnd.nextInt(3), rnd);
            ArithmeticProblem.Product p = rnd.nextBoolean() ? new ArithmeticProblem.Product(a, b) : new ArithmeticProblem.Product(b, a);
            if (splitOf(p) == split) {
                return p;
            }
        }
    }

    /** A random problem of the split: a power with probability 0.25, else a product. */
    public ArithmeticProblem randomArithmetic(Split split, Random rnd) {
        List<ArithmeticProblem.Power> powers = powers(split);
        return rnd.nextDouble() < 0.25 ? powers.get(rnd.nextInt(powers.size())) : randomProduct(split, rnd);
    }

    private static long randomWithDigits(int digits, Random rnd) {
        long lo = digits == 1 ? 2 : (long) Math.pow(10, digits - 1);
        long hi = (long) Math.pow(10, digits) - 1;
        return lo + (long) (rnd.nextDouble() * (hi - lo + 1));
    }

    // ------------------------------------------------------------------ examples

    /** A chain example for a random puzzle of the split: a chain drawn uniformly among its valid chains. */
    public Example game24Example(Split split, Random rnd) {
        Game24Puzzle p = puzzles(split).get(rnd.nextInt(puzzles(split).size()));
        List<Integer> shown = promptOrder(p, rnd);
        return new Example(Game24Chain.prompt(shown), Game24Chain.sample(p.numbers(), rnd).orElseThrow().text());
    }

    /** A self-check example for a random puzzle of the split; positive or negative with equal chance. */
    public SelfCheckExample game24SelfCheck(Split split, Random rnd) {
        Game24Puzzle p = puzzles(split).get(rnd.nextInt(puzzles(split).size()));
        return SelfChecks.game24(promptOrder(p, rnd), 1, rnd).get(0);
    }

    /** A state-value example ({@link SelfChecks#game24Value}) for a random puzzle of the split. */
    public SelfCheckExample game24Value(Split split, Random rnd) {
        Game24Puzzle p = puzzles(split).get(rnd.nextInt(puzzles(split).size()));
        return SelfChecks.game24Value(promptOrder(p, rnd), rnd);
    }

    /** A whole-chain example ({@link SelfChecks#game24Completion}) for a random puzzle of the split. */
    public SelfCheckExample game24Completion(Split split, Random rnd) {
        Game24Puzzle p = puzzles(split).get(rnd.nextInt(puzzles(split).size()));
        return SelfChecks.game24Completion(promptOrder(p, rnd), rnd);
    }

    /** An answer line checked by recomputation ({@link SelfChecks#game24Answer}) for a random puzzle of the split. */
    public SelfCheckExample game24Answer(Split split, Random rnd) {
        Game24Puzzle p = puzzles(split).get(rnd.nextInt(puzzles(split).size()));
        return SelfChecks.game24Answer(promptOrder(p, rnd), rnd);
    }

    /** A board-slip example ({@link SelfChecks#game24Slip}) for a random puzzle of the split. */
    public SelfCheckExample game24Slip(Split split, Random rnd) {
        Game24Puzzle p = puzzles(split).get(rnd.nextInt(puzzles(split).size()));
        return SelfChecks.game24Slip(promptOrder(p, rnd), rnd);
    }

    public Example arithmeticExample(Split split, Random rnd) {
        ArithmeticProblem p = randomArithmetic(split, rnd);
        return new Example(p.prompt(language(rnd)), ArithmeticChain.text(p));
    }

    public SelfCheckExample arithmeticSelfCheck(Split split, Random rnd) {
        return SelfChecks.arithmetic(randomArithmetic(split, rnd), language(rnd), 1, rnd).get(0);
    }

    /** Every puzzle of the split with {@code perPuzzle} sampled chains each, in puzzle order. */
    public List<Example> game24Examples(Split split, int perPuzzle, long exampleSeed) {
        Random rnd = new Random(exampleSeed);
        List<Example> out = new ArrayList<>();
        for (Game24Puzzle p : puzzles(split)) {
            for (int i = 0; i < perPuzzle; i++) {
                out.add(new Example(Game24Chain.prompt(promptOrder(p, rnd)),
                        Game24Chain.sample(p.numbers(), rnd).orElseThrow().text()));
            }
        }
        return out;
    }

    /** Every puzzle of the split with {@code perPuzzle} self-checks each (balanced), in puzzle order. */
    public List<SelfCheckExample> game24SelfChecks(Split split, int perPuzzle, long exampleSeed) {
        Random rnd = new Random(exampleSeed);
        List<SelfCheckExample> out = new ArrayList<>();
        for (Game24Puzzle p : puzzles(split)) {
            out.addAll(SelfChecks.game24(promptOrder(p, rnd), perPuzzle, rnd));
        }
        return out;
    }

    /** An endless deterministic stream mixing the kinds of items in the given proportions. */
    public Iterator<TaskExample> stream(Split split, Mix mix, long streamSeed) {
        Random rnd = new Random(streamSeed);
        double total = mix.total();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public TaskExample next() {
                TaskExample e = draw();
                // a stream with answer rechecks has every Game-of-24 check of a boxed answer recompute it first;
                // a stream without draws exactly what it drew before rechecks existed
                return mix.game24Answers() > 0 && e instanceof SelfCheckExample s ? SelfChecks.withRecheck(s) : e;
            }

            private TaskExample draw() {
                double u = rnd.nextDouble() * total;
                if ((u -= mix.game24Chains()) < 0) {
                    return game24Example(split, rnd);
                }
                if ((u -= mix.game24SelfChecks()) < 0) {
                    return game24SelfCheck(split, rnd);
                }
                if ((u -= mix.arithmeticChains()) < 0) {
                    return arithmeticExample(split, rnd);
                }
                if ((u -= mix.arithmeticSelfChecks()) < 0) {
                    return arithmeticSelfCheck(split, rnd);
                }
                // (a mix without the later kinds draws exactly the stream it drew before they existed)
                if (u < mix.game24Values() || mix.game24Completions() + mix.game24Answers() + mix.game24Slips() == 0) {
                    return game24Value(split, rnd);
                }
                u -= mix.game24Values();
                if (u < mix.game24Completions() || mix.game24Answers() + mix.game24Slips() == 0) {
                    return game24Completion(split, rnd);
                }
                u -= mix.game24Completions();
                if (u < mix.game24Answers() || mix.game24Slips() == 0) {
                    return game24Answer(split, rnd);
                }
                return game24Slip(split, rnd);
            }
        };
    }

    /** The first {@code size} items of {@link #stream}. */
    public List<TaskExample> mixture(Split split, Mix mix, int size, long streamSeed) {
        Iterator<TaskExample> it = stream(split, mix, streamSeed);
        List<TaskExample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(it.next());
        }
        return out;
    }

    // Half of the prompts show the numbers as listed, half shuffled, so order carries no signal.
    private static List<Integer> promptOrder(Game24Puzzle p, Random rnd) {
        if (rnd.nextBoolean()) {
            return p.numbers();
        }
        List<Integer> shown = new ArrayList<>(p.numbers());
        Collections.shuffle(shown, rnd);
        return shown;
    }

    private static Language language(Random rnd) {
        return rnd.nextBoolean() ? Language.EN : Language.ZH;
    }

    // ------------------------------------------------------------------ resources

    private static List<Game24Puzzle> loadCsv() {
        List<Game24Puzzle> out = new ArrayList<>();
        for (String line : readLines(CSV)) {
            String[] cols = line.split(",");
            if (cols.length < 2 || !cols[0].strip().matches("\\d+")) {
                continue; // header
            }
            out.add(Game24Puzzle.of(Integer.parseInt(cols[0].strip()), cols[1]));
        }
        return List.copyOf(out);
    }

    // The exclusion keys: the explicit list plus the csv's ranks 901-1000 (the two must agree; a test checks).
    private static Set<String> loadBenchmarkKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String line : readLines(BENCHMARK_LIST)) {
            if (!line.isBlank()) {
                keys.add(Game24Puzzle.of(0, line).key());
            }
        }
        benchmarkPuzzles().forEach(p -> keys.add(p.key()));
        return Set.copyOf(keys);
    }

    /** The non-blank lines of a classpath resource. */
    static List<String> readLines(String resource) {
        InputStream in = TaskDatasets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing resource " + resource);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys of the explicit exclusion list only (for the hygiene test). */
    static Set<String> benchmarkListKeys() {
        Set<String> keys = new LinkedHashSet<>();
        readLines(BENCHMARK_LIST).forEach(l -> keys.add(Game24Puzzle.of(0, l).key()));
        return keys;
    }
}

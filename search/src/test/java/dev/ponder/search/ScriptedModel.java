package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A step model over a known tree of steps, for unit tests only. Steps are the tree's options (text plus
 * "\n"), sampled by softmax(logProb / T) with the call's seed; self-check values come from the script.
 * It counts every call, can deliver results on other threads, and can hold calls (never answering them
 * until released) to test cancellation and deadlines.
 */
final class ScriptedModel implements StepModel {

    /** One possible next step. */
    record Option(String text, double logProb, boolean terminal) {
    }

    /** The tree: options after a path of step texts, and the self-check of a path. */
    interface Script {
        List<Option> children(List<String> path);

        double check(List<String> path);
    }

    /** A propose call as the model saw it. */
    record ProposeCall(int depth, int k) {
    }

    private final Script script;
    private Executor executor;
    private Predicate<Chain> holdPropose = c -> false;
    private Predicate<Chain> holdComplete = c -> false;
    private boolean holdSelfCheck;
    private RuntimeException selfCheckFailure;

    final List<ProposeCall> proposeCalls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger selfCheckCalls = new AtomicInteger();
    final AtomicInteger chainsChecked = new AtomicInteger();
    final AtomicInteger completeCalls = new AtomicInteger();
    final AtomicLong tokensReturned = new AtomicLong();
    final AtomicInteger cancelled = new AtomicInteger();
    final List<Runnable> held = Collections.synchronizedList(new ArrayList<>());
    final List<Chain> released = Collections.synchronizedList(new ArrayList<>());

    /** The fresh-context check of each final answer (null: the model has none), and the answers it was asked. */
    private java.util.function.ToDoubleFunction<String> answerCheck;
    final List<String> answersChecked = Collections.synchronizedList(new ArrayList<>());

    ScriptedModel(Script script) {
        this.script = script;
    }

    /** Deliver every result on {@code executor} (completion order then varies with scheduling). */
    ScriptedModel deliverOn(Executor e) {
        executor = e;
        return this;
    }

    ScriptedModel holdProposeWhen(Predicate<Chain> p) {
        holdPropose = p;
        return this;
    }

    ScriptedModel holdCompleteWhen(Predicate<Chain> p) {
        holdComplete = p;
        return this;
    }

    ScriptedModel holdSelfChecks() {
        holdSelfCheck = true;
        return this;
    }

    ScriptedModel failSelfCheckWith(RuntimeException e) {
        selfCheckFailure = e;
        return this;
    }

    /** Checks final answers in a fresh context with {@code check}. */
    ScriptedModel checkingAnswers(java.util.function.ToDoubleFunction<String> check) {
        answerCheck = check;
        return this;
    }

    @Override
    public boolean checksAnswers() {
        return answerCheck != null;
    }

    @Override
    public Uni<List<Double>> checkAnswers(List<String> answers) {
        if (answerCheck == null) {
            return StepModel.super.checkAnswers(answers);
        }
        answersChecked.addAll(answers);
        return deliver(false, () -> answers.stream().map(a -> answerCheck.applyAsDouble(a)).toList());
    }

    int modelCalls() {
        return proposeCalls.size() + selfCheckCalls.get() + completeCalls.get();
    }

    /** Answers every held call now (as an engine racing a cancellation would). */
    void releaseHeld() {
        List<Runnable> copy;
        synchronized (held) {
            copy = new ArrayList<>(held);
            held.clear();
        }
        copy.forEach(Runnable::run);
    }

    @Override
    public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
        proposeCalls.add(new ProposeCall(chain.depth(), k));
        return deliver(holdPropose.test(chain), () -> {
            List<Step> steps = sample(path(chain), k, sampling);
            steps.forEach(s -> tokensReturned.addAndGet(s.tokenCount()));
            return steps;
        });
    }

    @Override
    public Uni<List<Double>> selfCheck(List<Chain> chains) {
        selfCheckCalls.incrementAndGet();
        chainsChecked.addAndGet(chains.size());
        if (selfCheckFailure != null) {
            return Uni.createFrom().failure(selfCheckFailure);
        }
        return deliver(holdSelfCheck, () -> chains.stream().map(c -> script.check(path(c))).toList());
    }

    @Override
    public Uni<Chain> complete(Chain chain, Sampling sampling) {
        completeCalls.incrementAndGet();
        return deliver(holdComplete.test(chain), () -> {
            Chain c = chain;
            Random rnd = new Random(sampling.seed());
            while (!c.terminal() && c.tokenCount() < sampling.maxChainTokens() && c.depth() < 50) {
                List<Step> next = sample(path(c), 1, sampling.withSeed(rnd.nextLong()));
                if (next.isEmpty()) {
                    break;
                }
                tokensReturned.addAndGet(next.get(0).tokenCount());
                c = c.append(next.get(0));
            }
            return c;
        });
    }

    @Override
    public void release(Chain chain) {
        released.add(chain);
    }

    /** Answers now, later on the executor, or only when released (recording cancellation). */
    private <T> Uni<T> deliver(boolean hold, Supplier<T> answer) {
        Uni<T> uni = Uni.createFrom().emitter((UniEmitter<? super T> em) -> {
            if (hold) {
                boolean[] done = {false};
                em.onTermination(() -> {
                    if (!done[0]) {
                        cancelled.incrementAndGet();
                    }
                });
                held.add(() -> {
                    done[0] = true;
                    em.complete(answer.get());
                });
            } else {
                em.complete(answer.get());
            }
        });
        return executor == null || hold ? uni : uni.emitOn(executor);
    }

    static List<String> path(Chain chain) {
        return chain.steps().stream().map(s -> s.text().strip()).toList();
    }

    /** k samples: distinct options first (Gumbel top-k), then repeats; T = 0 repeats the argmax. */
    private List<Step> sample(List<String> path, int k, Sampling sampling) {
        List<Option> options = script.children(path);
        if (options.isEmpty()) {
            return List.of();
        }
        List<Step> out = new ArrayList<>();
        if (sampling.temperature() == 0) {
            Option best = options.stream().max(Comparator.comparingDouble(Option::logProb)).orElseThrow();
            for (int i = 0; i < k; i++) {
                out.add(step(best));
            }
            return out;
        }
        Random rnd = new Random(sampling.seed());
        double t = sampling.temperature();
        Map<Option, Double> keys = new HashMap<>();
        for (Option o : options) {
            keys.put(o, o.logProb() / t - Math.log(-Math.log(rnd.nextDouble())));
        }
        List<Option> order = new ArrayList<>(options);
        order.sort(Comparator.comparingDouble(keys::get).reversed());
        for (int i = 0; i < k; i++) {
            out.add(step(i < order.size() ? order.get(i) : draw(options, t, rnd)));
        }
        return out;
    }

    private static Option draw(List<Option> options, double t, Random rnd) {
        double max = options.stream().mapToDouble(Option::logProb).max().orElseThrow();
        double total = options.stream().mapToDouble(o -> Math.exp((o.logProb() - max) / t)).sum();
        double u = rnd.nextDouble() * total;
        for (Option o : options) {
            u -= Math.exp((o.logProb() - max) / t);
            if (u <= 0) {
                return o;
            }
        }
        return options.get(options.size() - 1);
    }

    /** A step with one token per word (ids from the word's hash). */
    private static Step step(Option o) {
        String[] words = o.text().split("\\s+");
        int[] tokens = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            tokens[i] = Math.floorMod(words[i].hashCode(), 50_000);
        }
        return Step.of(o.text() + "\n", tokens, o.logProb(), o.terminal());
    }

    // ---- scripts ---------------------------------------------------------------------------------

    /** A tree written out by hand: options keyed by the path joined with " / " ("" for the root). */
    static final class FixedTree implements Script {
        private final Map<String, List<Option>> children = new HashMap<>();
        private final Map<String, Double> checks = new HashMap<>();
        private final double defaultCheck;

        FixedTree(double defaultCheck) {
            this.defaultCheck = defaultCheck;
        }

        FixedTree options(String path, Option... options) {
            children.put(path, List.of(options));
            return this;
        }

        FixedTree check(String path, double value) {
            checks.put(path, value);
            return this;
        }

        @Override
        public List<Option> children(List<String> path) {
            return children.getOrDefault(String.join(" / ", path), List.of());
        }

        @Override
        public double check(List<String> path) {
            return checks.getOrDefault(String.join(" / ", path), defaultCheck);
        }
    }

    /** A random but fixed tree: everything is a function of the tree seed and the path. */
    static final class RandomTree implements Script {
        private final long seed;
        private final int maxDepth;

        RandomTree(long seed, int maxDepth) {
            this.seed = seed;
            this.maxDepth = maxDepth;
        }

        private Random at(List<String> path, String salt) {
            return new Random(seed * 31 + (String.join("/", path) + salt).hashCode());
        }

        @Override
        public List<Option> children(List<String> path) {
            Random rnd = at(path, "children");
            int depth = path.size();
            if (depth > 0 && rnd.nextDouble() < 0.05) {
                return List.of(); // a dead end: the model has nothing to add
            }
            int branching = 1 + rnd.nextInt(3);
            List<Option> options = new ArrayList<>();
            for (int i = 0; i < branching; i++) {
                boolean terminal = depth + 1 >= maxDepth || rnd.nextDouble() < 0.3;
                StringBuilder text = new StringBuilder("d" + depth + "o" + i);
                int words = 1 + rnd.nextInt(4);
                for (int w = 0; w < words; w++) {
                    text.append(" w").append(rnd.nextInt(100));
                }
                if (terminal) {
                    text.append(" so \\boxed{").append(rnd.nextInt(3)).append("}");
                }
                options.add(new Option(text.toString(), -3 * rnd.nextDouble(), terminal));
            }
            return options;
        }

        @Override
        public double check(List<String> path) {
            return at(path, "check").nextDouble();
        }
    }
}

package dev.ponder.engine;

import dev.ponder.engine.kv.KvExhaustedException;
import dev.ponder.model.SamplingParams;
import dev.ponder.search.Chain;
import dev.ponder.search.Sampling;
import dev.ponder.search.Seeds;
import dev.ponder.search.Step;
import dev.ponder.search.StepModel;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The search library's {@link StepModel} on the engine, for one search over one prompt. Every chain the
 * search knows maps to a {@link Branch}; a child branch forks its parent's KV blocks, so no prefix is ever
 * recomputed. Closing the session gives every block back (full blocks stay in the prefix cache).
 */
public final class SearchSession implements StepModel, AutoCloseable {

    private final Engine engine;
    private final long request;
    private final Map<List<Step>, Branch> branches = new ConcurrentHashMap<>();
    private final Map<Branch, Uni<Branch>> settling = new ConcurrentHashMap<>();
    private final int[] suffix;
    private final int[] delimiter;
    private final int yes;
    private final int no;
    private final int checkReasoningTokens;
    private final int promptTokens;
    private final Uni<Branch> root;
    private volatile boolean closed;
    /** Nucleus sampling of every proposal of this search (1: off); see {@link #topP(double)}. */
    private volatile double topP = 1.0;
    /**
     * The default of {@link #distinctSiblings}: chosen on the validation puzzles (beam at budget 8 solves 64 of 100 at
     * 0.05 and 0.1, 60 at 0.2, 53 with independent samples; docs/eval/validation/README.md).
     */
    public static final double DEFAULT_DISTINCT_SIBLINGS = 0.1;
    /** Redraws of identical proposals allowed per sample asked for; see {@link #redrawDuplicates(int)}. */
    private volatile int redrawsPerSample;
    /** The check question for an answer, and the tokens it may write before its verdict; see {@link #answerCheck}. */
    private volatile Function<String, int[]> answerCheckPrompt;
    private volatile int answerCheckTokens;
    /** Sibling proposals sample without replacement down to this mass (0: off); see {@link #distinctSiblings}. */
    private volatile double distinctMass = DEFAULT_DISTINCT_SIBLINGS;
    /** Chains that took a hold on an identical chain's live branch instead of keeping their own (scheduler thread writes). */
    private volatile int sharedHolds;

    SearchSession(Engine engine, long request, int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        this.engine = engine;
        this.request = request;
        this.promptTokens = prompt.length;
        ModelRunner runner = engine.runner();
        var profile = runner.profile();
        this.suffix = runner.encode(profile.selfCheckSuffix());
        this.delimiter = runner.encode(profile.stepDelimiter());
        this.yes = firstToken(runner.encode(profile.yes()), profile.yes());
        this.no = firstToken(runner.encode(profile.no()), profile.no());
        this.checkReasoningTokens = profile.checkReasoningTokens();
        // the root: whatever the prefix cache already holds, and the rest of the prompt pending
        this.root = onScheduler(() -> {
            ScoreTask.Start admitted = admit(prompt, "a prompt");
            Branch b = new Branch(admitted.seq(), admitted.rest(), 0);
            register(List.of(), b);
            return b;
        }).memoize().indefinitely();
        engine.metrics().treeTokens.add(prompt.length);
    }

    /**
     * Samples every proposal of this search from the smallest set of tokens whose probability reaches {@code p}
     * (nucleus sampling); 1 keeps the whole distribution. Returns this session.
     */
    public SearchSession topP(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], is " + p);
        }
        this.topP = p;
        return this;
    }

    /**
     * Makes proposals differ: a proposed step identical to a sibling's is drawn again (new fork, new seed), with
     * up to {@code perSample} redraws per step asked for, shared by the call; 0 (the default) keeps every
     * sample as drawn. A step still identical when they are spent is kept. Returns this session.
     */
    public SearchSession redrawDuplicates(int perSample) {
        if (perSample < 0) {
            throw new IllegalArgumentException("redraws must not be negative, is " + perSample);
        }
        this.redrawsPerSample = perSample;
        return this;
    }

    /**
     * Makes proposals differ in one pass: the k proposals of one call sample without replacement, a token at a
     * time. A proposal that reaches a prefix a sibling has already continued draws a token the sibling did not,
     * as long as those tokens hold at least {@code minMass} of the sampling distribution; where the model is
     * surer than that, it draws as usual. 0 samples every proposal on its own; the default is
     * {@link #DEFAULT_DISTINCT_SIBLINGS}. Returns this session.
     */
    public SearchSession distinctSiblings(double minMass) {
        this.distinctMass = checkDistinctSiblings(minMass);
        return this;
    }

    /** {@code minMass} if {@link #distinctSiblings} accepts it (in [0, 1)), else an IllegalArgumentException. */
    public static double checkDistinctSiblings(double minMass) {
        if (!(minMass >= 0 && minMass < 1)) {
            throw new IllegalArgumentException("distinct siblings' mass must be in [0, 1), is " + minMass);
        }
        return minMass;
    }

    private static int firstToken(int[] ids, String word) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("self-check answer '" + word + "' encodes to no token");
        }
        return ids[0];
    }

    public int promptTokens() {
        return promptTokens;
    }

    /** How many times a new chain found an identical chain's branch live and shared it (for tests). */
    int sharedHolds() {
        return sharedHolds;
    }

    @Override
    public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
        return branchFor(chain).chain(this::settle).chain(parent -> {
            List<SamplingParams> samples = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                samples.add(new SamplingParams(sampling.temperature(), 0, topP, Seeds.child(sampling.seed(), i)));
            }
            return Uni.createFrom().<List<Step>>emitter(em -> {
                ProposeTask task = new ProposeTask(request, em, parent, samples, sampling.delimiter().text(),
                        sampling.maxStepTokens(), sampling.maxChainTokens(), sampling.seed(),
                        k > 1 ? redrawsPerSample * k : 0, distinctMass, proposals -> adopt(chain, proposals));
                em.onTermination(() -> task.cancel());
                engine.scheduler().submit(task);
            });
        });
    }

    /** Steps for the proposals; each child branch is registered under its chain (on the scheduler thread). */
    private List<Step> adopt(Chain chain, List<ProposeTask.Proposal> proposals) {
        List<Step> steps = new ArrayList<>();
        for (ProposeTask.Proposal p : proposals) {
            String text = engine.runner().decode(p.tokens());
            Step step = Step.of(text, p.tokens(), p.logProb(), p.terminal());
            steps.add(step);
            register(chain.append(step).steps(), p.child());
            engine.metrics().treeTokens.add(p.tokens().length);
        }
        return steps;
    }

    /**
     * Scores every chain the search has seen, its own branch released or not (see {@link ScoreTask}): a
     * best-of-n that checks each step of its finished rollouts scores chains the rollout already let go.
     */
    @Override
    public Uni<List<Double>> selfCheck(List<Chain> chains) {
        if (chains.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Supplier<ScoreTask.Start>> starts = List.copyOf(chains).stream()
                .<Supplier<ScoreTask.Start>>map(c -> () -> scoreStart(c)).toList();
        return root.chain(r -> score(starts, suffix, checkReasoningTokens))
                .invoke(() -> engine.metrics().treeTokens.add((long) suffix.length * chains.size()));
    }

    /**
     * One {@link ScoreTask} on the scheduler: a verdict read after each start, once {@code suffix} is fed and the
     * model has written up to {@code reasoningTokens} tokens of its own; cancelling the Uni cancels the task.
     */
    private Uni<List<Double>> score(List<Supplier<ScoreTask.Start>> starts, int[] suffix, int reasoningTokens) {
        return Uni.createFrom().emitter(em -> {
            ScoreTask task = new ScoreTask(request, em, starts, suffix, delimiter, yes, no, reasoningTokens,
                    reasoningTokens > 0 ? engine.lineEnds() : new BitSet());
            em.onTermination(() -> task.cancel());
            engine.scheduler().submit(task);
        });
    }

    /**
     * Lets searches check final answers in a fresh context ({@link StepModel#checkAnswers}): {@code prompt} makes the
     * whole check question for one answer, in the model's chat format (the checkpoint's answer-check prompt with this
     * session's problem and the answer), and the model may write up to {@code reasoningTokens} tokens before its
     * verdict. Returns this session.
     */
    public SearchSession answerCheck(Function<String, int[]> prompt, int reasoningTokens) {
        if (reasoningTokens < 0) {
            throw new IllegalArgumentException("answer-check reasoning tokens must not be negative, is " + reasoningTokens);
        }
        this.answerCheckPrompt = Objects.requireNonNull(prompt, "prompt");
        this.answerCheckTokens = reasoningTokens;
        return this;
    }

    @Override
    public boolean checksAnswers() {
        return answerCheckPrompt != null;
    }

    @Override
    public Uni<List<Double>> checkAnswers(List<String> answers) {
        Function<String, int[]> prompt = answerCheckPrompt;
        if (prompt == null) {
            return StepModel.super.checkAnswers(answers);
        }
        return Uni.createFrom().deferred(() -> checkPrompts(answers.stream().map(prompt).toList(), answerCheckTokens));
    }

    /**
     * Answer checks in a fresh context: for each prompt (a whole check question, already in the model's chat format:
     * the problem and one final answer, no chain), the probability of {@code yes} at the verdict, after the model has
     * written up to {@code reasoningTokens} tokens of its own working (as a generative self-check does). Each check is
     * prefilled from the prefix cache where it can and freed when its verdict is read; one value per prompt, in order.
     */
    public Uni<List<Double>> checkPrompts(List<int[]> prompts, int reasoningTokens) {
        if (prompts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Supplier<ScoreTask.Start>> starts = prompts.stream()
                .<Supplier<ScoreTask.Start>>map(p -> () -> freshStart(p)).toList();
        return score(starts, new int[0], reasoningTokens)
                .invoke(() -> prompts.forEach(p -> engine.metrics().treeTokens.add((long) p.length)));
    }

    /** A new sequence for a check question (scheduler thread): what the prefix cache holds, the rest to compute. */
    private ScoreTask.Start freshStart(int[] prompt) {
        if (closed) {
            throw new IllegalStateException("answer check after the search session closed");
        }
        return admit(prompt, "an answer check");
    }

    /**
     * A new sequence for {@code prompt} (scheduler thread): the longest prefix the runner kept when sharing is on,
     * and the tokens still to compute; out of KV memory is an {@link OverloadedException} naming {@code what}.
     */
    private ScoreTask.Start admit(int[] prompt, String what) {
        ModelRunner runner = engine.runner();
        if (!engine.config().sharing()) {
            return new ScoreTask.Start(runner.empty(), prompt.clone(), false);
        }
        try {
            ModelRunner.Admission a = runner.admit(prompt);
            return new ScoreTask.Start(a.sequence(), Arrays.copyOfRange(prompt, a.cachedTokens(), prompt.length), false);
        } catch (KvExhaustedException e) {
            throw new OverloadedException("KV cache full: cannot admit " + what + " of " + prompt.length + " tokens");
        }
    }

    /**
     * Where a self-check of {@code chain} starts (scheduler thread): a fork of the chain's own live branch;
     * else of a live branch that extends it, cut back to the chain's tokens; else of its longest live
     * ancestor, with the rest of its tokens to compute.
     */
    private ScoreTask.Start scoreStart(Chain chain) {
        if (closed) {
            throw new IllegalStateException("self-check after the search session closed");
        }
        List<Step> steps = chain.steps();
        Branch own = branches.get(steps);
        if (own != null && !own.released) {
            return startFrom(own, Integer.MAX_VALUE, own.endedAtEos);
        }
        int[] tokens = stepsTokens(steps);
        for (Map.Entry<List<Step>, Branch> e : branches.entrySet()) {
            List<Step> key = e.getKey();
            Branch b = e.getValue();
            if (!b.released && key.size() > steps.size() && key.subList(0, steps.size()).equals(steps)
                    && extendsTokens(b, tokens)) {
                return startFrom(b, promptTokens + tokens.length, false);   // a step with children did not end at end-of-sequence
            }
        }
        int known = steps.size() - 1;
        while (known > 0 && !live(steps.subList(0, known))) {
            known--;
        }
        Branch ancestor = branches.get(steps.subList(0, known));
        if (ancestor == null || ancestor.released) {
            throw new IllegalStateException("self-check with no live root branch");
        }
        ScoreTask.Start at = startFrom(ancestor, Integer.MAX_VALUE, false);
        int[] rest = concat(at.rest(), stepsTokens(steps.subList(known, steps.size())));
        return new ScoreTask.Start(at.seq(), rest, endedAtEos(steps));
    }

    /**
     * A fork of {@code b} holding at most its first {@code length} tokens in KV, and the tokens up to
     * {@code length} (or all of the branch's) that the fork still has to compute.
     */
    private ScoreTask.Start startFrom(Branch b, int length, boolean endedAtEos) {
        var core = engine.core();
        var seq = core.fork(b.seq);
        int[] notInKv = concat(core.recomputeFor(b.seq), b.pending);
        int cached = seq.length();
        if (length < cached) {
            core.runner.truncate(seq, length);
            return new ScoreTask.Start(seq, new int[0], endedAtEos);
        }
        int take = length == Integer.MAX_VALUE ? notInKv.length : length - cached;
        return new ScoreTask.Start(seq, Arrays.copyOf(notInKv, take), endedAtEos);
    }

    /** Whether the token list of {@code b} (KV, then pending) continues the prompt with {@code steps}' tokens. */
    private boolean extendsTokens(Branch b, int[] steps) {
        int cached = b.seq.length();
        if (cached + b.pending.length < promptTokens + steps.length) {
            return false;
        }
        for (int i = 0; i < steps.length; i++) {
            int at = promptTokens + i;
            int t = at < cached ? b.seq.token(at) : b.pending[at - cached];
            if (t != steps[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean live(List<Step> key) {
        Branch b = branches.get(key);
        return b != null && !b.released;
    }

    /** The tokens of {@code steps}, one after another. */
    private int[] stepsTokens(List<Step> steps) {
        int[] all = new int[0];
        for (Step s : steps) {
            all = concat(all, stepTokens(s));
        }
        return all;
    }

    private int[] stepTokens(Step s) {
        return s.tokenCount() > 0 ? s.tokens() : engine.runner().encode(s.text());
    }

    private boolean endedAtEos(List<Step> steps) {
        if (steps.isEmpty()) {
            return false;
        }
        Step last = steps.get(steps.size() - 1);
        return last.terminal() && !last.text().endsWith(engine.runner().profile().stepDelimiter());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public Uni<Chain> complete(Chain chain, Sampling sampling) {
        return rollout(chain, chain.depth(), sampling);
    }

    /** Rolls out one step at a time, so every intermediate chain is a branch like any other. */
    private Uni<Chain> rollout(Chain chain, int startDepth, Sampling sampling) {
        if (chain.terminal() || chain.tokenCount() >= sampling.maxChainTokens()) {
            return Uni.createFrom().item(chain);
        }
        return propose(chain, 1, sampling).chain(steps -> {
            Chain next = chain.append(steps.get(0));
            if (chain.depth() > startDepth) {
                release(chain);   // intermediate rollout nodes are not search nodes
            }
            return rollout(next, startDepth, sampling.withSeed(Seeds.child(sampling.seed(), next.depth())));
        });
    }

    /**
     * Gives back the KV blocks of a chain the search no longer needs (a pruned node, a finished rollout step).
     * Identical chains share one branch, which goes back when the last of them is released.
     */
    @Override
    public void release(Chain chain) {
        List<Step> key = chain.steps();
        engine.scheduler().execute(() -> {
            Branch b = branches.get(key);
            if (b != null && --b.holds <= 0) {
                branches.remove(key, b);
                releaseNow(b);
            }
        });
    }

    /**
     * Makes {@code child} the branch of {@code key}, or, when an identical chain already has a live branch,
     * keeps that one (one more hold) and gives the duplicate back. Runs on the scheduler thread.
     * Returns the branch that now stands for {@code key}.
     */
    private Branch register(List<Step> key, Branch child) {
        if (closed) {
            // the search ended while this call ran: nothing would release it later
            releaseNow(child);
            return child;
        }
        Branch existing = branches.get(key);
        if (existing != null && existing != child && !existing.released) {
            existing.holds++;
            sharedHolds++;
            releaseNow(child);
            return existing;
        }
        branches.put(key, child);
        return child;
    }

    /** The branch of a chain: known, or forked from its longest known ancestor with the rest pending. */
    private Uni<Branch> branchFor(Chain chain) {
        Branch b = branches.get(chain.steps());
        if (b != null && !b.released) {
            return Uni.createFrom().item(b);
        }
        if (chain.steps().isEmpty() || !branches.containsKey(List.of())) {
            return root.chain(r -> chain.steps().isEmpty() ? Uni.createFrom().item(r) : branchFor(chain));
        }
        List<Step> steps = chain.steps();
        int known = steps.size() - 1;
        while (known > 0 && !live(steps.subList(0, known))) {
            known--;
        }
        Branch ancestor = branches.get(steps.subList(0, known));
        List<int[]> rest = new ArrayList<>();
        int generated = ancestor.generated;
        for (Step s : steps.subList(known, steps.size())) {
            int[] t = stepTokens(s);
            rest.add(t);
            generated += t.length;
        }
        int total = rest.stream().mapToInt(a -> a.length).sum() + ancestor.pending.length;
        int[] pending = new int[total];
        System.arraycopy(ancestor.pending, 0, pending, 0, ancestor.pending.length);
        int at = ancestor.pending.length;
        for (int[] t : rest) {
            System.arraycopy(t, 0, pending, at, t.length);
            at += t.length;
        }
        int gen = generated;
        return onScheduler(() -> {
            int[] redo = engine.core().recomputeFor(ancestor.seq);
            int[] all = new int[redo.length + pending.length];
            System.arraycopy(redo, 0, all, 0, redo.length);
            System.arraycopy(pending, 0, all, redo.length, pending.length);
            Branch fork = new Branch(engine.core().fork(ancestor.seq), all, gen);
            fork.endedAtEos = endedAtEos(steps);
            return register(List.copyOf(steps), fork);
        });
    }

    /** The branch with its next-token logits computed (memoized, so concurrent callers share one pass). */
    private Uni<Branch> settle(Branch b) {
        if (b.settled()) {
            return Uni.createFrom().item(b);
        }
        return settling.computeIfAbsent(b, x -> Uni.createFrom().<Branch>emitter(em -> {
            SettleTask task = new SettleTask(request, em, x);
            engine.scheduler().submit(task);
        }).memoize().indefinitely());
    }

    private void releaseNow(Branch b) {
        if (!b.released) {
            b.released = true;
            engine.core().release(b.seq);
        }
    }

    /** Runs {@code action} on the scheduler thread, which alone touches KV memory. */
    private <T> Uni<T> onScheduler(Supplier<T> action) {
        return Uni.createFrom().emitter(em -> engine.scheduler().execute(() -> {
            try {
                em.complete(action.get());
            } catch (RuntimeException e) {
                em.fail(e);
            }
        }));
    }

    /** Ends the search: every branch it still holds goes back to the pool (on the scheduler thread). */
    @Override
    public void close() {
        engine.scheduler().execute(() -> {
            closed = true;
            for (Branch b : branches.values()) {
                if (!b.released && b.seq != null) {
                    if (engine.config().sharing()) {
                        engine.runner().keep(b.seq);   // its computed prefix stays for later requests
                    }
                    releaseNow(b);
                }
            }
            branches.clear();
            settling.clear();
        });
    }
}

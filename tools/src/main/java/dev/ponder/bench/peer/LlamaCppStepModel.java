package dev.ponder.bench.peer;

import dev.ponder.model.PromptProfile;
import dev.ponder.search.Chain;
import dev.ponder.search.Sampling;
import dev.ponder.search.Seeds;
import dev.ponder.search.Step;
import dev.ponder.search.StepModel;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The search library's {@link StepModel} on llama.cpp, for one search over one prompt: the same contract
 * and the same seeds as ponder's {@code SearchSession}, so both engines run the same searches. Every chain
 * the search holds is a llama.cpp sequence; children fork their parent's KV cells, a self-check appends the
 * profile's suffix to a scratch fork, and a rollout is one continuous sequence cut into steps at the
 * delimiter. Closing the model frees every sequence it holds.
 */
public final class LlamaCppStepModel implements StepModel, AutoCloseable {

    /**
     * A chain in llama.cpp: its sequence holds {@code length} tokens, {@code pending} tokens are still to be
     * fed, and {@code logits} is the next-token distribution when nothing is pending; {@code endedAtEos}: its
     * last step ended at end of sequence (the self-check then feeds the step delimiter first, as ponder does).
     */
    record Node(int seq, int length, int[] pending, float[] logits, boolean endedAtEos) {
    }

    private final LlamaCppEngine engine;
    private final int[] prompt;
    private final int[] suffix;
    private final int[] delimiter;
    private final String delimiterText;
    private final int yes;
    private final int no;
    private final Map<List<Step>, Node> nodes = new ConcurrentHashMap<>();
    private final Uni<Node> root;
    private volatile boolean closed;

    public LlamaCppStepModel(LlamaCppEngine engine, int[] prompt, PromptProfile profile) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        this.engine = engine;
        this.prompt = prompt.clone();
        this.suffix = engine.tokenize(profile.selfCheckSuffix());
        this.delimiterText = profile.stepDelimiter();
        this.delimiter = engine.tokenize(delimiterText);
        this.yes = first(engine.tokenize(profile.yes()), profile.yes());
        this.no = first(engine.tokenize(profile.no()), profile.no());
        this.root = this.<Node>run(em -> new SettleJob(em, List.of(), null, this.prompt, false)).memoize().indefinitely();
    }

    private static int first(int[] ids, String word) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("self-check answer '" + word + "' encodes to no token");
        }
        return ids[0];
    }

    @Override
    public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
        return nodeFor(chain).chain(parent -> run(em -> new ProposeJob(em, chain, parent, k, sampling)));
    }

    @Override
    public Uni<List<Double>> selfCheck(List<Chain> chains) {
        if (chains.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(chains.stream().map(this::nodeFor).toList()).andFailFast()
                .chain(ns -> run(em -> new ScoreJob(em, ns)));
    }

    @Override
    public Uni<Chain> complete(Chain chain, Sampling sampling) {
        if (chain.terminal() || chain.tokenCount() >= sampling.maxChainTokens()) {
            return Uni.createFrom().item(chain);
        }
        return nodeFor(chain).chain(node -> run(em -> new RolloutJob(em, chain, node, sampling)));
    }

    @Override
    public void release(Chain chain) {
        Node n = nodes.remove(chain.steps());
        if (n != null) {
            engine.execute(() -> engine.freeSeq(n.seq()));
        }
    }

    /** Ends the search: every sequence it still holds is freed. */
    @Override
    public void close() {
        closed = true;
        List<Node> all = new ArrayList<>(nodes.values());
        nodes.clear();
        engine.execute(() -> all.forEach(n -> engine.freeSeq(n.seq())));
    }

    /**
     * Registers a node (scheduler thread). A chain already known (two samples gave the same steps) keeps its
     * first node, which callers may hold, and the duplicate is freed; after close every node is freed.
     */
    private void register(List<Step> key, Node node) {
        Node old = nodes.putIfAbsent(List.copyOf(key), node);
        if (old != null) {
            if (old != node) {
                engine.freeSeq(node.seq());
            }
            return;
        }
        if (closed && nodes.remove(key) != null) {
            engine.freeSeq(node.seq());
        }
    }

    /** The node of a chain: known, or settled from its longest known ancestor plus the steps' tokens. */
    private Uni<Node> nodeFor(Chain chain) {
        Node n = nodes.get(chain.steps());
        if (n != null) {
            return Uni.createFrom().item(n);
        }
        if (chain.steps().isEmpty() || !nodes.containsKey(List.of())) {
            return root.chain(r -> chain.steps().isEmpty() ? Uni.createFrom().item(r) : nodeFor(chain));
        }
        List<Step> steps = chain.steps();
        int known = steps.size() - 1;
        while (known > 0 && !nodes.containsKey(steps.subList(0, known))) {
            known--;
        }
        Node ancestor = nodes.get(steps.subList(0, known));
        List<Integer> rest = new ArrayList<>();
        for (int t : ancestor.pending()) {
            rest.add(t);
        }
        for (Step s : steps.subList(known, steps.size())) {
            for (int t : s.tokenCount() > 0 ? s.tokens() : engine.tokenize(s.text())) {
                rest.add(t);
            }
        }
        int[] feed = rest.stream().mapToInt(Integer::intValue).toArray();
        Step last = steps.get(steps.size() - 1);
        boolean eos = last.terminal() && !last.text().endsWith(delimiterText);
        return run(em -> new SettleJob(em, steps, ancestor, feed, eos));
    }

    /** Submits the job built for an emitter; cancelling the Uni drops the job's lanes. */
    private <T> Uni<T> run(Function<UniEmitter<? super T>, LlamaCppEngine.Job> make) {
        return Uni.createFrom().emitter(em -> {
            LlamaCppEngine.Job job = make.apply(em);
            em.onTermination(() -> engine.cancel(job));
            engine.submit(job);
        });
    }

    private <T> void emit(UniEmitter<? super T> em, T value) {
        engine.deliver(() -> em.complete(value));
    }

    // ---------------------------------------------------------------- jobs (scheduler thread)

    /** Feeds tokens after a node (or the prompt, with the prompt cache) and registers the settled node. */
    private final class SettleJob extends LlamaCppEngine.Job {
        private final UniEmitter<? super Node> em;
        private final List<Step> key;
        private final Node from;
        private final int[] tokens;
        private final boolean endedAtEos;
        private Node settled;

        SettleJob(UniEmitter<? super Node> em, List<Step> key, Node from, int[] tokens, boolean endedAtEos) {
            this.em = em;
            this.key = key;
            this.from = from;
            this.tokens = tokens;
            this.endedAtEos = endedAtEos;
        }

        @Override
        void start(LlamaCppEngine e) {
            int seq;
            int reuse;
            if (from == null) {
                // the prompt: reuse the longest cached prefix, as the server's cache_prompt does
                LlamaCppEngine.PrefixHit hit = e.cachedPrefix(tokens);
                if (hit != null && hit.logits() != null) {
                    settled = new Node(e.fork(hit.seq(), hit.length()), tokens.length, new int[0], hit.logits(), false);
                    return;
                }
                reuse = hit == null ? 0 : hit.length();
                seq = hit == null ? e.acquireSeq() : e.fork(hit.seq(), reuse);
            } else {
                reuse = 0;
                seq = e.fork(from.seq(), from.length());
                if (tokens.length == 0) {
                    settled = new Node(seq, from.length(), new int[0], from.logits(), endedAtEos);
                    return;
                }
            }
            int base = from == null ? 0 : from.length();
            LlamaCppEngine.Lane lane = new LlamaCppEngine.Lane(seq, base + reuse) {
                @Override
                void onLogits(float[] row) {
                    settled = new Node(seq, pos, new int[0], row, endedAtEos);
                    finished = true;
                }
            };
            lane.setFeed(Arrays.copyOfRange(tokens, reuse, tokens.length));
            lanes.add(lane);
        }

        @Override
        boolean done() {
            return settled != null || super.done();
        }

        @Override
        void finish(LlamaCppEngine e) {
            register(key, settled);
            if (from == null) {
                e.cachePrompt(tokens, settled.seq(), settled.logits());
            }
            emit(em, settled);
        }

        @Override
        void fail(Throwable t) {
            em.fail(t);
        }
    }

    /** k next steps, each on its own fork of the parent. */
    private final class ProposeJob extends LlamaCppEngine.Job {
        private final UniEmitter<? super List<Step>> em;
        private final Chain chain;
        private final Node parent;
        private final int k;
        private final Sampling sampling;

        ProposeJob(UniEmitter<? super List<Step>> em, Chain chain, Node parent, int k, Sampling sampling) {
            this.em = em;
            this.chain = chain;
            this.parent = parent;
            this.k = k;
            this.sampling = sampling;
        }

        @Override
        void start(LlamaCppEngine e) {
            for (int i = 0; i < k; i++) {
                LlamaCppStepLane lane = new LlamaCppStepLane(e, e.fork(parent.seq(), parent.length()), parent.length(),
                        sampling, Seeds.child(sampling.seed(), i), chain.tokenCount(), false);
                lanes.add(lane);
                lane.begin(parent);
            }
        }

        @Override
        void finish(LlamaCppEngine e) {
            List<Step> steps = new ArrayList<>();
            for (LlamaCppEngine.Lane l : lanes) {
                LlamaCppStepLane s = (LlamaCppStepLane) l;
                Step step = s.lastStep();
                steps.add(step);
                register(chain.append(step).steps(), s.node());
            }
            emit(em, steps);
        }

        @Override
        void fail(Throwable t) {
            em.fail(t);
        }
    }

    /** A rollout: one sequence sampled to the end, cut into steps at the delimiter. */
    private final class RolloutJob extends LlamaCppEngine.Job {
        private final UniEmitter<? super Chain> em;
        private final Chain chain;
        private final Node node;
        private final Sampling sampling;

        RolloutJob(UniEmitter<? super Chain> em, Chain chain, Node node, Sampling sampling) {
            this.em = em;
            this.chain = chain;
            this.node = node;
            this.sampling = sampling;
        }

        @Override
        void start(LlamaCppEngine e) {
            LlamaCppStepLane lane = new LlamaCppStepLane(e, e.fork(node.seq(), node.length()), node.length(), sampling,
                    Seeds.child(sampling.seed(), 0), chain.tokenCount(), true);
            lane.chainDepth = chain.depth();
            lanes.add(lane);
            lane.begin(node);
        }

        @Override
        void finish(LlamaCppEngine e) {
            LlamaCppStepLane s = (LlamaCppStepLane) lanes.get(0);
            Chain out = chain;
            for (Step step : s.steps) {
                out = out.append(step);
            }
            register(out.steps(), s.node());
            emit(em, out);
        }

        @Override
        void fail(Throwable t) {
            em.fail(t);
        }
    }

    /**
     * P(yes) / (P(yes) + P(no)) after each chain plus the self-check suffix (the step delimiter first when
     * the chain ended at end of sequence), on scratch forks.
     */
    private final class ScoreJob extends LlamaCppEngine.Job {
        private final UniEmitter<? super List<Double>> em;
        private final List<Node> chains;
        private final double[] scores;

        ScoreJob(UniEmitter<? super List<Double>> em, List<Node> chains) {
            this.em = em;
            this.chains = chains;
            this.scores = new double[chains.size()];
        }

        @Override
        void start(LlamaCppEngine e) {
            for (int i = 0; i < chains.size(); i++) {
                Node n = chains.get(i);
                int at = i;
                int[] sep = n.endedAtEos() ? delimiter : new int[0];
                if (n.pending().length + sep.length + suffix.length == 0) {
                    scores[at] = yesShare(n.logits());
                    continue;
                }
                int seq = e.fork(n.seq(), n.length());
                LlamaCppEngine.Lane lane = new LlamaCppEngine.Lane(seq, n.length()) {
                    @Override
                    void onLogits(float[] row) {
                        scores[at] = yesShare(row);
                        e.freeSeq(seq);      // the suffix is scratch
                        kept = true;
                        finished = true;
                    }
                };
                int[] feed = Arrays.copyOf(n.pending(), n.pending().length + sep.length + suffix.length);
                System.arraycopy(sep, 0, feed, n.pending().length, sep.length);
                System.arraycopy(suffix, 0, feed, n.pending().length + sep.length, suffix.length);
                lane.setFeed(feed);
                lanes.add(lane);
            }
        }

        private double yesShare(float[] row) {
            double m = Math.max(row[yes], row[no]);
            double py = Math.exp(row[yes] - m);
            return py / (py + Math.exp(row[no] - m));
        }

        @Override
        void finish(LlamaCppEngine e) {
            emit(em, Arrays.stream(scores).boxed().toList());
        }

        @Override
        void fail(Throwable t) {
            em.fail(t);
        }
    }
}

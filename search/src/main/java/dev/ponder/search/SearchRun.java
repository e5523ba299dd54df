package dev.ponder.search;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One subscription's search: the tree's ids, the events, the model calls and their accounting, the
 * deadline and cancellation. Strategies only talk to the model through this class.
 *
 * <p>Events go through a serial queue drained without holding a lock, so the emitter, the model and
 * the subscriber are never called out to under a lock, and the deadline's {@code Finished} cannot
 * interleave with a strategy's events.
 */
final class SearchRun {

    /** Floor for self-check probabilities before taking logs. */
    static final double MIN_PROBABILITY = 1e-6;

    final String strategy;
    final Problem problem;
    final SearchConfig config;
    private final StepModel model;
    private final Node root;

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicInteger nodes = new AtomicInteger();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicInteger selfChecks = new AtomicInteger();
    private final AtomicInteger modelCalls = new AtomicInteger();
    /** Per node id: how many next steps were proposed for it, and their distinct texts. */
    private final Map<String, Proposals> proposals = new ConcurrentHashMap<>();

    /** The next steps proposed for one node over all calls. */
    private static final class Proposals {
        int count;
        final Set<String> texts = new HashSet<>();
    }

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    private volatile boolean stopped;
    private volatile Cancellable work;
    private volatile Cancellable timer;
    private long startNanos;
    private long deadlineNanos;
    private MultiEmitter<? super SearchEvent> emitter;

    // Touched only inside serial tasks.
    private boolean finished;
    private Best best;

    /** The best chain so far, as last announced by BestChanged. */
    private record Best(Node node, Chain chain, double score, String answer, List<Alternative> alternatives) {
    }

    private SearchRun(String strategy, Problem problem, SearchConfig config, StepModel model) {
        this.strategy = strategy;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        this.root = new Node(SearchEvent.ROOT, null, null, Chain.of(problem));
    }

    /** A cold stream: every subscription runs the search afresh with the same seeds. */
    static Multi<SearchEvent> events(String strategy, Problem problem, SearchConfig config, StepModel model,
                                     Function<SearchRun, Uni<Outcome>> search) {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(model, "model");
        return Multi.createFrom().emitter(em -> new SearchRun(strategy, problem, config, model).start(em, search));
    }

    private void start(MultiEmitter<? super SearchEvent> em, Function<SearchRun, Uni<Outcome>> search) {
        emitter = em;
        startNanos = System.nanoTime();
        em.onTermination(this::stop);
        emit(new SearchEvent.NodeProposed(root.id, null, null, 0));
        if (config.deadline() != null) {
            deadlineNanos = startNanos + config.deadline().toNanos();
            timer = Uni.createFrom().voidItem()
                    .onItem().delayIt().by(config.deadline())
                    .subscribe().with(v -> cutShort());
        }
        Cancellable c = Uni.createFrom().deferred(() -> search.apply(this))
                .subscribe().with(this::finish, this::fail);
        work = c;
        if (stopped) {
            c.cancel();
        }
    }

    // ---- the tree -------------------------------------------------------------------------------

    Node root() {
        return root;
    }

    /** Adds {@code step} below {@code parent} as a new node with the next id, and announces it. */
    Node child(Node parent, Step step) {
        Node n = new Node("n" + nextId.getAndIncrement(), parent, step, parent.chain.append(step));
        nodes.incrementAndGet();
        emit(new SearchEvent.NodeProposed(n.id, parent.id, step, n.depth()));
        return n;
    }

    void scored(Node node, double score) {
        scored(node, score, Double.NaN);
    }

    /** A score and the self-check verdict on the node's own chain that went into it. */
    void scored(Node node, double score, double check) {
        emit(new SearchEvent.NodeScored(node.id, score, check));
    }

    /** Announces that {@code node} was dropped and lets the model free it. */
    void pruned(Node node) {
        emit(new SearchEvent.NodePruned(node.id));
        if (!stopped) {
            model.release(node.chain);
        }
    }

    /** Records the best chain so far (what a deadline returns) and announces it if it changed. */
    void best(Node node, Chain chain, double score, String answer, List<Alternative> alternatives) {
        Best b = new Best(node, chain, score, answer, List.copyOf(alternatives));
        serial(() -> {
            if (!finished) {
                announce(b);
            }
        });
    }

    /** Whether {@code node}'s chain may not grow: the depth or chain-token limit is reached. */
    boolean atLimit(Node node) {
        return node.depth() >= config.maxDepth() || node.chain.tokenCount() >= config.maxChainTokens();
    }

    /** Sampling for one call, its seed derived from the search seed, the node and the call's purpose. */
    Sampling sampling(Node node, String purpose, double temperature) {
        return config.sampling(temperature, Seeds.derive(config.seed(), node.id + "/" + purpose));
    }

    // ---- model calls ----------------------------------------------------------------------------

    /** {@link StepModel#propose}, counted; never more than k steps are kept. */
    Uni<List<Step>> propose(Node node, int k, Sampling sampling) {
        return Uni.createFrom().deferred(() -> admit() ? model.propose(node.chain, k, sampling) : stoppedUni())
                .map(steps -> {
                    List<Step> kept = List.copyOf(steps.size() > k ? steps.subList(0, k) : steps);
                    steps.forEach(s -> tokens.addAndGet(s.tokenCount()));
                    Proposals p = proposals.computeIfAbsent(node.id, id -> new Proposals());
                    synchronized (p) {
                        p.count += kept.size();
                        kept.forEach(s -> p.texts.add(s.text()));
                    }
                    return kept;
                });
    }

    /** {@link StepModel#selfCheck}, counted per chain; values must be one per chain, clamped to [0,1]. */
    Uni<List<Double>> selfCheck(List<Chain> chains) {
        if (chains.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Chain> copy = List.copyOf(chains);
        return judged("selfCheck", copy.size(), () -> model.selfCheck(copy));
    }

    /** Whether the final pick may check answers: the model checks them and the configuration weighs them. */
    boolean checksAnswers() {
        return config.answerCheckWeight() > 0 && model.checksAnswers();
    }

    /** {@link StepModel#checkAnswers}, counted as self-checks; one value per answer, clamped to [0,1]. */
    Uni<List<Double>> checkAnswers(List<String> answers) {
        if (answers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> copy = List.copyOf(answers);
        return judged("checkAnswers", copy.size(), () -> model.checkAnswers(copy));
    }

    /**
     * A call that judges {@code asked} items, made once the run admits it: counted as {@code asked} self-checks, its
     * values checked and clamped by {@link #probabilities}.
     */
    private Uni<List<Double>> judged(String call, int asked, Supplier<Uni<List<Double>>> ask) {
        return Uni.createFrom().deferred(() -> {
            if (!admit()) {
                return stoppedUni();
            }
            selfChecks.addAndGet(asked);
            return ask.get();
        }).map(values -> probabilities(call, values, asked));
    }

    /** A model's probabilities, one per item asked about, clamped to [0,1]; a missing one or NaN is an error. */
    private static List<Double> probabilities(String call, List<Double> values, int asked) {
        if (values.size() != asked) {
            throw new IllegalStateException(call + " returned " + values.size() + " values for " + asked + " items");
        }
        List<Double> clamped = new ArrayList<>(values.size());
        for (Double v : values) {
            if (v == null || v.isNaN()) {
                throw new IllegalStateException(call + " returned " + v);
            }
            clamped.add(Math.min(1.0, Math.max(0.0, v)));
        }
        return clamped;
    }

    /** {@link StepModel#complete}, counted; the result must extend {@code node}'s chain. */
    Uni<Chain> complete(Node node, Sampling sampling) {
        return Uni.createFrom().deferred(() -> admit() ? model.complete(node.chain, sampling) : stoppedUni())
                .map(done -> {
                    List<Step> prefix = node.chain.steps();
                    if (done.depth() < prefix.size() || !done.steps().subList(0, prefix.size()).equals(prefix)) {
                        throw new IllegalStateException("complete() did not extend the given chain");
                    }
                    for (Step s : done.steps().subList(prefix.size(), done.depth())) {
                        tokens.addAndGet(s.tokenCount());
                    }
                    return done;
                });
    }

    /** Whether a new model call may start: not cancelled, not past the deadline. Counts the call. */
    private boolean admit() {
        if (stopped) {
            return false;
        }
        if (config.deadline() != null && System.nanoTime() - deadlineNanos >= 0) {
            cutShort();
            return false;
        }
        modelCalls.incrementAndGet();
        return true;
    }

    private static <T> Uni<T> stoppedUni() {
        return Uni.createFrom().failure(new CancellationException("search stopped"));
    }

    // ---- the end --------------------------------------------------------------------------------

    private void finish(Outcome o) {
        serial(() -> {
            if (finished) {
                return;
            }
            announce(new Best(o.node(), o.chain(), o.score(), o.answer(), o.alternatives()));
            end(false);
        });
    }

    /** The deadline passed: end now with the best chain so far. */
    private void cutShort() {
        stop(); // cancel in-flight calls first, so they are gone when the subscriber sees Finished
        serial(() -> {
            if (!finished) {
                end(true);
            }
        });
    }

    private void fail(Throwable t) {
        serial(() -> {
            if (finished || stopped) {
                return; // a stopped search's calls fail on purpose; that is not the search failing
            }
            finished = true;
            emitter.fail(t);
        });
    }

    /** Emits Finished for the current best and completes the stream (serial task only). */
    private void end(boolean cut) {
        finished = true;
        Best b = best != null ? best : new Best(root, root.chain, 0.0, null, List.of());
        long wallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        int expanded = 0;
        int proposed = 0;
        int distinct = 0;
        for (Proposals p : proposals.values()) {
            synchronized (p) {
                if (p.count >= 2) {
                    expanded++;
                    proposed += p.count;
                    distinct += p.texts.size();
                }
            }
        }
        Usage usage = new Usage(nodes.get(), tokens.get(), selfChecks.get(), modelCalls.get(), wallMs, expanded,
                proposed, distinct);
        SearchResult result = new SearchResult(strategy, b.chain, b.node.path(), b.answer, b.score, cut,
                b.alternatives, usage);
        emitter.emit(new SearchEvent.Finished(result));
        emitter.complete();
    }

    /** No new model call starts from now on; in-flight ones are cancelled. Idempotent. */
    private void stop() {
        stopped = true;
        Cancellable w = work;
        if (w != null) {
            w.cancel();
        }
        Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    // ---- serial event queue ---------------------------------------------------------------------

    private void announce(Best b) {
        boolean changed = best == null
                || best.node != b.node
                || !best.chain.text().equals(b.chain.text())
                || Double.compare(best.score, b.score) != 0;
        best = b;
        if (changed) {
            emitter.emit(new SearchEvent.BestChanged(b.node.path(), b.chain.text(), b.score));
        }
    }

    private void emit(SearchEvent e) {
        serial(() -> {
            if (!finished) {
                emitter.emit(e);
            }
        });
    }

    /** Runs tasks one at a time in submission order, on whichever thread finds the queue idle. */
    private void serial(Runnable task) {
        queue.add(task);
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            try {
                queue.poll().run();
            } catch (Throwable t) {
                // The subscriber threw from onItem: the stream cannot go on.
                if (!finished) {
                    finished = true;
                    emitter.fail(t);
                }
                stop();
            }
        } while (wip.decrementAndGet() != 0);
    }
}

package dev.ponder.worker;

import dev.ponder.backend.ModelBackend;
import dev.ponder.backend.ModelSession;
import dev.ponder.cluster.Frame;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.search.Chain;
import dev.ponder.search.Problem;
import dev.ponder.search.Step;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The worker's side of one control-plane session (see {@link Frame}): opens a {@link ModelSession} on the
 * local model, runs the calls it is sent, numbers every step it hands out so later frames can name chains
 * by step ids, and cancels or frees what the control plane no longer wants. Every reply goes to {@code out}.
 */
final class WorkerSession {

    private final ModelBackend backend;
    private final Consumer<Frame> out;
    private final Map<Integer, Step> steps = new ConcurrentHashMap<>();
    private final Map<Long, Cancellable> calls = new ConcurrentHashMap<>();
    private final AtomicInteger nextStep = new AtomicInteger();
    private volatile ModelSession session;
    private volatile Problem problem;
    private volatile boolean closed;

    WorkerSession(ModelBackend backend, Consumer<Frame> out) {
        this.backend = backend;
        this.out = out;
    }

    /** One frame from the control plane. */
    void handle(Frame frame) {
        if (frame instanceof Frame.Open o) {
            open(o);
            return;
        }
        if (session == null) {
            throw protocol("the first frame of a session must be open");
        }
        if (frame instanceof Frame.Propose p) {
            call(p.call(), s -> s.propose(chain(p.chain()), p.k(), p.sampling().sampling())
                    .map(found -> new Frame.Steps(p.call(), wire(found))));
        } else if (frame instanceof Frame.SelfCheck c) {
            List<Chain> chains = c.chains().stream().map(this::chain).toList();
            call(c.call(), s -> s.selfCheck(chains).map(scores -> new Frame.Scores(c.call(), scores)));
        } else if (frame instanceof Frame.CheckAnswers c) {
            if (!session.checksAnswers()) {
                throw protocol("this worker's model has no answer check (its opened frame said so)");
            }
            call(c.call(), s -> s.checkAnswers(c.answers()).map(scores -> new Frame.Scores(c.call(), scores)));
        } else if (frame instanceof Frame.Complete c) {
            Chain from = chain(c.chain());
            call(c.call(), s -> s.complete(from, c.sampling().sampling())
                    .map(done -> new Frame.Steps(c.call(), wire(done.steps().subList(from.depth(), done.depth())))));
        } else if (frame instanceof Frame.Cancel c) {
            Cancellable running = calls.remove(c.call());
            if (running != null) {
                running.cancel();
            }
        } else if (frame instanceof Frame.Release r) {
            session.release(chain(r.chain()));
        } else {
            throw protocol("a control plane does not send " + frame.getClass().getSimpleName());
        }
    }

    /** The connection closed: cancel every call and free the session. */
    void close() {
        closed = true;
        calls.values().forEach(Cancellable::cancel);
        calls.clear();
        ModelSession s = session;
        if (s != null) {
            s.close();
        }
    }

    boolean open() {
        return session != null && !closed;
    }

    private void open(Frame.Open o) {
        if (session != null) {
            throw protocol("this session is open already");
        }
        backend.open(o.messages(), o.maxTokens(), o.topP() == null ? 1.0 : o.topP()).subscribe().with(s -> {
            if (closed) {
                s.close();
                return;
            }
            problem = new Problem("worker", s.rendered());
            session = s;
            out.accept(new Frame.Opened(backend.status().model(), s.rendered(), s.promptTokens(), s.chainTokens(),
                    s.stepDelimiter(), s.checksAnswers()));
        }, f -> out.accept(new Frame.Failed(null, ProblemException.of(f))));
    }

    private void call(long id, Function<ModelSession, Uni<? extends Frame>> work) {
        Call slot = new Call();
        if (calls.putIfAbsent(id, slot) != null) {
            throw protocol("call " + id + " is already running");
        }
        slot.running(work.apply(session).subscribe().with(reply -> {
            if (calls.remove(id, slot)) {
                out.accept(reply);
            }
        }, f -> {
            if (calls.remove(id, slot)) {
                out.accept(new Frame.Failed(id, ProblemException.of(f)));
            }
        }));
    }

    /** A call in flight; registered before it starts, so a reply that comes at once still finds it. */
    private static final class Call implements Cancellable {
        private Cancellable running;
        private boolean cancelled;

        synchronized void running(Cancellable c) {
            running = c;
            if (cancelled) {
                c.cancel();
            }
        }

        @Override
        public void cancel() {
            Cancellable c;
            synchronized (this) {
                cancelled = true;
                c = running;
            }
            if (c != null) {
                c.cancel();
            }
        }
    }

    private Chain chain(int[] ids) {
        List<Step> path = new ArrayList<>(ids.length);
        for (int id : ids) {
            Step s = steps.get(id);
            if (s == null) {
                throw protocol("no step " + id + " in this session");
            }
            path.add(s);
        }
        return new Chain(problem, path);
    }

    private List<Frame.WireStep> wire(List<Step> found) {
        List<Frame.WireStep> w = new ArrayList<>(found.size());
        for (Step s : found) {
            int id = nextStep.getAndIncrement();
            steps.put(id, s);
            w.add(Frame.WireStep.of(id, s));
        }
        return w;
    }

    private static ProblemException protocol(String detail) {
        return new ProblemException(ProblemDetail.badRequest("worker-protocol", "Worker protocol violated", detail));
    }
}

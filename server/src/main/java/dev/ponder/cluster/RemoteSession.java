package dev.ponder.cluster;

import dev.ponder.backend.ModelSession;
import dev.ponder.http.Json;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.reason.Message;
import dev.ponder.search.Chain;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A search's session on a model worker: the {@link ModelSession} whose calls travel as {@link Frame}s over
 * one WebSocket. Calls are numbered and many are in flight at once; a cancelled call is cancelled on the
 * worker. If the worker goes away, every call in flight and every later call fails with a 502
 * {@code worker-lost} problem (the search ends with an error; it is not retried elsewhere, since its KV
 * cache was on that worker) and the pool stops routing to the worker.
 */
final class RemoteSession implements ModelSession, WebSocket.Listener {

    private final WorkerPool pool;
    private final Worker worker;
    private final Map<Long, UniEmitter<? super Frame>> pending = new ConcurrentHashMap<>();
    private final Map<Step, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final CompletableFuture<Frame.Opened> opened = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile ProblemDetail lost;
    private volatile boolean closed;
    private volatile Frame.Opened info;

    private RemoteSession(WorkerPool pool, Worker worker) {
        this.pool = pool;
        this.worker = worker;
    }

    /** Connects to the least-loaded worker and opens a session for the conversation there. */
    static Uni<ModelSession> open(WorkerPool pool, List<Message> messages, int maxTokens, double topP) {
        return Uni.createFrom().deferred(() -> {
            Worker w = pool.choose();
            RemoteSession s = new RemoteSession(pool, w);
            w.opened();
            URI base = w.base();
            URI uri = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getRawAuthority()
                    + "/worker/v1/session");
            var builder = pool.http().newWebSocketBuilder().connectTimeout(pool.settings().connectTimeout());
            pool.settings().workerToken().ifPresent(t -> builder.header("Authorization", "Bearer " + t));
            CompletableFuture<Frame.Opened> ready = builder.buildAsync(uri, s)
                    .thenCompose(ws -> {
                        s.send(new Frame.Open(messages, maxTokens, topP));
                        return s.opened;
                    });
            return Uni.createFrom().completionStage(ready)
                    .onFailure().transform(f -> s.failure(f, "could not open a session"))
                    .map(o -> (ModelSession) s.withOpened(o))
                    .onFailure().invoke(f -> s.close())
                    .onCancellation().invoke(s::close);
        });
    }

    private RemoteSession withOpened(Frame.Opened o) {
        info = o;
        return this;
    }

    // --- the step model, over the wire

    @Override
    public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
        int[] path = path(chain);
        return call(id -> new Frame.Propose(id, path, k, Frame.WireSampling.of(sampling)),
                reply -> steps((Frame.Steps) reply));
    }

    @Override
    public Uni<List<Double>> selfCheck(List<Chain> chains) {
        List<int[]> paths = chains.stream().map(this::path).toList();
        return call(id -> new Frame.SelfCheck(id, paths), reply -> ((Frame.Scores) reply).scores());
    }

    @Override
    public boolean checksAnswers() {
        Frame.Opened o = info;
        return o != null && Boolean.TRUE.equals(o.checksAnswers());
    }

    @Override
    public Uni<List<Double>> checkAnswers(List<String> answers) {
        if (!checksAnswers()) {
            return ModelSession.super.checkAnswers(answers);
        }
        List<String> copy = List.copyOf(answers);
        return call(id -> new Frame.CheckAnswers(id, copy), reply -> ((Frame.Scores) reply).scores());
    }

    @Override
    public Uni<Chain> complete(Chain chain, Sampling sampling) {
        int[] path = path(chain);
        return call(id -> new Frame.Complete(id, path, Frame.WireSampling.of(sampling)), reply -> {
            Chain out = chain;
            for (Step s : steps((Frame.Steps) reply)) {
                out = out.append(s);
            }
            return out;
        });
    }

    @Override
    public void release(Chain chain) {
        if (lost == null && !closed) {
            send(new Frame.Release(path(chain)));
        }
    }

    @Override
    public String rendered() {
        return info.rendered();
    }

    @Override
    public int promptTokens() {
        return info.promptTokens();
    }

    @Override
    public int chainTokens() {
        return info.chainTokens();
    }

    @Override
    public String stepDelimiter() {
        return info.delimiter();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        worker.closed();
        WebSocket ws = socket;
        if (ws != null) {
            enqueue(() -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")).whenComplete((x, f) -> ws.abort());
        }
        failAll(new ProblemDetail("/problems/cancelled", "Session closed", 499, "the session was closed"));
    }

    private <T> Uni<T> call(Function<Long, Frame> frame, Function<Frame, T> reply) {
        long id = calls.incrementAndGet();
        return Uni.createFrom().<Frame>emitter(em -> {
                    ProblemDetail gone = lost;
                    if (gone != null || closed) {
                        em.fail(new ProblemException(gone != null ? gone : workerLost("went away during the search: the session is closed")));
                        return;
                    }
                    pending.put(id, em);
                    send(frame.apply(id));
                })
                .onCancellation().invoke(() -> {
                    if (pending.remove(id) != null && lost == null && !closed) {
                        send(new Frame.Cancel(id));
                    }
                })
                .map(reply);
    }

    private List<Step> steps(Frame.Steps reply) {
        List<Step> out = new ArrayList<>(reply.steps().size());
        for (Frame.WireStep w : reply.steps()) {
            Step s = w.step();
            ids.put(s, w.id());
            out.add(s);
        }
        return out;
    }

    private int[] path(Chain chain) {
        int[] path = new int[chain.depth()];
        for (int i = 0; i < path.length; i++) {
            Integer id = ids.get(chain.steps().get(i));
            if (id == null) {
                throw new IllegalStateException("step " + i + " of the chain did not come from this worker session");
            }
            path[i] = id;
        }
        return path;
    }

    // --- the socket

    private void send(Frame f) {
        String text = Json.write(f);
        enqueue(() -> socket.sendText(text, true));
    }

    /** java.net.http allows one outstanding send at a time: each waits for the one before. */
    private synchronized CompletableFuture<?> enqueue(Supplier<CompletableFuture<WebSocket>> next) {
        sending = sending.handle((x, f) -> null).thenCompose(x -> next.get());
        return sending;
    }

    @Override
    public void onOpen(WebSocket ws) {
        socket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                receive(Json.bind(Json.tree(text), Frame.class));
            } catch (RuntimeException e) {
                gone("it sent a frame this control plane cannot read: " + e.getMessage());
                ws.abort();
                return null;
            }
        }
        ws.request(1);
        return null;
    }

    private void receive(Frame f) {
        if (f instanceof Frame.Opened o) {
            opened.complete(o);
        } else if (f instanceof Frame.Steps s) {
            reply(s.call(), s);
        } else if (f instanceof Frame.Scores s) {
            reply(s.call(), s);
        } else if (f instanceof Frame.Failed failed) {
            if (failed.call() == null) {
                // the session could not open, or the worker refused a frame: nothing more can be trusted
                opened.completeExceptionally(new ProblemException(failed.problem()));
                failAll(failed.problem());
            } else {
                UniEmitter<? super Frame> em = pending.remove(failed.call());
                if (em != null) {
                    em.fail(new ProblemException(failed.problem()));
                }
            }
        }
    }

    private void reply(long call, Frame f) {
        UniEmitter<? super Frame> em = pending.remove(call);
        if (em != null) {
            em.complete(f);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        gone("the worker closed the session (" + status + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        gone(error.toString());
    }

    private void gone(String why) {
        if (closed) {
            return;
        }
        ProblemDetail p = workerLost("went away during the search: " + why);
        lost = p;
        pool.lost(worker, why);
        opened.completeExceptionally(new ProblemException(p));
        failAll(p);
    }

    private void failAll(ProblemDetail p) {
        for (Long id : List.copyOf(pending.keySet())) {
            UniEmitter<? super Frame> em = pending.remove(id);
            if (em != null) {
                em.fail(new ProblemException(p));
            }
        }
    }

    /** The 502 problem of a worker that is gone: "the model worker at URL " + {@code what}. */
    private ProblemDetail workerLost(String what) {
        return new ProblemDetail("/problems/worker-lost", "Model worker lost", 502,
                "the model worker at " + worker.base() + " " + what);
    }

    private Throwable failure(Throwable f, String what) {
        Throwable t = f instanceof CompletionException && f.getCause() != null ? f.getCause() : f;
        if (t instanceof ProblemException) {
            return t;
        }
        pool.lost(worker, t.toString());
        return new ProblemException(workerLost(what + ": " + t));
    }
}

package dev.ponder.search;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** The two asynchronous shapes every strategy is built from; both propagate cancellation downwards. */
final class Async {

    private Async() {
    }

    /**
     * Runs all {@code unis} at once (so the model can batch them) and hands their results to
     * {@code onEach} in index order as soon as every earlier one has arrived, so the events a strategy
     * emits from {@code onEach} do not depend on timing. Fails fast on the first failure, cancelling the
     * rest; cancelling the returned Uni cancels them all.
     */
    static <T> Uni<List<T>> inOrder(List<Uni<T>> unis, BiConsumer<Integer, T> onEach) {
        if (unis.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.createFrom().emitter(em -> new Gather<>(unis, onEach, em).start());
    }

    /** Repeats {@code round} until it yields false; iterative, so synchronous rounds do not grow the stack. */
    static Uni<Void> loop(Supplier<Uni<Boolean>> round) {
        return Uni.createFrom().emitter(em -> new Loop(round, em).start());
    }

    private static final class Gather<T> {
        private final List<Uni<T>> unis;
        private final BiConsumer<Integer, T> onEach;
        private final UniEmitter<? super List<T>> em;
        private final Object[] results;
        private final boolean[] arrived;
        private final List<Cancellable> inFlight = new ArrayList<>();
        private int released;
        private boolean draining;
        private boolean done;

        Gather(List<Uni<T>> unis, BiConsumer<Integer, T> onEach, UniEmitter<? super List<T>> em) {
            this.unis = unis;
            this.onEach = onEach;
            this.em = em;
            this.results = new Object[unis.size()];
            this.arrived = new boolean[unis.size()];
        }

        void start() {
            em.onTermination(this::cancelAll);
            for (int i = 0; i < unis.size(); i++) {
                int index = i;
                Cancellable c = unis.get(i).subscribe().with(item -> arrive(index, item), this::failed);
                synchronized (this) {
                    inFlight.add(c);
                    if (done) {
                        break;
                    }
                }
            }
            synchronized (this) {
                if (done) {
                    inFlight.forEach(Cancellable::cancel);
                }
            }
        }

        /**
         * Stores a result; the thread that finds no drain running releases the complete prefix, calling
         * {@code onEach} outside the lock so a slow subscriber never blocks the threads delivering results.
         */
        @SuppressWarnings("unchecked")
        private void arrive(int index, T item) {
            synchronized (this) {
                if (done) {
                    return;
                }
                results[index] = item;
                arrived[index] = true;
                if (draining) {
                    return; // the draining thread will release it
                }
                draining = true;
            }
            List<T> all;
            while (true) {
                int next;
                T value;
                synchronized (this) {
                    if (done) {
                        draining = false;
                        return;
                    }
                    if (released == results.length) {
                        done = true;
                        draining = false;
                        all = (List<T>) Arrays.asList(results.clone());
                        break;
                    }
                    if (!arrived[released]) {
                        draining = false;
                        return;
                    }
                    next = released++;
                    value = (T) results[next];
                }
                try {
                    onEach.accept(next, value);
                } catch (Throwable t) {
                    synchronized (this) {
                        done = true;
                        draining = false;
                    }
                    em.fail(t);
                    return;
                }
            }
            em.complete(all);
        }

        private void failed(Throwable t) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            em.fail(t); // onTermination cancels the others
        }

        private void cancelAll() {
            List<Cancellable> toCancel;
            synchronized (this) {
                done = true;
                toCancel = new ArrayList<>(inFlight);
            }
            toCancel.forEach(Cancellable::cancel);
        }
    }

    private static final class Loop {
        private final Supplier<Uni<Boolean>> round;
        private final UniEmitter<? super Void> em;
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicReference<Cancellable> current = new AtomicReference<>();
        private volatile boolean done;

        Loop(Supplier<Uni<Boolean>> round, UniEmitter<? super Void> em) {
            this.round = round;
            this.em = em;
            em.onTermination(() -> {
                done = true;
                Cancellable c = current.get();
                if (c != null) {
                    c.cancel();
                }
            });
        }

        void start() {
            next();
        }

        /** Trampoline: a round finishing synchronously inside {@code next} makes the running loop go on. */
        private void next() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            do {
                if (done) {
                    return;
                }
                Uni<Boolean> uni;
                try {
                    uni = round.get();
                } catch (Throwable t) {
                    done = true;
                    em.fail(t);
                    return;
                }
                Cancellable c = uni.subscribe().with(more -> {
                    if (done) {
                        return;
                    }
                    if (Boolean.TRUE.equals(more)) {
                        next();
                    } else {
                        done = true;
                        em.complete(null);
                    }
                }, t -> {
                    if (!done) {
                        done = true;
                        em.fail(t);
                    }
                });
                current.set(c);
                if (done) {
                    c.cancel();
                }
            } while (wip.decrementAndGet() != 0);
        }
    }
}

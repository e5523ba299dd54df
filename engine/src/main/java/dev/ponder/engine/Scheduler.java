package dev.ponder.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The one loop that runs the model (continuous batching). Each iteration gathers the pending work of every
 * task of every request (prefill chunks and one decode token per generating lane), fairly across requests
 * and capped in tokens, runs it as one forward pass, and hands each lane its row of logits. Cancelled tasks
 * give their KV blocks back before the next pass.
 */
final class Scheduler implements Runnable {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    private final EngineCore core;
    private final Executor completions;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** Running tasks grouped by request, in arrival order (round-robin start rotates). */
    private final Map<Long, List<Task<?>>> running = new LinkedHashMap<>();
    private volatile boolean stopping;
    private volatile Thread thread;
    private int rotation;
    /** The task of each lane in the pass being built. */
    private final Map<Lane, Task<?>> owners = new IdentityHashMap<>();

    Scheduler(EngineCore core, Executor completions) {
        this.core = core;
        this.completions = completions;
    }

    void submit(Task<?> task) {
        if (stopping) {
            task.emitter.fail(new EngineClosedException());
            return;
        }
        inbox.add(task);
        wake();
    }

    /** Runs {@code action} on the scheduler thread (KV memory is confined to it). */
    void execute(Runnable action) {
        inbox.add(action);
        wake();
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void stop() {
        stopping = true;
        wake();
    }

    int queueDepth() {
        return inbox.size() + running.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (!stopping) {
            try {
                drainInbox();
                List<Planned> batch = gather();
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
                    continue;
                }
                pass(batch);
                completeFinished();
            } catch (RuntimeException | Error e) {
                LOG.error("Scheduler iteration failed; failing the tasks of this pass", e);
                failAll(e);
            }
        }
        drainInbox();
        failAll(new EngineClosedException());
    }

    private void drainInbox() {
        Object o;
        while ((o = inbox.poll()) != null) {
            if (o instanceof Runnable r) {
                r.run();
                continue;
            }
            Task<?> t = (Task<?>) o;
            if (t.cancelled()) {
                continue;
            }
            try {
                t.start(core);
            } catch (RuntimeException e) {
                t.releaseAll(core);
                fail(t, e);
                continue;
            }
            running.computeIfAbsent(t.request, k -> new ArrayList<>()).add(t);
        }
        // drop cancelled work now, before it costs a pass
        for (Iterator<List<Task<?>>> it = running.values().iterator(); it.hasNext(); ) {
            List<Task<?>> tasks = it.next();
            tasks.removeIf(t -> {
                if (t.cancelled()) {
                    t.releaseAll(core);
                    core.metrics.cancelledTasks.increment();
                    return true;
                }
                if (orphaned(t)) {
                    // its search ended (and closed the branch under it) while it waited: only this task fails
                    t.releaseAll(core);
                    core.metrics.cancelledTasks.increment();
                    fail(t, new IllegalStateException("the search ended while this work was queued"));
                    return true;
                }
                return false;
            });
            if (tasks.isEmpty()) {
                it.remove();
            }
        }
        completeFinished();
    }

    /** A task working on a sequence its session already gave back (a settle shared by a search that ended). */
    private static boolean orphaned(Task<?> t) {
        for (Lane l : t.lanes()) {
            if (l.seq != null && l.seq.isReleased()) {
                return true;
            }
        }
        return false;
    }

    /** A lane in the pass being built, and how many of its pending tokens the pass feeds. */
    private record Planned(Lane lane, int chunk) {
    }

    /** Lanes for the next pass: requests take turns, each lane gets a chunk within the token cap. */
    private List<Planned> gather() {
        List<List<Lane>> perRequest = new ArrayList<>();
        owners.clear();
        for (List<Task<?>> tasks : running.values()) {
            List<Lane> lanes = new ArrayList<>();
            for (Task<?> t : tasks) {
                for (Lane l : t.lanes()) {
                    if (l.wantsPass()) {
                        lanes.add(l);
                        owners.put(l, t);
                    }
                }
            }
            if (!lanes.isEmpty()) {
                perRequest.add(lanes);
            }
        }
        List<Planned> batch = new ArrayList<>();
        if (perRequest.isEmpty()) {
            return batch;
        }
        int budget = core.config.maxBatchTokens();
        int maxSeqs = core.config.maxBatchSequences();
        int start = rotation++ % perRequest.size();
        int[] cursor = new int[perRequest.size()];
        boolean progress = true;
        // round-robin over requests, one lane at a time, so no request starves another
        while (progress && budget > 0 && batch.size() < maxSeqs) {
            progress = false;
            for (int i = 0; i < perRequest.size() && budget > 0 && batch.size() < maxSeqs; i++) {
                int r = (start + i) % perRequest.size();
                List<Lane> lanes = perRequest.get(r);
                if (cursor[r] >= lanes.size()) {
                    continue;
                }
                Lane l = lanes.get(cursor[r]++);
                int chunk = Math.min(l.remaining(), budget);
                budget -= chunk;
                batch.add(new Planned(l, chunk));
                progress = true;
            }
        }
        return batch;
    }

    private void pass(List<Planned> batch) {
        long t0 = System.nanoTime();
        List<ModelRunner.Feed> feeds = new ArrayList<>();
        for (Planned p : batch) {
            Lane l = p.lane();
            feeds.add(new ModelRunner.Feed(l.seq, Arrays.copyOfRange(l.feed, l.fed, l.fed + p.chunk())));
        }
        long tModel = System.nanoTime();
        ModelRunner.Pass pass = core.runner.forward(feeds);
        long modelNs = System.nanoTime() - tModel;
        core.metrics.copiedRows.add(pass.copiedRows());
        int vocab = core.runner.vocabSize();
        int rows = 0;
        int tokens = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (!pass.admitted()[i]) {
                core.metrics.deferredLanes.increment();   // waits for memory freed by others
                continue;
            }
            Lane l = batch.get(i).lane();
            l.fed += batch.get(i).chunk();
            tokens += batch.get(i).chunk();
            if (!l.wantsPass()) {
                l.onLogits(pass.logits(), rows * vocab, vocab);
            }
            rows++;
        }
        if (rows == 0) {
            // every lane waits for memory that only running work could free: shed the first one's task
            Task<?> victim = owners.get(batch.get(0).lane());
            running.get(victim.request).remove(victim);
            victim.releaseAll(core);
            fail(victim, new OverloadedException("KV cache full: no memory for this work even after eviction"));
            return;
        }
        core.metrics.recordPass(rows, tokens, modelNs, System.nanoTime() - t0 - modelNs);
        core.metrics.observeUsedBlocks(core.runner.kvStats().usedBlocks());
    }

    private void completeFinished() {
        for (Iterator<List<Task<?>>> it = running.values().iterator(); it.hasNext(); ) {
            List<Task<?>> tasks = it.next();
            tasks.removeIf(t -> {
                if (!t.done()) {
                    return false;
                }
                complete(t);
                return true;
            });
            if (tasks.isEmpty()) {
                it.remove();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void complete(Task t) {
        if (t.cancelled()) {
            t.releaseAll(core);
            return;
        }
        Object value = t.result();
        completions.execute(() -> t.emitter.complete(value));
    }

    private void fail(Task<?> t, Throwable e) {
        completions.execute(() -> t.emitter.fail(e));
    }

    private void failAll(Throwable e) {
        for (List<Task<?>> tasks : running.values()) {
            for (Task<?> t : tasks) {
                t.releaseAll(core);
                fail(t, e);
            }
        }
        running.clear();
    }
}

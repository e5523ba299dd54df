package dev.ponder.bench.peer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * llama.cpp driven the way its own parallel examples and server drive it: one context with a unified KV
 * cache in which a cell may belong to many sequences, so forking a branch is {@code llama_kv_self_seq_cp}
 * (no copy, no recomputation), and one scheduler thread that packs every active sequence's next tokens
 * into a single {@code llama_decode} per round (continuous batching). Like the server's
 * {@code cache_prompt}, finished prompts stay cached (LRU) and a new prompt reuses its longest cached prefix.
 *
 * <p>Why not the binding's server API: de.kherud:llama 4.2.0's JNI code reads token probabilities under
 * pre-2025 JSON keys ({@code probs}/{@code tok_str}) that its bundled server (b4916) no longer writes, and
 * aborts the JVM on the failed lookup whenever {@code n_probs > 0}; search needs step log-likelihoods and
 * P(yes)/P(no), so the peer reads logits through the C API of the same library instead.
 */
public final class LlamaCppEngine implements AutoCloseable {

    /**
     * @param threads            llama.cpp threads for decode and prompt processing
     * @param contextCells       KV cache cells shared by all sequences
     * @param batchTokens        most tokens per llama_decode (llama.cpp's n_batch)
     * @param maxSequences       sequence ids (n_seq_max)
     * @param promptCacheEntries prompts kept for reuse
     */
    public record Settings(int threads, int contextCells, int batchTokens, int maxSequences, int promptCacheEntries) {
        public static Settings defaults() {
            return new Settings(2, 8192, 2048, 64, 8);
        }
    }

    /** Counters of the native side. */
    public record Stats(long decodeCalls, long tokensDecoded, long decodeNanos) {
    }

    private final LlamaCppApi api;
    private final Settings settings;
    private final Pointer model;
    private final Pointer ctx;
    private final Pointer vocab;
    private final int vocabSize;
    private final byte[][] pieces;
    private final boolean[] eog;
    private final Deque<Integer> freeSeqs = new ArrayDeque<>();
    private final Map<String, CachedPrompt> promptCache = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final List<Job> jobs = new ArrayList<>();
    private final ExecutorService completions;
    private final Thread thread;
    private final LlamaCppApi.LogCallback quiet = (level, text, user) -> { };
    private final Memory tokenBuf;
    private final Memory posBuf;
    private final Memory nSeqIdBuf;
    private final Memory seqIdPtrs;
    private final Memory seqIdStore;
    private final Memory logitsBuf;
    private volatile boolean running = true;
    private volatile Stats stats = new Stats(0, 0, 0);

    private record CachedPrompt(int[] tokens, int seq, float[] logits) {
    }

    public LlamaCppEngine(Path gguf, Settings settings) {
        this.settings = settings;
        this.api = LlamaCppApi.load();
        api.llama_log_set(quiet, null);
        api.llama_backend_init();
        this.model = api.llama_model_load_from_file(gguf.toAbsolutePath().toString(), api.llama_model_default_params());
        if (model == null) {
            throw new IllegalStateException("llama.cpp could not load " + gguf);
        }
        LlamaCppApi.Blob cp = api.llama_context_default_params();
        // the defaults of b4916 (n_ctx 512, n_batch 2048, n_ubatch 512, n_seq_max 1) confirm the layout
        if (LlamaCppApi.ContextParams.get(cp, LlamaCppApi.ContextParams.N_BATCH) != 2048
                || LlamaCppApi.ContextParams.get(cp, LlamaCppApi.ContextParams.N_SEQ_MAX) != 1) {
            api.llama_model_free(model);
            throw new IllegalStateException("unexpected llama_context_params layout");
        }
        LlamaCppApi.ContextParams.set(cp, LlamaCppApi.ContextParams.N_CTX, settings.contextCells());
        LlamaCppApi.ContextParams.set(cp, LlamaCppApi.ContextParams.N_BATCH, settings.batchTokens());
        LlamaCppApi.ContextParams.set(cp, LlamaCppApi.ContextParams.N_UBATCH, Math.min(512, settings.batchTokens()));
        LlamaCppApi.ContextParams.set(cp, LlamaCppApi.ContextParams.N_SEQ_MAX, settings.maxSequences());
        LlamaCppApi.ContextParams.set(cp, LlamaCppApi.ContextParams.N_THREADS, settings.threads());
        LlamaCppApi.ContextParams.set(cp, LlamaCppApi.ContextParams.N_THREADS_BATCH, settings.threads());
        // defragment the KV cache past 10% fragmentation, as llama.cpp's server does by default (the field's
        // library default, -1 = off, confirms its place)
        if (LlamaCppApi.ContextParams.getFloat(cp, LlamaCppApi.ContextParams.DEFRAG_THOLD) == -1f) {
            LlamaCppApi.ContextParams.setFloat(cp, LlamaCppApi.ContextParams.DEFRAG_THOLD, 0.1f);
        }
        this.ctx = api.llama_init_from_model(model, cp);
        if (ctx == null) {
            api.llama_model_free(model);
            throw new IllegalStateException("llama.cpp could not create a context");
        }
        api.llama_set_n_threads(ctx, settings.threads(), settings.threads());
        this.vocab = api.llama_model_get_vocab(model);
        this.vocabSize = api.llama_vocab_n_tokens(vocab);
        this.pieces = new byte[vocabSize][];
        this.eog = new boolean[vocabSize];
        byte[] buf = new byte[256];
        for (int t = 0; t < vocabSize; t++) {
            int n = api.llama_token_to_piece(vocab, t, buf, buf.length, 0, false);
            pieces[t] = Arrays.copyOf(buf, Math.max(0, n));
            eog[t] = api.llama_vocab_is_eog(vocab, t) != 0;
        }
        for (int s = 0; s < settings.maxSequences(); s++) {
            freeSeqs.add(s);
        }
        int n = settings.batchTokens();
        tokenBuf = new Memory(4L * n);
        posBuf = new Memory(4L * n);
        nSeqIdBuf = new Memory(4L * n);
        seqIdStore = new Memory(4L * n);
        seqIdPtrs = new Memory((long) Native.POINTER_SIZE * n);
        logitsBuf = new Memory(n);
        for (int i = 0; i < n; i++) {
            nSeqIdBuf.setInt(4L * i, 1);
            seqIdPtrs.setPointer((long) Native.POINTER_SIZE * i, seqIdStore.share(4L * i));
        }
        this.completions = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "peer-completions");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::loop, "peer-llama.cpp");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public int vocabSize() {
        return vocabSize;
    }

    public boolean isEog(int token) {
        return eog[token];
    }

    public Stats stats() {
        return stats;
    }

    /** llama.cpp's tokenization of {@code text}: no bos added, special tokens written literally parsed. */
    public int[] tokenize(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length + 8];
        int n = api.llama_tokenize(vocab, b, b.length, out, out.length, false, true);
        if (n < 0) {
            throw new IllegalStateException("llama_tokenize needs " + -n + " tokens");
        }
        return Arrays.copyOf(out, n);
    }

    /** Text of tokens as llama.cpp renders them (special tokens left out, byte pieces joined as UTF-8). */
    public String detokenize(int[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t : tokens) {
            out.writeBytes(pieces[t]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether the piece of {@code token} contains the character {@code c}. */
    boolean pieceContains(int token, char c) {
        for (byte b : pieces[token]) {
            if (b == c) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- scheduler side

    /** Work on the scheduler thread: lanes to run, then a result once they are all done. */
    abstract static class Job {
        final List<Lane> lanes = new ArrayList<>();
        volatile boolean cancelled;

        /** Creates the lanes (may finish some at once). */
        abstract void start(LlamaCppEngine e);

        /** Called once every lane has finished. */
        abstract void finish(LlamaCppEngine e);

        abstract void fail(Throwable t);

        /** The job failed or was dropped: give back every sequence its lanes still hold. */
        void abandon(LlamaCppEngine e) {
            for (Lane l : lanes) {
                if (!l.kept) {
                    e.freeSeq(l.seq);
                }
            }
        }

        boolean done() {
            for (Lane l : lanes) {
                if (!l.finished) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One sequence's tokens for the next passes; after its last fed token the lane gets that token's logits. */
    abstract static class Lane {
        final int seq;
        int pos;
        int[] feed = new int[0];
        int fed;
        int chunk;
        boolean finished;
        /** The sequence is no longer the lane's to free (already freed). */
        boolean kept;

        Lane(int seq, int pos) {
            this.seq = seq;
            this.pos = pos;
        }

        void setFeed(int... tokens) {
            feed = tokens;
            fed = 0;
        }

        boolean wantsPass() {
            return !finished && fed < feed.length;
        }

        abstract void onLogits(float[] row);
    }

    /** Queues a job; it starts on the scheduler thread. */
    void submit(Job job) {
        execute(() -> {
            if (job.cancelled) {
                return;
            }
            try {
                job.start(this);
                jobs.add(job);
                finishDone();
            } catch (RuntimeException e) {
                job.abandon(this);
                job.fail(e);
            }
        });
    }

    /** The job's result is no longer wanted: its lanes stop and their sequences are freed. */
    void cancel(Job job) {
        job.cancelled = true;
        execute(() -> {
            if (jobs.remove(job)) {
                job.abandon(this);
            }
        });
    }

    /** Runs {@code action} on the scheduler thread, which alone touches the context. */
    void execute(Runnable action) {
        inbox.add(action);
    }

    /** Runs {@code action} off the scheduler thread (delivering results to the search). */
    void deliver(Runnable action) {
        completions.execute(action);
    }

    int acquireSeq() {
        Integer s = freeSeqs.poll();
        if (s == null) {
            throw new IllegalStateException("all " + settings.maxSequences() + " llama.cpp sequences are in use");
        }
        return s;
    }

    /** A new sequence sharing the first {@code length} KV cells of {@code src} (no copy: the cells gain an id). */
    int fork(int src, int length) {
        int dst = acquireSeq();
        if (length > 0) {
            api.llama_kv_self_seq_cp(ctx, src, dst, 0, length);
        }
        return dst;
    }

    void freeSeq(int seq) {
        api.llama_kv_self_seq_rm(ctx, seq, -1, -1);
        freeSeqs.add(seq);
    }

    /**
     * A cached prompt's sequence sharing {@code length} leading tokens with a new prompt; {@code logits} are
     * its next-token logits when it is the whole new prompt.
     */
    record PrefixHit(int seq, int length, float[] logits) {
    }

    /** The cached prompt sharing the longest prefix with {@code prompt} (scheduler thread), or null. */
    PrefixHit cachedPrefix(int[] prompt) {
        CachedPrompt best = null;
        int bestLength = 0;
        for (CachedPrompt c : promptCache.values()) {
            int n = Arrays.mismatch(c.tokens(), prompt);
            n = n < 0 ? prompt.length : n;
            if (n > bestLength) {
                best = c;
                bestLength = n;
            }
        }
        if (best == null) {
            return null;
        }
        promptCache.get(Arrays.toString(best.tokens()));   // touch for LRU
        boolean whole = best.tokens().length == prompt.length && bestLength == prompt.length;
        return new PrefixHit(best.seq(), whole ? bestLength : Math.min(bestLength, prompt.length - 1),
                whole ? best.logits() : null);
    }

    /** Keeps a settled prompt (its own fork of {@code seq}) for later requests (scheduler thread). */
    void cachePrompt(int[] prompt, int seq, float[] logits) {
        String key = Arrays.toString(prompt);
        if (settings.promptCacheEntries() <= 0 || promptCache.containsKey(key)) {
            return;
        }
        if (promptCache.size() >= settings.promptCacheEntries()) {
            Iterator<CachedPrompt> it = promptCache.values().iterator();
            freeSeq(it.next().seq());
            it.remove();
        }
        promptCache.put(key, new CachedPrompt(prompt.clone(), fork(seq, prompt.length), logits));
    }

    private void loop() {
        while (running) {
            try {
                Runnable r = anyWantsPass() ? inbox.poll() : inbox.take();
                while (r != null) {
                    r.run();
                    r = inbox.poll();
                }
                if (anyWantsPass()) {
                    pass();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a failed pass fails every job in it
                for (Job j : jobs) {
                    j.abandon(this);
                    j.fail(e);
                }
                jobs.clear();
            }
        }
    }

    private boolean anyWantsPass() {
        for (Job j : jobs) {
            for (Lane l : j.lanes) {
                if (l.wantsPass()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One llama_decode over the pending tokens of every lane (up to n_batch), then logits to the lanes. */
    private void pass() {
        int n = 0;
        List<Lane> fedLanes = new ArrayList<>();
        List<int[]> reports = new ArrayList<>();    // {lane index in fedLanes, batch row}
        outer:
        for (Job j : jobs) {
            for (Lane l : j.lanes) {
                if (!l.wantsPass()) {
                    continue;
                }
                int take = Math.min(l.feed.length - l.fed, settings.batchTokens() - n);
                if (take <= 0) {
                    break outer;
                }
                boolean last = l.fed + take == l.feed.length;
                for (int i = 0; i < take; i++) {
                    tokenBuf.setInt(4L * n, l.feed[l.fed + i]);
                    posBuf.setInt(4L * n, l.pos + i);
                    seqIdStore.setInt(4L * n, l.seq);
                    logitsBuf.setByte(n, (byte) (last && i == take - 1 ? 1 : 0));
                    n++;
                }
                l.chunk = take;
                fedLanes.add(l);
                if (last) {
                    reports.add(new int[] {fedLanes.size() - 1, n - 1});
                }
            }
        }
        LlamaCppApi.Batch batch = new LlamaCppApi.Batch();
        batch.n_tokens = n;
        batch.token = tokenBuf;
        batch.pos = posBuf;
        batch.n_seq_id = nSeqIdBuf;
        batch.seq_id = seqIdPtrs;
        batch.logits = logitsBuf;
        long t0 = System.nanoTime();
        int rc = api.llama_decode(ctx, batch);
        long dt = System.nanoTime() - t0;
        Stats s = stats;
        stats = new Stats(s.decodeCalls() + 1, s.tokensDecoded() + n, s.decodeNanos() + dt);
        if (rc != 0) {
            throw new IllegalStateException("llama_decode returned " + rc + (rc == 1 ? " (no KV cache slot)" : ""));
        }
        for (Lane l : fedLanes) {
            l.fed += l.chunk;
            l.pos += l.chunk;
            l.chunk = 0;
        }
        for (int[] r : reports) {
            Pointer row = api.llama_get_logits_ith(ctx, r[1]);
            fedLanes.get(r[0]).onLogits(row.getFloatArray(0, vocabSize));
        }
        finishDone();
    }

    private void finishDone() {
        for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (j.done()) {
                it.remove();
                try {
                    j.finish(this);
                } catch (RuntimeException e) {
                    j.fail(e);
                }
            }
        }
    }

    /** KV cells in use (scheduler-thread value read through a round trip). */
    public int usedCells() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        execute(() -> f.complete(api.llama_kv_self_used_cells(ctx)));
        return f.join();
    }

    /** Drops every cached prompt. */
    public void clearPromptCache() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        execute(() -> {
            promptCache.values().forEach(c -> freeSeq(c.seq()));
            promptCache.clear();
            f.complete(null);
        });
        f.join();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.shutdown();
        api.llama_free(ctx);
        api.llama_model_free(model);
    }
}

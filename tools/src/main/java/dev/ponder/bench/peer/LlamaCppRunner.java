package dev.ponder.bench.peer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ponder.engine.ModelRunner;
import dev.ponder.engine.kv.KvStats;
import dev.ponder.model.PromptProfile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * llama.cpp as a {@link ModelRunner}, so ponder's engine (its branches, step rules, seeds, self-checks and
 * scheduler) runs the same searches on it. One context with a unified KV cache in which a cell may belong to
 * many sequences: every engine sequence is a llama.cpp sequence id, a fork is {@code llama_kv_self_seq_cp}
 * (no copy, no recomputation), and a pass is one {@code llama_decode} of every feed (continuous batching, as
 * llama.cpp's parallel example and server do). Like the server's {@code cache_prompt}, finished prompts stay
 * (LRU) and a new prompt reuses its longest kept prefix.
 *
 * <p>Why not the binding's server API: de.kherud:llama 4.2.0's JNI code reads token probabilities under
 * pre-2025 JSON keys ({@code probs}/{@code tok_str}) that its bundled server (b4916) no longer writes, and
 * aborts the JVM on the failed lookup whenever {@code n_probs > 0}; search needs step log-likelihoods and
 * P(yes)/P(no), so the peer reads logits through the C API of the same library instead.
 */
public final class LlamaCppRunner implements ModelRunner {

    /**
     * @param threads            llama.cpp threads for decode and prompt processing
     * @param contextCells       KV cache cells shared by all sequences
     * @param batchTokens        most tokens per llama_decode (llama.cpp's n_batch)
     * @param maxSequences       sequence ids (n_seq_max)
     * @param promptCacheEntries prompts kept for reuse
     */
    public record Settings(int threads, int contextCells, int batchTokens, int maxSequences, int promptCacheEntries) {
        public static Settings defaults() {
            return new Settings(2, 8192, 2048, 256, 8);
        }
    }

    /** A llama.cpp sequence id and the tokens its cells hold. */
    private static final class Seq implements Sequence {
        final int id;
        int[] tokens;
        int length;
        boolean released;

        Seq(int id, int[] tokens, int length) {
            this.id = id;
            this.tokens = tokens;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public int token(int position) {
            return tokens[position];
        }

        @Override
        public int[] tokens() {
            return Arrays.copyOf(tokens, length);
        }

        @Override
        public boolean isReleased() {
            return released;
        }

        void append(int[] more) {
            if (length + more.length > tokens.length) {
                tokens = Arrays.copyOf(tokens, Math.max(2 * tokens.length, length + more.length));
            }
            System.arraycopy(more, 0, tokens, length, more.length);
            length += more.length;
        }
    }

    private final LlamaCppApi api;
    private final Settings settings;
    private final PromptProfile profile;
    private final Pointer model;
    private final Pointer ctx;
    private final Pointer vocab;
    private final int vocabSize;
    private final byte[][] pieces;
    private final String[] pieceTexts;
    private final boolean[] eog;
    private final Deque<Integer> freeIds = new ArrayDeque<>();
    /** Kept prompts by their tokens, least recently used first. */
    private final Map<String, Seq> kept = new LinkedHashMap<>(16, 0.75f, true);
    /** The prompts admitted lately, newest last: {@link #keep} keeps the longest a sequence starts with. */
    private final Deque<int[]> admittedPrompts = new ArrayDeque<>();
    private final LlamaCppApi.LogCallback quiet = (level, text, user) -> { };
    private final Memory tokenBuf;
    private final Memory posBuf;
    private final Memory nSeqIdBuf;
    private final Memory seqIdPtrs;
    private final Memory seqIdStore;
    private final Memory logitsBuf;
    private volatile KvStats stats;

    public LlamaCppRunner(Path gguf, Settings settings, PromptProfile profile) {
        this.settings = settings;
        this.profile = profile;
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
        this.pieceTexts = new String[vocabSize];
        this.eog = new boolean[vocabSize];
        byte[] buf = new byte[256];
        for (int t = 0; t < vocabSize; t++) {
            int n = api.llama_token_to_piece(vocab, t, buf, buf.length, 0, false);
            pieces[t] = Arrays.copyOf(buf, Math.max(0, n));
            pieceTexts[t] = new String(pieces[t], StandardCharsets.UTF_8);
            eog[t] = api.llama_vocab_is_eog(vocab, t) != 0;
        }
        for (int s = 0; s < settings.maxSequences(); s++) {
            freeIds.add(s);
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
        refreshStats();
    }

    // ---------------------------------------------------------------- vocabulary

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public PromptProfile profile() {
        return profile;
    }

    /** llama.cpp's tokenization of {@code text}: no bos added, special tokens written literally parsed. */
    @Override
    public int[] encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length + 8];
        int n = api.llama_tokenize(vocab, b, b.length, out, out.length, false, true);
        if (n < 0) {
            throw new IllegalStateException("llama_tokenize needs " + -n + " tokens");
        }
        return Arrays.copyOf(out, n);
    }

    /** Text of tokens as llama.cpp renders them (special tokens left out, byte pieces joined as UTF-8). */
    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t : tokens) {
            out.writeBytes(pieces[t]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String piece(int token) {
        return pieceTexts[token];
    }

    @Override
    public boolean isEos(int token) {
        return eog[token];
    }

    // ---------------------------------------------------------------- sequences (scheduler thread)

    @Override
    public Admission admit(int[] prompt) {
        Seq best = null;
        int bestLength = 0;
        for (Seq k : kept.values()) {
            int n = Arrays.mismatch(k.tokens, 0, k.length, prompt, 0, prompt.length);
            n = n < 0 ? prompt.length : n;
            if (n > bestLength) {
                best = k;
                bestLength = n;
            }
        }
        admittedPrompts.removeIf(p -> Arrays.equals(p, prompt));
        admittedPrompts.addLast(prompt.clone());
        if (admittedPrompts.size() > Math.max(1, settings.promptCacheEntries())) {
            admittedPrompts.removeFirst();
        }
        if (best == null) {
            return new Admission(empty(), 0);
        }
        kept.get(key(best.tokens()));                              // touch for LRU
        int reuse = Math.min(bestLength, prompt.length - 1);       // the last prompt token is always computed
        return new Admission(forkPrefix(best, reuse), reuse);
    }

    @Override
    public Sequence empty() {
        Integer id = freeIds.poll();
        if (id == null) {
            throw new IllegalStateException("all " + settings.maxSequences() + " llama.cpp sequences are in use");
        }
        return new Seq(id, new int[16], 0);
    }

    @Override
    public Seq fork(Sequence parent) {
        Seq p = (Seq) parent;
        return forkPrefix(p, p.length);
    }

    /** A new sequence sharing the first {@code length} cells of {@code p}. */
    private Seq forkPrefix(Seq p, int length) {
        Seq child = (Seq) empty();
        if (length > 0) {
            api.llama_kv_self_seq_cp(ctx, p.id, child.id, 0, length);   // the cells gain an id: no copy
        }
        child.tokens = Arrays.copyOf(p.tokens, Math.max(16, length));
        child.length = length;
        return child;
    }

    @Override
    public void truncate(Sequence sequence, int length) {
        Seq s = (Seq) sequence;
        if (length < s.length) {
            api.llama_kv_self_seq_rm(ctx, s.id, length, -1);
            s.length = length;
        }
    }

    @Override
    public void release(Sequence sequence) {
        Seq s = (Seq) sequence;
        if (!s.released) {
            s.released = true;
            api.llama_kv_self_seq_rm(ctx, s.id, -1, -1);
            freeIds.add(s.id);
            refreshStats();
        }
    }

    /**
     * Keeps the prompt {@code sequence} starts with, as llama.cpp's server keeps a slot's prompt
     * ({@code cache_prompt}); the generated tokens after it go. Keeping whole branches would leave their cells
     * in the unified cache, and llama.cpp's attention runs over every occupied cell.
     */
    @Override
    public void keep(Sequence sequence) {
        Seq s = (Seq) sequence;
        int[] prompt = null;
        for (int[] p : admittedPrompts) {
            if (p.length <= s.length && (prompt == null || p.length > prompt.length)
                    && Arrays.equals(p, 0, p.length, s.tokens, 0, p.length)) {
                prompt = p;
            }
        }
        if (settings.promptCacheEntries() <= 0 || prompt == null || kept.containsKey(key(prompt))) {
            return;
        }
        if (kept.size() >= settings.promptCacheEntries()) {
            Iterator<Seq> it = kept.values().iterator();
            release(it.next());
            it.remove();
        }
        kept.put(key(prompt), forkPrefix(s, prompt.length));
    }

    @Override
    public void clearKept() {
        kept.values().forEach(this::release);
        kept.clear();
    }

    private static String key(int[] tokens) {
        return Arrays.toString(tokens);
    }

    // ---------------------------------------------------------------- the pass (scheduler thread)

    /** One llama_decode of every feed that fits in n_batch; logits only for each feed's last token. */
    @Override
    public Pass forward(List<Feed> feeds) {
        boolean[] admitted = new boolean[feeds.size()];
        int[] last = new int[feeds.size()];                        // batch index of each feed's last token
        int n = 0;
        int rows = 0;
        for (int f = 0; f < feeds.size(); f++) {
            Seq s = (Seq) feeds.get(f).sequence();
            int[] t = feeds.get(f).tokens();
            if (n + t.length > settings.batchTokens()) {
                continue;            // the rest waits for the next pass
            }
            for (int i = 0; i < t.length; i++) {
                tokenBuf.setInt(4L * n, t[i]);
                posBuf.setInt(4L * n, s.length + i);
                seqIdStore.setInt(4L * n, s.id);
                logitsBuf.setByte(n, (byte) (i == t.length - 1 ? 1 : 0));
                n++;
            }
            last[f] = n - 1;
            admitted[f] = true;
            rows++;
        }
        if (rows == 0) {
            return new Pass(admitted, new float[0], 0);
        }
        LlamaCppApi.Batch batch = new LlamaCppApi.Batch();
        batch.n_tokens = n;
        batch.token = tokenBuf;
        batch.pos = posBuf;
        batch.n_seq_id = nSeqIdBuf;
        batch.seq_id = seqIdPtrs;
        batch.logits = logitsBuf;
        int rc = api.llama_decode(ctx, batch);
        if (rc == 1) {
            return new Pass(new boolean[feeds.size()], new float[0], 0);   // no KV cells free: all wait
        }
        if (rc != 0) {
            throw new IllegalStateException("llama_decode returned " + rc);
        }
        float[] logits = new float[rows * vocabSize];              // [admitted feeds * vocab]
        int row = 0;
        for (int f = 0; f < feeds.size(); f++) {
            if (admitted[f]) {
                ((Seq) feeds.get(f).sequence()).append(feeds.get(f).tokens());
                api.llama_get_logits_ith(ctx, last[f]).read(0, logits, row * vocabSize, vocabSize);
                row++;
            }
        }
        refreshStats();
        return new Pass(admitted, logits, 0);
    }

    /** Cells as blocks of one: used = cells some sequence holds, cached = cells of kept sequences (counted once each). */
    private void refreshStats() {
        int cells = settings.contextCells();
        int used = api.llama_kv_self_used_cells(ctx);
        int keptCells = kept.values().stream().mapToInt(Seq::length).sum();
        stats = new KvStats(1, cells, cells - used, used, 0, keptCells, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public KvStats kvStats() {
        return stats;
    }

    @Override
    public void close() {
        api.llama_free(ctx);
        api.llama_model_free(model);
    }
}

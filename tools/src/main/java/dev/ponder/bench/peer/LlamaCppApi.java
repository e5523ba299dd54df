package dev.ponder.bench.peer;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.io.File;

/**
 * The part of llama.cpp's C API (build b4916, the one inside de.kherud:llama 4.2.0's {@code libjllama.so})
 * that the peer uses, through JNA. The binding's Java API wraps llama.cpp's server, whose token
 * probabilities it cannot return (see {@link LlamaCppRunner}); the C API gives logits, multi-sequence
 * batches and KV sharing between sequences directly.
 *
 * <p>The model and context parameter structs are passed as opaque blobs returned by the
 * {@code *_default_params} functions; only the leading, long-stable fields of {@code llama_context_params}
 * are written (see {@link ContextParams}).
 */
public interface LlamaCppApi extends Library {

    void llama_backend_init();

    Blob llama_model_default_params();

    Blob llama_context_default_params();

    Pointer llama_model_load_from_file(String path, Blob params);

    Pointer llama_init_from_model(Pointer model, Blob params);

    void llama_free(Pointer ctx);

    void llama_model_free(Pointer model);

    void llama_set_n_threads(Pointer ctx, int nThreads, int nThreadsBatch);

    int llama_decode(Pointer ctx, Batch batch);

    Pointer llama_get_logits_ith(Pointer ctx, int i);

    void llama_kv_self_seq_cp(Pointer ctx, int src, int dst, int p0, int p1);

    byte llama_kv_self_seq_rm(Pointer ctx, int seq, int p0, int p1);

    int llama_kv_self_used_cells(Pointer ctx);

    Pointer llama_model_get_vocab(Pointer model);

    int llama_vocab_n_tokens(Pointer vocab);

    byte llama_vocab_is_eog(Pointer vocab, int token);

    int llama_tokenize(Pointer vocab, byte[] text, int textLength, int[] tokens, int maxTokens, boolean addSpecial,
                       boolean parseSpecial);

    int llama_token_to_piece(Pointer vocab, int token, byte[] buf, int length, int lstrip, boolean special);

    void llama_log_set(LogCallback callback, Pointer userData);

    /** {@code ggml_log_callback}. */
    interface LogCallback extends Callback {
        void invoke(int level, Pointer text, Pointer userData);
    }

    /**
     * A by-value parameter struct as raw bytes. 512 bytes is larger than either struct (about 72 and 120
     * bytes in b4916); both are passed in memory on x86-64, so the callee reads and writes only its prefix.
     */
    @Structure.FieldOrder({"bytes"})
    class Blob extends Structure implements Structure.ByValue {
        public byte[] bytes = new byte[512];
    }

    /** {@code struct llama_batch}: the arrays are owned by the caller. */
    @Structure.FieldOrder({"n_tokens", "token", "embd", "pos", "n_seq_id", "seq_id", "logits"})
    class Batch extends Structure implements Structure.ByValue {
        public int n_tokens;
        public Pointer token;
        public Pointer embd;
        public Pointer pos;
        public Pointer n_seq_id;
        public Pointer seq_id;
        public Pointer logits;
    }

    /**
     * Reads and writes 4-byte fields of {@code llama_context_params} by index: the leading n_ctx, n_batch,
     * n_ubatch, n_seq_max and thread counts, and defrag_thold (checked against its default before use).
     */
    final class ContextParams {
        private ContextParams() {
        }

        static int get(Blob b, int field) {
            int o = 4 * field;
            return (b.bytes[o] & 0xff) | (b.bytes[o + 1] & 0xff) << 8 | (b.bytes[o + 2] & 0xff) << 16 | (b.bytes[o + 3] & 0xff) << 24;
        }

        static void set(Blob b, int field, int v) {
            int o = 4 * field;
            for (int i = 0; i < 4; i++) {
                b.bytes[o + i] = (byte) (v >>> (8 * i));
            }
        }

        static float getFloat(Blob b, int field) {
            return Float.intBitsToFloat(get(b, field));
        }

        static void setFloat(Blob b, int field, float v) {
            set(b, field, Float.floatToIntBits(v));
        }

        static final int N_CTX = 0;
        static final int N_BATCH = 1;
        static final int N_UBATCH = 2;
        static final int N_SEQ_MAX = 3;
        static final int N_THREADS = 4;
        static final int N_THREADS_BATCH = 5;
        /** After rope/pooling/attention types, six rope floats and yarn_orig_ctx (b4916 layout). */
        static final int DEFRAG_THOLD = 16;
    }

    /**
     * Loads the C API from the library de.kherud:llama ships: its loader extracts {@code libjllama.so} to the
     * temp folder (or uses {@code de.kherud.llama.lib.path}) and loads it; JNA then opens that same file (the
     * same handle, so one copy of llama.cpp serves both).
     */
    static LlamaCppApi load() {
        try {
            Class.forName("de.kherud.llama.LlamaModel", true, LlamaCppApi.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("de.kherud:llama is not on the classpath", e);
        }
        String name = System.mapLibraryName("jllama");
        String libPath = System.getProperty("de.kherud.llama.lib.path");
        File lib = libPath != null && new File(libPath, name).isFile() ? new File(libPath, name)
                : new File(System.getProperty("de.kherud.llama.tmpdir", System.getProperty("java.io.tmpdir")), name);
        if (!lib.isFile()) {
            throw new IllegalStateException("de.kherud:llama did not extract its library to " + lib);
        }
        return Native.load(lib.getAbsolutePath(), LlamaCppApi.class);
    }
}

package dev.ponder.engine;

import dev.ponder.engine.kv.KvExhaustedException;
import dev.ponder.engine.kv.KvStats;
import dev.ponder.model.PromptProfile;
import java.util.List;

/**
 * The narrow forward interface the step layer runs on: token sequences whose keys and values the runner
 * holds, forks that share them, and one batched forward pass. Everything above it (branches, step ending
 * and settling, seeds, self-checks, scheduling) is the engine's and exists once; a runner only computes.
 *
 * <p>Two runners exist: {@link TransformerRunner}, ponder's own model over its paged KV memory, and the
 * llama.cpp peer's adapter (tools), so the peer benchmark runs the very same searches on both. The
 * vocabulary methods may be called from any thread; everything else runs on the engine's scheduler thread.
 */
public interface ModelRunner extends AutoCloseable {

    /** A token sequence whose keys and values the runner holds (its positions 0 to length - 1). */
    interface Sequence {
        int length();

        int token(int position);

        int[] tokens();

        boolean isReleased();
    }

    /** A new sequence for a prompt: it already holds the prompt's first {@code cachedTokens} tokens. */
    record Admission(Sequence sequence, int cachedTokens) {
    }

    /** Tokens to append to a sequence in the next pass. */
    record Feed(Sequence sequence, int[] tokens) {
    }

    /**
     * What a pass did.
     *
     * @param admitted   per feed, whether it ran (false: the runner had no memory for it; it may wait)
     * @param logits     the next-token logits after the last token of each admitted feed, rows in feed order,
     *                   {@code vocabSize} floats each
     * @param copiedRows KV rows copied before the pass (copy-on-write of shared blocks)
     */
    record Pass(boolean[] admitted, float[] logits, int copiedRows) {
    }

    int vocabSize();

    /** The model's prompts: chat template words, step delimiter, self-check question and its answers. */
    PromptProfile profile();

    /** Token ids of {@code text} (no beginning-of-sequence token added). */
    int[] encode(String text);

    /** Text of {@code tokens}, special tokens left out. */
    String decode(int[] tokens);

    /** Text of one token on its own (callers ask often: cache it). */
    String piece(int token);

    boolean isEos(int token);

    /**
     * A sequence for {@code prompt} starting from the longest prefix the runner kept (see {@link #keep}); at
     * least the last prompt token is left to compute, since its logits are needed.
     */
    Admission admit(int[] prompt) throws KvExhaustedException;

    /** An empty sequence (no prefix lookup). */
    Sequence empty();

    /** A new sequence sharing every key and value of {@code parent} (nothing copied or recomputed). */
    Sequence fork(Sequence parent);

    /** Cuts {@code sequence} back to its first {@code length} tokens. */
    void truncate(Sequence sequence, int length);

    /** Gives back what {@code sequence} holds; it is unusable afterwards. */
    void release(Sequence sequence);

    /** Offers {@code sequence}'s computed prefix to later {@link #admit}s (before releasing it). */
    void keep(Sequence sequence);

    /** Drops every kept prefix. */
    void clearKept();

    /** Appends each feed's tokens to its sequence and computes them, all in one forward pass. */
    Pass forward(List<Feed> feeds);

    /** KV memory counters, safe to read from any thread. */
    KvStats kvStats();

    @Override
    void close();
}

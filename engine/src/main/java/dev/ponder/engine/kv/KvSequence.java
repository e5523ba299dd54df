package dev.ponder.engine.kv;

import java.util.List;

/**
 * One branch's block table, as in vLLM's PagedAttention: the token ids whose keys and values it holds and
 * the blocks holding them, position {@code p} in slot {@code blocks[p / blockSize] * blockSize + p % blockSize}.
 * The table may run ahead of the tokens (blocks taken by {@link #reserve}).
 *
 * <p>Blocks with a reference count above 1 are shared (with forks or the prefix cache) and never written:
 * before new tokens land in a shared, partly filled block, the sequence moves to a fresh block and returns
 * the {@link SlotCopy} the caller must apply to the tensors before the next forward pass. Owned by the
 * scheduler thread, like its {@link BlockPool}.
 */
public final class KvSequence {

    /**
     * The result of {@link #append}: run {@code tokens} at positions {@code start ..} with {@code slots}
     * (every position's slot, as {@code SequenceInput(tokens, start, slots)} wants), after applying
     * {@code copies}.
     */
    public record Append(int start, int[] tokens, int[] slots, List<SlotCopy> copies) {
    }

    private final BlockPool pool;
    private final int blockSize;
    private final IntArray tokens;
    private final IntArray blocks;
    private boolean released;

    /** An empty sequence. */
    public KvSequence(BlockPool pool) {
        this(pool, new IntArray(16), new IntArray(4));
    }

    private KvSequence(BlockPool pool, IntArray tokens, IntArray blocks) {
        this.pool = pool;
        this.blockSize = pool.blockSize();
        this.tokens = tokens;
        this.blocks = blocks;
    }

    /**
     * A sequence starting from a cache hit: it holds {@code prompt[0 .. match.tokens())} in the matched
     * blocks and adopts the references the match took.
     */
    public static KvSequence fromPrefix(BlockPool pool, int[] prompt, PrefixMatch match) {
        if (match.tokens() != match.blocks().length * pool.blockSize() || match.tokens() > prompt.length) {
            throw new IllegalArgumentException("match of " + match.tokens() + " tokens in "
                    + match.blocks().length + " blocks does not fit a prompt of " + prompt.length);
        }
        return new KvSequence(pool, new IntArray(prompt, match.tokens()),
                new IntArray(match.blocks(), match.blocks().length));
    }

    public int length() {
        return tokens.size();
    }

    public int blockSize() {
        return blockSize;
    }

    public int token(int position) {
        return tokens.get(position);
    }

    public int[] tokens() {
        return tokens.toArray();
    }

    /** The token ids at positions {@code from .. to-1}. */
    public int[] tokens(int from, int to) {
        if (from < 0 || to > length() || from > to) {
            throw new IndexOutOfBoundsException(from + ".." + to + " of " + length());
        }
        return tokens.range(from, to);
    }

    /** The block table, reserved blocks included. */
    public int[] blocks() {
        return blocks.toArray();
    }

    public int block(int index) {
        return blocks.get(index);
    }

    /** Blocks in the table, reserved ones included. */
    public int blockCount() {
        return blocks.size();
    }

    /** Blocks all of whose slots hold tokens. */
    public int fullBlocks() {
        return length() / blockSize;
    }

    /** Tokens the table holds without allocating. */
    public int capacity() {
        return blocks.size() * blockSize;
    }

    public int slot(int position) {
        if (position < 0 || position >= length()) {
            throw new IndexOutOfBoundsException(position + " of " + length());
        }
        return blocks.get(position / blockSize) * blockSize + position % blockSize;
    }

    /** The slot of every position {@code 0 .. length-1}. */
    public int[] slots() {
        int[] out = new int[length()];
        for (int p = 0; p < out.length; p++) {
            out[p] = blocks.get(p / blockSize) * blockSize + p % blockSize;
        }
        return out;
    }

    /** Blocks {@link #reserve}{@code (n)} or an append of {@code n} tokens would allocate now. */
    public int blocksNeeded(int n) {
        ensureLive();
        int grow = Math.max(0, ceilDiv(length() + n, blockSize) - blocks.size());
        return grow + (needsCopyOnWrite(n) ? 1 : 0);
    }

    /**
     * Makes room for {@code n} more tokens: allocates the missing blocks and, if new tokens would land in a
     * shared block, moves the sequence's rows of that block to a fresh one (copy-on-write). All or nothing.
     * While the sequence is not forked, up to {@code n} tokens can then be appended without allocating.
     *
     * @return the copies to apply to the tensors before the next forward pass (empty or one)
     */
    public List<SlotCopy> reserve(int n) throws KvExhaustedException {
        ensureLive();
        if (n < 0) {
            throw new IllegalArgumentException("negative token count");
        }
        int len = length();
        boolean cow = needsCopyOnWrite(n);
        int grow = Math.max(0, ceilDiv(len + n, blockSize) - blocks.size());
        int[] fresh = pool.allocate(grow + (cow ? 1 : 0));
        int next = 0;
        List<SlotCopy> copies = List.of();
        if (cow) {
            // Copy-on-write: the filled rows of the shared block move to a private block.
            int index = len / blockSize;
            int rows = len % blockSize;
            int shared = blocks.get(index);
            int own = fresh[next++];
            if (rows > 0) {
                int[] from = new int[rows];
                int[] to = new int[rows];
                for (int i = 0; i < rows; i++) {
                    from[i] = shared * blockSize + i;
                    to[i] = own * blockSize + i;
                }
                copies = List.of(new SlotCopy(from, to));
                pool.recordCopyOnWrite(rows);
            }
            blocks.set(index, own);
            pool.release(shared);
        }
        while (next < fresh.length) {
            blocks.add(fresh[next++]);
        }
        return copies;
    }

    /**
     * Appends token ids whose keys and values the next forward pass will write: reserves room (see
     * {@link #reserve}) and returns where to run them. All or nothing.
     */
    public Append append(int... newTokens) throws KvExhaustedException {
        List<SlotCopy> copies = reserve(newTokens.length);
        int start = length();
        tokens.addAll(newTokens);
        return new Append(start, newTokens.clone(), slots(), copies);
    }

    /**
     * A branch sharing every block that holds tokens, the partly filled last one included (reference count
     * +1 each, nothing copied). Reserved empty blocks stay with this sequence.
     */
    public KvSequence fork() {
        ensureLive();
        int used = ceilDiv(length(), blockSize);
        int[] shared = blocks.range(0, used);
        pool.retainAll(shared);
        return new KvSequence(pool, tokens.copy(), new IntArray(shared, used));
    }

    /** Drops the tokens from {@code newLength} on and every block past the last one still holding tokens. */
    public void truncate(int newLength) {
        ensureLive();
        if (newLength < 0 || newLength > length()) {
            throw new IllegalArgumentException("cannot truncate " + length() + " tokens to " + newLength);
        }
        tokens.truncate(newLength);
        int keep = ceilDiv(newLength, blockSize);
        pool.releaseAll(blocks.range(keep, blocks.size()));
        blocks.truncate(keep);
    }

    /** Gives back every block reference; later calls do nothing. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        pool.releaseAll(blocks.toArray());
        blocks.truncate(0);
        tokens.truncate(0);
    }

    public boolean isReleased() {
        return released;
    }

    /** Points a full block at an identical cached one (the prefix cache's de-duplication). */
    void replaceBlock(int index, int block) {
        if (index >= fullBlocks()) {
            throw new IllegalArgumentException("only full blocks can be replaced");
        }
        int old = blocks.get(index);
        pool.retain(block);
        blocks.set(index, block);
        pool.release(old);
    }

    /** True when the next token would land in a block someone else also references. */
    private boolean needsCopyOnWrite(int n) {
        int index = length() / blockSize;
        return n > 0 && index < blocks.size() && pool.refCount(blocks.get(index)) > 1;
    }

    private void ensureLive() {
        if (released) {
            throw new IllegalStateException("sequence already released");
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}

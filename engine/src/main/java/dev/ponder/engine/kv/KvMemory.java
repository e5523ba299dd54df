package dev.ponder.engine.kv;

import java.util.List;

/**
 * The scheduler's view of KV memory: a {@link BlockPool} with a {@link PrefixCache} that gives back its
 * least recently used unreferenced blocks when the free list runs short.
 *
 * <p>Threading: a single scheduler thread owns this object and every {@link KvSequence} it hands out;
 * none of the mutating methods is synchronized. {@link #stats()} may be read from any thread.
 */
public final class KvMemory {

    /**
     * A new sequence: its first {@code cachedTokens} prompt tokens came from the prefix cache (already
     * computed); feed the rest of the prompt with {@link KvSequence#append}, which will not need to allocate
     * (room was reserved). Apply {@code copies} before the first forward pass.
     */
    public record Admission(KvSequence sequence, int cachedTokens, List<SlotCopy> copies) {
    }

    private final BlockPool pool;
    private final PrefixCache cache;

    public KvMemory(int numBlocks, int blockSize) {
        this(new BlockPool(numBlocks, blockSize));
    }

    public KvMemory(BlockPool pool) {
        this.pool = pool;
        this.cache = new PrefixCache(pool);
    }

    /** Memory filling a byte budget (see {@link BlockPool#bytesPerSlot}). */
    public static KvMemory ofBudget(long budgetBytes, long bytesPerSlot, int blockSize) {
        return new KvMemory(BlockPool.ofBudget(budgetBytes, bytesPerSlot, blockSize));
    }

    public BlockPool pool() {
        return pool;
    }

    public PrefixCache cache() {
        return cache;
    }

    public int blockSize() {
        return pool.blockSize();
    }

    /** Slots the KV tensors must have. */
    public int numSlots() {
        return pool.numSlots();
    }

    /** An empty sequence (no prefix lookup). */
    public KvSequence emptySequence() {
        return new KvSequence(pool);
    }

    /** {@link #newSequence(int[], int)} without headroom. */
    public Admission newSequence(int[] prompt) throws KvExhaustedException {
        return newSequence(prompt, 0);
    }

    /**
     * A sequence for {@code prompt} starting from its longest cached prefix, with room reserved for the rest
     * of the prompt plus {@code headroomTokens}. At least the last prompt token is left to compute (its logits
     * are needed): on a full hit the sequence keeps every cached block and recomputes that token in a private
     * copy of the last block. Fails before changing anything when memory cannot cover it.
     */
    public Admission newSequence(int[] prompt, int headroomTokens) throws KvExhaustedException {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        int needed = blocksToAdmit(prompt, headroomTokens);
        PrefixCache.Probe probe = cache.probe(prompt);
        int available = pool.freeBlocks() + pool.evictableBlocks() - probe.evictable();
        if (needed > available) {
            throw new KvExhaustedException(needed, pool.freeBlocks(), pool.evictableBlocks() - probe.evictable());
        }
        KvSequence seq = KvSequence.fromPrefix(pool, prompt, cache.match(prompt));
        try {
            if (seq.length() == prompt.length) {
                seq.truncate(prompt.length - 1);
            }
            List<SlotCopy> copies = seq.reserve(prompt.length - seq.length() + headroomTokens);
            return new Admission(seq, seq.length(), copies);
        } catch (KvExhaustedException | RuntimeException e) {
            seq.release();
            throw e;
        }
    }

    /** Blocks {@link #newSequence(int[], int)} would allocate now. */
    public int blocksToAdmit(int[] prompt, int headroomTokens) {
        if (headroomTokens < 0) {
            throw new IllegalArgumentException("negative headroom");
        }
        int matched = cache.probe(prompt).blocks();
        int total = KvSequence.ceilDiv(prompt.length + headroomTokens, pool.blockSize());
        int copy = matched > 0 && matched * pool.blockSize() == prompt.length ? 1 : 0;
        return copy + Math.max(0, total - matched);
    }

    /** Whether {@link #newSequence(int[], int)} would succeed now (evicting cached blocks if needed). */
    public boolean canAdmit(int[] prompt, int headroomTokens) {
        PrefixCache.Probe probe = cache.probe(prompt);
        return blocksToAdmit(prompt, headroomTokens)
                <= pool.freeBlocks() + pool.evictableBlocks() - probe.evictable();
    }

    public boolean canAdmit(int[] prompt) {
        return canAdmit(prompt, 0);
    }

    /** Offers a sequence's computed full blocks to the prefix cache (see {@link PrefixCache#insert}). */
    public int cache(KvSequence seq) {
        return cache.insert(seq);
    }

    /** Evicts up to {@code blocks} unreferenced cached blocks, LRU leaves first. */
    public int evict(int blocks) {
        return cache.evict(blocks);
    }

    public int clearCache() {
        return cache.clear();
    }

    public KvStats stats() {
        return pool.stats();
    }
}

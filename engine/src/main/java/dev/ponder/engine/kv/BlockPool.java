package dev.ponder.engine.kv;

/**
 * The paged KV cache's physical memory: {@code numBlocks} blocks of {@code blockSize} slots, slot
 * {@code block * blockSize + offset}, as in vLLM's PagedAttention. Each block carries a reference count
 * (one per sequence whose block table holds it, plus one if the prefix cache holds it); a block is on the
 * free list exactly when its count is 0.
 *
 * <p>Threading: one owner thread (the scheduler) calls every mutating method; {@link #stats()} is a
 * volatile snapshot, republished after each mutation, that any thread may read.
 */
public final class BlockPool {

    /** Frees cached blocks on demand (the prefix cache): evicts up to {@code blocks}, returns how many. */
    @FunctionalInterface
    public interface Reclaimer {
        int reclaim(int blocks);
    }

    private final int numBlocks;
    private final int blockSize;
    private final int[] refCounts;
    private final boolean[] cached;
    /** Stack of free block ids; allocation pops from the top. */
    private final int[] freeStack;
    private int freeCount;
    private int sharedCount;
    private int cachedCount;
    private int evictableCount;
    private long evicted;
    private long hitTokens;
    private long missTokens;
    private long cowRows;
    private long cowBlocks;
    private Reclaimer reclaimer = blocks -> 0;
    private volatile KvStats snapshot;

    public BlockPool(int numBlocks, int blockSize) {
        if (numBlocks < 1 || blockSize < 1) {
            throw new IllegalArgumentException("need at least one block of at least one slot");
        }
        if ((long) numBlocks * blockSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("slot ids would overflow an int");
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.refCounts = new int[numBlocks];
        this.cached = new boolean[numBlocks];
        this.freeStack = new int[numBlocks];
        // Lowest ids on top, so a fresh pool hands out 0, 1, 2, ...
        for (int i = 0; i < numBlocks; i++) {
            freeStack[i] = numBlocks - 1 - i;
        }
        this.freeCount = numBlocks;
        publish();
    }

    /** Bytes of one slot: keys and values of every layer, {@code kvWidth} values each. */
    public static long bytesPerSlot(int numLayers, int kvWidth, int bytesPerValue) {
        return 2L * numLayers * kvWidth * bytesPerValue;
    }

    /** Whole blocks that fit in a byte budget (at least 0). */
    public static int blocksForBudget(long budgetBytes, long bytesPerSlot, int blockSize) {
        if (bytesPerSlot < 1 || blockSize < 1) {
            throw new IllegalArgumentException("bytes per slot and block size must be positive");
        }
        long blocks = Math.max(0, budgetBytes) / (bytesPerSlot * blockSize);
        return (int) Math.min(blocks, Integer.MAX_VALUE / blockSize);
    }

    /** A pool filling a byte budget; fails if not even one block fits. */
    public static BlockPool ofBudget(long budgetBytes, long bytesPerSlot, int blockSize) {
        int blocks = blocksForBudget(budgetBytes, bytesPerSlot, blockSize);
        if (blocks < 1) {
            throw new IllegalArgumentException("a budget of " + budgetBytes + " bytes holds no block of "
                    + blockSize + " slots at " + bytesPerSlot + " bytes each");
        }
        return new BlockPool(blocks, blockSize);
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Slots the tensors must hold ({@code KvPool} size). */
    public int numSlots() {
        return numBlocks * blockSize;
    }

    public int slot(int block, int offset) {
        return block * blockSize + offset;
    }

    public int refCount(int block) {
        return refCounts[block];
    }

    public boolean isCached(int block) {
        return cached[block];
    }

    public int freeBlocks() {
        return freeCount;
    }

    public int evictableBlocks() {
        return evictableCount;
    }

    /** True when {@code n} blocks can be had now, evicting cached ones if needed. */
    public boolean canAllocate(int n) {
        return n <= freeCount + evictableCount;
    }

    /** Installs the eviction hook called when the free list is short (the prefix cache does this). */
    public void setReclaimer(Reclaimer reclaimer) {
        this.reclaimer = reclaimer;
    }

    /**
     * Takes {@code n} blocks, each with reference count 1. All or nothing: when the free list is short the
     * reclaimer evicts cached blocks first; if that cannot cover {@code n}, nothing is taken.
     */
    public int[] allocate(int n) throws KvExhaustedException {
        if (n < 0) {
            throw new IllegalArgumentException("negative block count");
        }
        if (n > freeCount + evictableCount) {
            throw new KvExhaustedException(n, freeCount, evictableCount);
        }
        if (n > freeCount) {
            reclaimer.reclaim(n - freeCount);
            if (n > freeCount) {
                publish();
                throw new KvExhaustedException(n, freeCount, evictableCount);
            }
        }
        int[] blocks = new int[n];
        for (int i = 0; i < n; i++) {
            int b = freeStack[--freeCount];
            refCounts[b] = 1;
            blocks[i] = b;
        }
        publish();
        return blocks;
    }

    /** One more reference to a used block (a fork, a cache hit). */
    public void retain(int block) {
        retainOne(block);
        publish();
    }

    public void retainAll(int[] blocks) {
        for (int b : blocks) {
            retainOne(b);
        }
        publish();
    }

    /** Drops one reference; the block goes back to the free list when none is left. */
    public void release(int block) {
        releaseOne(block);
        publish();
    }

    public void releaseAll(int[] blocks) {
        for (int b : blocks) {
            releaseOne(b);
        }
        publish();
    }

    /** The prefix cache takes its own reference on a used block. */
    void cacheRetain(int block) {
        if (cached[block]) {
            throw new IllegalStateException("block " + block + " is cached already");
        }
        int before = evictableContribution(block);
        retainOne(block);
        cached[block] = true;
        cachedCount++;
        evictableCount += evictableContribution(block) - before;
        publish();
    }

    /** The prefix cache drops its reference; {@code eviction} counts it as an eviction. */
    void cacheRelease(int block, boolean eviction) {
        if (!cached[block]) {
            throw new IllegalStateException("block " + block + " is not cached");
        }
        int before = evictableContribution(block);
        cached[block] = false;
        cachedCount--;
        evictableCount -= before;
        releaseOne(block);
        if (eviction) {
            evicted++;
        }
        publish();
    }

    void recordLookup(long hits, long misses) {
        hitTokens += hits;
        missTokens += misses;
        publish();
    }

    void recordCopyOnWrite(int rows) {
        cowRows += rows;
        cowBlocks++;
        publish();
    }

    public KvStats stats() {
        return snapshot;
    }

    private void retainOne(int block) {
        int rc = refCounts[block];
        if (rc <= 0) {
            throw new IllegalStateException("block " + block + " is free; allocate it first");
        }
        int before = evictableContribution(block);
        refCounts[block] = rc + 1;
        if (rc == 1) {
            sharedCount++;
        }
        evictableCount += evictableContribution(block) - before;
    }

    private void releaseOne(int block) {
        int rc = refCounts[block];
        if (rc <= 0) {
            throw new IllegalStateException("block " + block + " released more often than held");
        }
        int before = evictableContribution(block);
        refCounts[block] = rc - 1;
        if (rc == 2) {
            sharedCount--;
        }
        evictableCount += evictableContribution(block) - before;
        if (rc == 1) {
            freeStack[freeCount++] = block;
        }
    }

    private int evictableContribution(int block) {
        return cached[block] && refCounts[block] == 1 ? 1 : 0;
    }

    private void publish() {
        snapshot = new KvStats(blockSize, numBlocks, freeCount, numBlocks - freeCount, sharedCount,
                cachedCount, evictableCount, evicted, hitTokens, missTokens, cowRows, cowBlocks);
    }
}

package dev.ponder.engine.kv;

/**
 * One consistent snapshot of the KV memory, safe to read from any thread.
 *
 * @param blockSize         slots per block
 * @param totalBlocks       blocks in the pool
 * @param freeBlocks        blocks with no reference
 * @param usedBlocks        blocks with at least one reference (sequences or the prefix cache)
 * @param sharedBlocks      blocks with more than one reference
 * @param cachedBlocks      blocks held by the prefix cache
 * @param evictableBlocks   cached blocks nobody but the cache references (reclaimable on demand)
 * @param evictedBlocks     cached blocks evicted so far (clear() not counted)
 * @param prefixHitTokens   prompt tokens found in the prefix cache so far
 * @param prefixMissTokens  prompt tokens looked up and not found so far
 * @param copyOnWriteRows   slot rows copied by copy-on-write so far
 * @param copyOnWriteBlocks copy-on-write operations so far (one per block moved)
 */
public record KvStats(int blockSize, int totalBlocks, int freeBlocks, int usedBlocks, int sharedBlocks,
                      int cachedBlocks, int evictableBlocks, long evictedBlocks, long prefixHitTokens,
                      long prefixMissTokens, long copyOnWriteRows, long copyOnWriteBlocks) {

    /** Share of looked-up prompt tokens served from the cache, 0 when nothing was looked up. */
    public double prefixHitRate() {
        long all = prefixHitTokens + prefixMissTokens;
        return all == 0 ? 0 : (double) prefixHitTokens / all;
    }

    /** Blocks an allocation can get: free ones plus evictable cached ones. */
    public int availableBlocks() {
        return freeBlocks + evictableBlocks;
    }
}

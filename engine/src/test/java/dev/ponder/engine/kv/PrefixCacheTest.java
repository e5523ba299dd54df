package dev.ponder.engine.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {

    private static int[] prompt(int seed, int length) {
        return IntStream.range(0, length).map(i -> 1000 * seed + i).toArray();
    }

    /** Admits a prompt, "computes" it and offers it to the cache. */
    private static KvSequence computed(KvMemory memory, int[] prompt) throws KvExhaustedException {
        KvMemory.Admission a = memory.newSequence(prompt);
        KvSequence seq = a.sequence();
        seq.append(Arrays.copyOfRange(prompt, a.cachedTokens(), prompt.length));
        memory.cache(seq);
        return seq;
    }

    @Test
    void samePromptReusesEveryFullBlock() throws Exception {
        KvMemory memory = new KvMemory(64, 16);
        int[] prompt = prompt(1, 256);
        KvSequence first = computed(memory, prompt);
        assertEquals(16, memory.cache().size());
        assertEquals(0, memory.stats().prefixHitTokens());
        assertEquals(256, memory.stats().prefixMissTokens());

        KvMemory.Admission second = memory.newSequence(prompt);

        assertEquals(256, memory.stats().prefixHitTokens());
        KvSequence seq = second.sequence();
        // all 16 blocks reused; the last prompt token is recomputed (its logits are needed) in a private copy
        assertEquals(255, second.cachedTokens());
        assertEquals(255, seq.length());
        assertArrayEquals(Arrays.copyOf(first.blocks(), 15), Arrays.copyOf(seq.blocks(), 15));
        assertNotEquals(first.block(15), seq.block(15));
        assertEquals(1, second.copies().size());
        assertEquals(15, second.copies().get(0).rows());
        KvSequence.Append rest = seq.append(prompt[255]);
        assertTrue(rest.copies().isEmpty());
        assertEquals(16, seq.blockCount());
        assertEquals(17, memory.stats().usedBlocks());   // 16 shared + the private copy of the last one
    }

    @Test
    void longerPromptStartsAfterTheCachedBlocks() throws Exception {
        KvMemory memory = new KvMemory(64, 16);
        int[] prompt = prompt(1, 256);
        computed(memory, prompt);
        int[] longer = Arrays.copyOf(prompt, 300);
        KvMemory.Admission a = memory.newSequence(longer);
        assertEquals(256, a.cachedTokens());
        assertTrue(a.copies().isEmpty());
        assertEquals(3, a.sequence().blockCount() - 16);  // room for the 44 new tokens was reserved
        assertEquals(256, memory.cache().match(longer).tokens());
    }

    @Test
    void divergingPromptsShareOnlyCommonWholeBlocks() throws Exception {
        KvMemory memory = new KvMemory(64, 16);
        int[] p1 = prompt(1, 256);
        KvSequence first = computed(memory, p1);
        int[] p2 = p1.clone();
        p2[40] = -5;                                  // diverges inside the third block

        KvMemory.Admission a = memory.newSequence(p2);

        assertEquals(32, a.cachedTokens());
        assertArrayEquals(Arrays.copyOf(first.blocks(), 2), Arrays.copyOf(a.sequence().blocks(), 2));
        assertEquals(3, memory.pool().refCount(first.block(1)));   // first, the cache, the new sequence
        assertEquals(32, memory.stats().prefixHitTokens());
        assertEquals(256 + 224, memory.stats().prefixMissTokens());
        assertEquals(32, memory.cache().matchLength(p2));
    }

    @Test
    void evictsLeastRecentlyUsedUnreferencedLeavesFirst() throws Exception {
        KvMemory memory = new KvMemory(32, 4);
        int[] a = prompt(1, 8);
        int[] b = prompt(2, 8);
        int[] c = prompt(3, 8);
        for (int[] p : new int[][] {a, b, c}) {
            computed(memory, p).release();
        }
        assertEquals(6, memory.stats().evictableBlocks());
        // using a makes b the least recently used
        memory.pool().releaseAll(memory.cache().match(a).blocks());

        assertEquals(2, memory.evict(2));

        assertEquals(0, memory.cache().matchLength(b));
        assertEquals(8, memory.cache().matchLength(a));
        assertEquals(8, memory.cache().matchLength(c));
        assertEquals(2, memory.stats().evictedBlocks());
        assertEquals(1, memory.evict(1));             // then c's leaf, before c's root block
        assertEquals(4, memory.cache().matchLength(c));
    }

    @Test
    void neverEvictsReferencedBlocksOrNodesWithChildren() throws Exception {
        KvMemory memory = new KvMemory(32, 4);
        int[] shared = prompt(1, 12);
        computed(memory, shared).release();           // cached path of 3 blocks, unreferenced
        int[] branch = Arrays.copyOf(shared, 6);       // holds the first block only
        KvSequence holder = memory.newSequence(branch).sequence();
        KvSequence live = computed(memory, prompt(2, 8));   // referenced by a running sequence

        int evicted = memory.evict(100);

        assertEquals(2, evicted);                      // the 2 deeper blocks of `shared`, leaf first
        assertEquals(4, memory.cache().matchLength(shared));
        assertEquals(8, memory.cache().matchLength(prompt(2, 8)));
        assertEquals(0, memory.stats().evictableBlocks());
        holder.release();
        live.release();
        assertEquals(3, memory.stats().evictableBlocks());
        assertEquals(3, memory.evict(100));
        assertEquals(32, memory.stats().freeBlocks());
    }

    @Test
    void insertDeduplicatesOntoCachedBlocks() throws Exception {
        KvMemory memory = new KvMemory(32, 4);
        int[] p = prompt(1, 10);
        KvSequence x = memory.emptySequence();
        x.append(p);
        KvSequence y = memory.emptySequence();
        y.append(p);
        assertEquals(2, memory.cache(x));
        int used = memory.stats().usedBlocks();

        assertEquals(0, memory.cache(y));

        assertArrayEquals(Arrays.copyOf(x.blocks(), 2), Arrays.copyOf(y.blocks(), 2));
        assertNotEquals(x.block(2), y.block(2));      // partial blocks are never cached
        assertEquals(used - 2, memory.stats().usedBlocks());
        assertEquals(3, memory.pool().refCount(x.block(0)));
    }

    @Test
    void clearDropsOnlyTheCacheReferences() throws Exception {
        KvMemory memory = new KvMemory(32, 4);
        KvSequence live = computed(memory, prompt(1, 9));
        computed(memory, prompt(2, 9)).release();
        assertEquals(4, memory.cache().size());

        assertEquals(4, memory.clearCache());

        assertEquals(0, memory.cache().size());
        assertEquals(0, memory.stats().cachedBlocks());
        assertEquals(3, memory.stats().usedBlocks());
        assertEquals(0, memory.stats().evictedBlocks());
        live.release();
        assertEquals(32, memory.stats().freeBlocks());
    }

    @Test
    void aBlockOnlyTheCacheHoldsIsEvictableEvenAboveABlockASequenceHolds() throws Exception {
        // found by the KV property test: a keeps its own copy of the prefix [2, 0] that the cache holds in other
        // blocks, and shares its third block with the fork b, which is cached under the cache's copy
        KvMemory m = new KvMemory(8, 1);
        KvSequence s0 = m.emptySequence();
        s0.append(2, 0);
        m.cache(s0);
        s0.release();
        KvSequence a = m.emptySequence();
        a.append(2, 0, 2);
        KvSequence b = a.fork();
        m.cache(b);
        b.release();
        int evictable = m.stats().evictableBlocks();
        assertEquals(2, evictable, "the cache's [2] and [0] are held by nothing else");
        assertEquals(evictable, m.evict(Integer.MAX_VALUE), "and both can be had");
        assertEquals(0, m.stats().evictableBlocks());
        assertEquals(3, a.length(), "the sequence keeps its blocks");
        a.release();
        assertEquals(8, m.stats().freeBlocks(), "nothing leaks");
    }
}

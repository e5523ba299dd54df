package dev.ponder.engine.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KvMemoryTest {

    private static int[] prompt(int seed, int length) {
        return IntStream.range(0, length).map(i -> 1000 * seed + i).toArray();
    }

    private static void cacheAndRelease(KvMemory memory, int[] prompt) throws KvExhaustedException {
        KvMemory.Admission a = memory.newSequence(prompt);
        a.sequence().append(java.util.Arrays.copyOfRange(prompt, a.cachedTokens(), prompt.length));
        memory.cache(a.sequence());
        a.sequence().release();
    }

    @Test
    void allocationEvictsCachedBlocksWhenTheFreeListIsShort() throws Exception {
        KvMemory memory = new KvMemory(8, 4);
        cacheAndRelease(memory, prompt(1, 20));        // 5 cached, unreferenced blocks
        assertEquals(3, memory.stats().freeBlocks());
        assertEquals(5, memory.stats().evictableBlocks());

        assertTrue(memory.canAdmit(prompt(2, 28)));
        KvSequence seq = memory.newSequence(prompt(2, 28)).sequence();

        assertEquals(7, seq.blockCount());
        assertEquals(4, memory.stats().evictedBlocks());
        assertEquals(4, memory.cache().matchLength(prompt(1, 20)));   // the LRU leaves went, the root stayed
    }

    @Test
    void admissionBeyondTheBudgetFailsCleanly() throws Exception {
        KvMemory memory = new KvMemory(8, 4);
        cacheAndRelease(memory, prompt(1, 12));        // 3 evictable
        KvSequence running = memory.newSequence(prompt(2, 12)).sequence();   // 3 held
        running.append(prompt(2, 12));                  // fills its reservation
        KvStats before = memory.stats();
        int[] big = prompt(3, 21);                      // needs 6 blocks; 2 free + 3 evictable

        assertFalse(memory.canAdmit(big));
        KvExhaustedException e = assertThrows(KvExhaustedException.class, () -> memory.newSequence(big));

        assertEquals(6, e.requestedBlocks());
        assertEquals(2, e.freeBlocks());
        assertEquals(3, e.evictableBlocks());
        assertEquals(before, memory.stats());           // nothing evicted, allocated or counted
        assertTrue(memory.canAdmit(prompt(3, 20)));
        memory.newSequence(prompt(3, 20));              // 5 blocks fit after evicting all 3 cached ones
        assertEquals(3, memory.stats().evictedBlocks());
        assertEquals(0, memory.stats().freeBlocks());
        assertThrows(KvExhaustedException.class, () -> running.append(prompt(4, 1)));
    }

    @Test
    void admissionCountsThePinnedPrefixAsUnavailable() throws Exception {
        KvMemory memory = new KvMemory(4, 4);
        cacheAndRelease(memory, prompt(1, 8));          // 2 cached, 2 free
        int[] extended = java.util.Arrays.copyOf(prompt(1, 8), 17);
        // reuses 2 cached blocks, needs 3 more: only the 2 free ones can be had (the cached ones get pinned)
        assertEquals(3, memory.blocksToAdmit(extended, 0));
        assertFalse(memory.canAdmit(extended));
        assertThrows(KvExhaustedException.class, () -> memory.newSequence(extended));
        assertTrue(memory.canAdmit(java.util.Arrays.copyOf(extended, 16)));
        assertEquals(8, memory.newSequence(java.util.Arrays.copyOf(extended, 16)).cachedTokens());
        assertEquals(0, memory.stats().evictedBlocks());
    }

    @Test
    void headroomIsReservedUpFront() throws Exception {
        KvMemory memory = new KvMemory(8, 4);
        assertEquals(4, memory.blocksToAdmit(prompt(1, 5), 10));
        KvSequence seq = memory.newSequence(prompt(1, 5), 10).sequence();
        assertEquals(16, seq.capacity());
        assertEquals(4, memory.stats().freeBlocks());
    }

    @Test
    void fullHitNeedsOneBlockForThePrivateCopy() throws Exception {
        KvMemory memory = new KvMemory(4, 4);
        cacheAndRelease(memory, prompt(1, 8));
        assertEquals(1, memory.blocksToAdmit(prompt(1, 8), 0));
        KvMemory.Admission a = memory.newSequence(prompt(1, 8));
        assertEquals(7, a.cachedTokens());
        assertEquals(3, a.copies().get(0).rows());
        assertEquals(1, memory.stats().freeBlocks());
    }

    @Test
    void sizesFromAByteBudget() {
        KvMemory memory = KvMemory.ofBudget(4L << 20, BlockPool.bytesPerSlot(4, 128, 4), 16);
        assertEquals(4L << 20, (long) memory.numSlots() * BlockPool.bytesPerSlot(4, 128, 4));
        assertEquals(64, memory.stats().totalBlocks());
    }
}

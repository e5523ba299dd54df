package dev.ponder.engine.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KvSequenceTest {

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    @Test
    void appendMapsPositionsToBlockSlots() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence seq = new KvSequence(pool);
        KvSequence.Append a = seq.append(range(100, 110));
        assertEquals(0, a.start());
        assertTrue(a.copies().isEmpty());
        assertArrayEquals(new int[] {0, 1, 2}, seq.blocks());
        assertArrayEquals(range(0, 10), a.slots());
        KvSequence.Append b = seq.append(110, 111, 112);
        assertEquals(10, b.start());
        assertArrayEquals(new int[] {0, 1, 2, 3}, seq.blocks());
        assertArrayEquals(range(0, 13), b.slots());
        assertEquals(4, pool.stats().usedBlocks());
    }

    @Test
    void forkSharesEveryBlockWithoutCopying() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence parent = new KvSequence(pool);
        parent.append(range(0, 10));
        int free = pool.freeBlocks();

        KvSequence child = parent.fork();

        assertArrayEquals(parent.blocks(), child.blocks());
        assertArrayEquals(parent.slots(), child.slots());
        assertArrayEquals(parent.tokens(), child.tokens());
        for (int b : parent.blocks()) {
            assertEquals(2, pool.refCount(b));
        }
        assertEquals(free, pool.freeBlocks());
        assertEquals(3, pool.stats().sharedBlocks());
        assertEquals(0, pool.stats().copyOnWriteRows());
    }

    @Test
    void appendingToForkCopiesOnlyThePartialLastBlock() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence parent = new KvSequence(pool);
        parent.append(range(0, 10));                 // blocks 0, 1 full; block 2 holds 2 rows
        int[] parentSlots = parent.slots();
        KvSequence child = parent.fork();

        KvSequence.Append a = child.append(77);

        assertEquals(1, a.copies().size());
        SlotCopy copy = a.copies().get(0);
        assertArrayEquals(new int[] {8, 9}, copy.from());       // the 2 filled rows of block 2
        assertArrayEquals(new int[] {12, 13}, copy.to());       // into the fresh block 3
        assertArrayEquals(new int[] {0, 1, 3}, child.blocks());  // full blocks still shared
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14}, a.slots());
        assertEquals(2, pool.refCount(0));
        assertEquals(1, pool.refCount(2));
        assertEquals(2, pool.stats().copyOnWriteRows());
        assertEquals(1, pool.stats().copyOnWriteBlocks());
        // the parent keeps its mapping and now owns block 2 alone: it appends in place
        assertArrayEquals(parentSlots, parent.slots());
        KvSequence.Append p = parent.append(55);
        assertTrue(p.copies().isEmpty());
        assertEquals(10, p.slots()[10]);
    }

    @Test
    void twoForksThatAppendEachGetTheirOwnBlock() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence parent = new KvSequence(pool);
        parent.append(range(0, 6));
        int[] parentSlots = parent.slots();
        KvSequence a = parent.fork();
        KvSequence b = parent.fork();
        assertEquals(3, pool.refCount(1));

        List<SlotCopy> ca = a.append(1).copies();
        List<SlotCopy> cb = b.append(2).copies();

        assertEquals(1, ca.size());
        assertEquals(1, cb.size());
        int lastA = a.block(1);
        int lastB = b.block(1);
        assertNotEquals(lastA, lastB);
        assertNotEquals(1, lastA);
        assertNotEquals(1, lastB);
        assertEquals(a.block(0), parent.block(0));
        assertEquals(b.block(0), parent.block(0));
        assertEquals(3, pool.refCount(0));
        assertEquals(1, pool.refCount(1));
        assertArrayEquals(parentSlots, parent.slots());
        assertEquals(4, pool.stats().copyOnWriteRows());
    }

    @Test
    void forkAtBlockBoundaryNeedsNoCopy() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence parent = new KvSequence(pool);
        parent.append(range(0, 8));
        KvSequence child = parent.fork();
        KvSequence.Append a = child.append(9);
        assertTrue(a.copies().isEmpty());
        assertArrayEquals(new int[] {0, 1, 2}, child.blocks());
        assertEquals(0, pool.stats().copyOnWriteRows());
    }

    @Test
    void truncateIntoSharedBlockCopiesBeforeWriting() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence parent = new KvSequence(pool);
        parent.append(range(0, 8));
        KvSequence child = parent.fork();
        child.truncate(5);
        assertArrayEquals(new int[] {0, 1}, child.blocks());
        assertArrayEquals(range(0, 5), child.tokens());
        KvSequence.Append a = child.append(42);
        assertEquals(1, a.copies().size());
        assertArrayEquals(new int[] {4}, a.copies().get(0).from());
        assertEquals(2, pool.refCount(0));
        assertEquals(1, pool.refCount(1));
        assertArrayEquals(range(0, 8), parent.slots());
    }

    @Test
    void reserveTakesBlocksUpFrontSoAppendsNeverAllocate() throws Exception {
        BlockPool pool = new BlockPool(4, 4);
        KvSequence seq = new KvSequence(pool);
        assertEquals(3, seq.blocksNeeded(9));
        assertTrue(seq.reserve(9).isEmpty());
        assertEquals(12, seq.capacity());
        assertEquals(0, seq.length());
        assertEquals(1, pool.freeBlocks());
        KvSequence other = new KvSequence(pool);
        other.append(1, 2, 3);                       // takes the last free block
        seq.append(range(0, 5));
        seq.append(range(5, 9));                     // still within the reservation
        assertEquals(0, pool.freeBlocks());
        assertEquals(0, seq.blocksNeeded(3));
        assertThrows(KvExhaustedException.class, () -> seq.append(range(0, 4)));
    }

    @Test
    void exhaustedAppendChangesNothing() throws Exception {
        BlockPool pool = new BlockPool(2, 4);
        KvSequence seq = new KvSequence(pool);
        seq.append(1, 2, 3);
        KvExhaustedException e = assertThrows(KvExhaustedException.class, () -> seq.append(range(0, 9)));
        assertEquals(2, e.requestedBlocks());
        assertEquals(1, e.freeBlocks());
        assertEquals(3, seq.length());
        assertArrayEquals(new int[] {0}, seq.blocks());
        assertEquals(1, pool.freeBlocks());
    }

    @Test
    void releaseIsIdempotentAndFreesUnsharedBlocks() throws Exception {
        BlockPool pool = new BlockPool(8, 4);
        KvSequence parent = new KvSequence(pool);
        parent.append(range(0, 10));
        KvSequence child = parent.fork();
        child.append(1, 2, 3);
        parent.release();
        parent.release();
        assertTrue(parent.isReleased());
        assertThrows(IllegalStateException.class, () -> parent.append(1));
        assertEquals(1, pool.refCount(0));
        assertEquals(0, pool.refCount(2));              // the parent's private partial block
        child.release();
        assertEquals(8, pool.freeBlocks());
        assertEquals(0, pool.stats().sharedBlocks());
        assertFalse(pool.stats().usedBlocks() > 0);
    }

    @Test
    void budgetHelpersCountWholeBlocks() {
        long perSlot = BlockPool.bytesPerSlot(2, 64, 2);
        assertEquals(512, perSlot);
        assertEquals(128, BlockPool.blocksForBudget(1 << 20, perSlot, 16));
        assertEquals(127, BlockPool.blocksForBudget((1 << 20) - 1, perSlot, 16));
        BlockPool pool = BlockPool.ofBudget(1 << 20, perSlot, 16);
        assertEquals(128 * 16, pool.numSlots());
        assertThrows(IllegalArgumentException.class, () -> BlockPool.ofBudget(100, perSlot, 16));
    }
}

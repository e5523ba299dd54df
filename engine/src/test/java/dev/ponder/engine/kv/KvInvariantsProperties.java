package dev.ponder.engine.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.search.Gen;
import dev.ponder.search.Props;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random programs of admissions, appends, forks, truncations, releases, cache insertions and evictions
 * against a simulated KV tensor: every slot holds a fingerprint of the token prefix whose key/value it
 * stores, written only by the "forward pass" of the sequence that owns it. After every step each live
 * sequence and each cached block must still read back its own prefix, and the reference counts must equal
 * the references actually held.
 */
class KvInvariantsProperties {

    enum Kind { NEW, FRESH, RESUBMIT, APPEND, FORK, TRUNCATE, RELEASE, INSERT, EVICT, EVICT_ALL, CLEAR }

    record Op(Kind kind, int pick, int n, List<Integer> tokens) {
    }

    /** A shared stem so that random prompts overlap in whole blocks. */
    private static final int[] STEM = {0, 1, 1, 0, 2, 0, 1, 2, 2, 1, 0, 0, 1, 2, 0, 1};

    static Gen<List<Op>> programs() {
        Gen<Kind> kind = Gen.frequency(
                Gen.weightedValue(5, Kind.NEW), Gen.weightedValue(3, Kind.FRESH), Gen.weightedValue(2, Kind.RESUBMIT),
                Gen.weightedValue(8, Kind.APPEND), Gen.weightedValue(4, Kind.FORK),
                Gen.weightedValue(2, Kind.TRUNCATE), Gen.weightedValue(4, Kind.RELEASE), Gen.weightedValue(4, Kind.INSERT),
                Gen.weightedValue(2, Kind.EVICT), Gen.weightedValue(1, Kind.EVICT_ALL), Gen.weightedValue(1, Kind.CLEAR));
        Gen<Integer> pick = Gen.integers(0, 1_000);
        Gen<Integer> n = Gen.integers(0, 16);
        Gen<List<Integer>> tokens = Gen.integers(0, 2).list(1, 9);
        Gen<Op> op = r -> new Op(kind.next(r), pick.next(r), n.next(r), tokens.next(r));
        return op.list(0, 60);
    }

    record Case(List<Op> program, int blockSize, int numBlocks) {
    }

    @Test
    void randomProgramsKeepTheInvariants() {
        Gen<List<Op>> programs = programs();
        Gen<Integer> blockSize = Gen.integers(1, 4);
        Gen<Integer> numBlocks = Gen.integers(2, 14);
        Gen<Case> cases = r -> new Case(programs.next(r), blockSize.next(r), numBlocks.next(r));
        Props.forAll("randomProgramsKeepTheInvariants", 1000, cases,
                c -> randomProgramsKeepTheInvariants(c.program(), c.blockSize(), c.numBlocks()));
    }

    private static void randomProgramsKeepTheInvariants(List<Op> program, int blockSize, int numBlocks) {
        Sim sim = new Sim(new KvMemory(numBlocks, blockSize));
        for (Op op : program) {
            sim.run(op);
            sim.check();
        }
        // releasing everything and clearing the cache returns the pool to its starting state
        for (KvSequence s : sim.live) {
            s.release();
        }
        sim.live.clear();
        sim.memory.clearCache();
        sim.check();
        KvStats end = sim.memory.stats();
        assertEquals(numBlocks, end.freeBlocks());
        assertEquals(0, end.usedBlocks());
        assertEquals(0, end.sharedBlocks());
        assertEquals(0, end.cachedBlocks());
        assertEquals(0, end.evictableBlocks());
        for (int b = 0; b < numBlocks; b++) {
            assertEquals(0, sim.memory.pool().refCount(b));
        }
    }

    private static final class Sim {
        final KvMemory memory;
        final BlockPool pool;
        final int bs;
        /** The simulated KV tensor: per slot, the fingerprint of the prefix its row encodes. */
        final long[] kv;
        final List<KvSequence> live = new ArrayList<>();

        Sim(KvMemory memory) {
            this.memory = memory;
            this.pool = memory.pool();
            this.bs = pool.blockSize();
            this.kv = new long[pool.numSlots()];
            Arrays.fill(kv, Long.MIN_VALUE);
        }

        void run(Op op) {
            int[] tokens = op.tokens().stream().mapToInt(Integer::intValue).toArray();
            KvSequence target = live.isEmpty() ? null : live.get(op.pick() % live.size());
            switch (op.kind()) {
                case NEW -> admit(stemmed(op, tokens), op.n() % 3);
                case FRESH -> {
                    // computed from scratch without a cache lookup, so the cache may already hold its blocks
                    KvSequence seq = memory.emptySequence();
                    live.add(seq);
                    forward(seq, stemmed(op, tokens));
                }
                case RESUBMIT -> {
                    if (target != null && target.length() > 0) {
                        int[] prompt = target.tokens();
                        if (op.n() % 2 == 1) {
                            prompt = concat(prompt, tokens);
                        }
                        admit(prompt, 0);
                    }
                }
                case APPEND -> {
                    if (target != null) {
                        append(target, tokens);
                    }
                }
                case FORK -> {
                    if (target != null) {
                        int free = pool.freeBlocks();
                        KvSequence child = target.fork();
                        assertEquals(free, pool.freeBlocks());
                        assertArrayEquals(target.slots(), child.slots());
                        live.add(child);
                    }
                }
                case TRUNCATE -> {
                    if (target != null) {
                        target.truncate(target.length() == 0 ? 0 : op.n() % (target.length() + 1));
                    }
                }
                case RELEASE -> {
                    if (target != null) {
                        target.release();
                        target.release();
                        live.remove(target);
                    }
                }
                case INSERT -> {
                    if (target != null) {
                        memory.cache(target);
                        // afterwards the whole full-block prefix is cached
                        assertTrue(memory.cache().matchLength(target.tokens()) >= target.fullBlocks() * bs);
                    }
                }
                case EVICT -> {
                    int evictable = pool.evictableBlocks();
                    int evicted = memory.evict(op.n());
                    assertEquals(Math.min(op.n(), evictable), evicted);
                }
                case EVICT_ALL -> {
                    int evictable = pool.evictableBlocks();
                    assertEquals(evictable, memory.evict(Integer.MAX_VALUE));
                    assertEquals(0, pool.evictableBlocks());
                }
                case CLEAR -> memory.clearCache();
            }
        }

        void admit(int[] prompt, int headroom) {
            boolean predicted = memory.canAdmit(prompt, headroom);
            KvStats before = memory.stats();
            KvMemory.Admission a;
            try {
                a = memory.newSequence(prompt, headroom);
            } catch (KvExhaustedException e) {
                assertTrue(!predicted, "canAdmit said yes but admission failed");
                assertEquals(before, memory.stats());
                return;
            }
            assertTrue(predicted, "canAdmit said no but admission succeeded");
            KvSequence seq = a.sequence();
            assertTrue(a.cachedTokens() < prompt.length);
            assertArrayEquals(Arrays.copyOf(prompt, a.cachedTokens()), seq.tokens());
            live.add(seq);
            apply(a.copies());
            int free = pool.freeBlocks();
            // the rest of the prompt (and the headroom) fits the reservation
            KvSequence.Append rest = forward(seq, Arrays.copyOfRange(prompt, a.cachedTokens(), prompt.length));
            assertTrue(rest != null && rest.copies().isEmpty());
            assertEquals(free, pool.freeBlocks());
        }

        void append(KvSequence seq, int[] tokens) {
            boolean fits = pool.canAllocate(seq.blocksNeeded(tokens.length));
            assertEquals(fits, forward(seq, tokens) != null, "blocksNeeded/canAllocate disagree with append");
        }

        /**
         * Appends and plays the forward pass: apply copies, then write each new position's row; null when
         * memory ran out, in which case the sequence must be unchanged.
         */
        KvSequence.Append forward(KvSequence seq, int[] tokens) {
            KvSequence.Append a;
            int[] tokensBefore = seq.tokens();
            int[] blocksBefore = seq.blocks();
            try {
                a = seq.append(tokens);
            } catch (KvExhaustedException e) {
                // a clean failure: the sequence is unchanged
                assertArrayEquals(tokensBefore, seq.tokens());
                assertArrayEquals(blocksBefore, seq.blocks());
                return null;
            }
            apply(a.copies());
            int[] all = seq.tokens();
            for (int p = a.start(); p < seq.length(); p++) {
                int slot = a.slots()[p];
                assertEquals(1, pool.refCount(slot / bs), "write into a shared block at slot " + slot);
                kv[slot] = fingerprint(all, p);
            }
            return a;
        }

        void apply(List<SlotCopy> copies) {
            for (SlotCopy c : copies) {
                for (int i = 0; i < c.rows(); i++) {
                    assertEquals(1, pool.refCount(c.to()[i] / bs), "copy into a shared block");
                    kv[c.to()[i]] = kv[c.from()[i]];
                }
            }
        }

        void check() {
            int n = pool.numBlocks();
            int[] held = new int[n];
            for (KvSequence s : live) {
                Set<Integer> own = new HashSet<>();
                for (int b : s.blocks()) {
                    assertTrue(own.add(b), "a sequence holds block " + b + " twice");
                    held[b]++;
                }
                assertTrue(s.capacity() >= s.length());
                int[] tokens = s.tokens();
                int[] slots = s.slots();
                for (int p = 0; p < tokens.length; p++) {
                    assertEquals(fingerprint(tokens, p), kv[slots[p]], "sequence reads a wrong row at " + p);
                }
            }
            Map<Integer, int[]> cached = memory.cache().cachedPrefixes();
            for (Map.Entry<Integer, int[]> e : cached.entrySet()) {
                int[] prefix = e.getValue();
                held[e.getKey()]++;
                assertTrue(pool.isCached(e.getKey()));
                for (int i = 0; i < bs; i++) {
                    int p = prefix.length - bs + i;
                    assertEquals(fingerprint(prefix, p), kv[e.getKey() * bs + i], "cached block holds a wrong row");
                }
            }
            int free = 0;
            int shared = 0;
            int evictable = 0;
            for (int b = 0; b < n; b++) {
                int rc = pool.refCount(b);
                assertEquals(held[b], rc, "reference count of block " + b);
                free += rc == 0 ? 1 : 0;
                shared += rc > 1 ? 1 : 0;
                evictable += pool.isCached(b) && rc == 1 ? 1 : 0;
            }
            KvStats st = memory.stats();
            assertEquals(free, st.freeBlocks());
            assertEquals(n - free, st.usedBlocks());
            assertEquals(shared, st.sharedBlocks());
            assertEquals(cached.size(), st.cachedBlocks());
            assertEquals(cached.size(), memory.cache().size());
            assertEquals(evictable, st.evictableBlocks());
        }

        static int[] stemmed(Op op, int[] tokens) {
            int stem = op.pick() % 2 == 0 ? op.n() : 0;
            return concat(Arrays.copyOf(STEM, stem), tokens);
        }

        static long fingerprint(int[] tokens, int position) {
            long h = 1;
            for (int i = 0; i <= position; i++) {
                h = h * 1_000_003L + tokens[i] + 7;
            }
            return h;
        }

        static int[] concat(int[] a, int[] b) {
            int[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}

package dev.ponder.engine.kv;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A radix tree over token ids at block granularity (SGLang's RadixAttention with a page size): each node
 * is one full block, keyed exactly by its parent node and its {@code blockSize} token ids. The cache holds
 * its own reference on every cached block. Least recently used leaves that nobody else references are
 * evicted first; a node is evicted once it has no children, or, when nothing else is left, together with
 * the cache's hold on the sequence-held blocks below it, so no cached block becomes unreachable.
 *
 * <p>Installs itself as the pool's {@link BlockPool.Reclaimer}. Owned by the scheduler thread.
 */
public final class PrefixCache {

    /** The token ids of one block, compared by content. */
    private record Key(int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(tokens, k.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }

    private static final class Node {
        final Node parent;
        final Key key;
        final int block;
        final Map<Key, Node> children = new HashMap<>();
        long lastAccess;

        Node(Node parent, Key key, int block) {
            this.parent = parent;
            this.key = key;
            this.block = block;
        }
    }

    /** What {@link #match} would return, without touching anything. */
    record Probe(int blocks, int evictable) {
    }

    private static final Comparator<Node> LRU =
            Comparator.<Node>comparingLong(n -> n.lastAccess).thenComparingInt(n -> n.block);

    private final BlockPool pool;
    private final int blockSize;
    private final Node root = new Node(null, null, -1);
    /** Logical clock for LRU order: one tick per lookup or insertion. */
    private long clock;
    private int size;

    public PrefixCache(BlockPool pool) {
        this.pool = pool;
        this.blockSize = pool.blockSize();
        pool.setReclaimer(this::evict);
    }

    /** Cached blocks (tree nodes). */
    public int size() {
        return size;
    }

    /**
     * Registers the full blocks of a sequence whose tokens have all been computed (call it after the forward
     * pass that wrote them). New blocks get a cache reference; where the tree already holds a block for the
     * same tokens, the sequence is re-pointed at the cached block and its duplicate released, so read
     * {@link KvSequence#slots()} afresh afterwards.
     *
     * @return blocks newly cached
     */
    public int insert(KvSequence seq) {
        long now = ++clock;
        Node node = root;
        int added = 0;
        for (int i = 0; i < seq.fullBlocks(); i++) {
            Key key = new Key(seq.tokens(i * blockSize, (i + 1) * blockSize));
            Node child = node.children.get(key);
            if (child == null) {
                child = new Node(node, key, seq.block(i));
                node.children.put(key, child);
                pool.cacheRetain(child.block);
                size++;
                added++;
            } else if (child.block != seq.block(i)) {
                seq.replaceBlock(i, child.block);
            }
            child.lastAccess = now;
            node = child;
        }
        return added;
    }

    /**
     * The longest cached prefix of {@code tokens} in whole blocks, each retained for the caller; marks the
     * path recently used and counts hit and missed tokens.
     */
    public PrefixMatch match(int[] tokens) {
        long now = ++clock;
        Node node = root;
        IntArray found = new IntArray(8);
        while ((found.size() + 1) * blockSize <= tokens.length) {
            int from = found.size() * blockSize;
            Node child = node.children.get(new Key(Arrays.copyOfRange(tokens, from, from + blockSize)));
            if (child == null) {
                break;
            }
            child.lastAccess = now;
            found.add(child.block);
            node = child;
        }
        int[] blocks = found.toArray();
        pool.retainAll(blocks);
        int matched = blocks.length * blockSize;
        pool.recordLookup(matched, tokens.length - matched);
        return blocks.length == 0 ? PrefixMatch.NONE : new PrefixMatch(matched, blocks);
    }

    /** Tokens of {@code tokens} the cache holds, in whole blocks; no side effects. */
    public int matchLength(int[] tokens) {
        return probe(tokens).blocks() * blockSize;
    }

    /** Matched blocks and how many of them are evictable now (a match would pin them). */
    Probe probe(int[] tokens) {
        Node node = root;
        int blocks = 0;
        int evictable = 0;
        while ((blocks + 1) * blockSize <= tokens.length) {
            int from = blocks * blockSize;
            Node child = node.children.get(new Key(Arrays.copyOfRange(tokens, from, from + blockSize)));
            if (child == null) {
                break;
            }
            blocks++;
            if (pool.refCount(child.block) == 1) {
                evictable++;
            }
            node = child;
        }
        return new Probe(blocks, evictable);
    }

    /**
     * Evicts up to {@code n} cached blocks nobody else references, least recently used leaves first; a
     * parent becomes a candidate once its last child is gone. A block only the cache holds can also sit above
     * blocks a sequence still holds (a sequence that kept its own copy of a prefix the cache had in other
     * blocks, then shared a later block with a fork that was cached): when no leaf is left to evict, such a
     * block is evicted too, and the held blocks below it leave the cache (their sequences keep them). So every
     * block counted as evictable can be had.
     *
     * @return blocks evicted (freed)
     */
    public int evict(int n) {
        int evicted = 0;
        while (evicted < n) {
            evicted += evictLeaves(n - evicted);
            if (evicted >= n) {
                break;
            }
            Node stuck = leastRecentlyUsedAboveHeldBlocks();
            if (stuck == null) {
                break;
            }
            for (Node child : stuck.children.values()) {
                uncache(child);
            }
            stuck.children.clear();
            remove(stuck, true);
            evicted++;
        }
        return evicted;
    }

    private int evictLeaves(int n) {
        PriorityQueue<Node> heap = new PriorityQueue<>(LRU);
        ArrayDeque<Node> stack = new ArrayDeque<>(root.children.values());
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            if (node.children.isEmpty()) {
                if (evictable(node)) {
                    heap.add(node);
                }
            } else {
                stack.addAll(node.children.values());
            }
        }
        int evicted = 0;
        while (evicted < n && !heap.isEmpty()) {
            Node leaf = heap.poll();
            remove(leaf, true);
            evicted++;
            Node parent = leaf.parent;
            if (parent != root && parent.children.isEmpty() && evictable(parent)) {
                heap.add(parent);
            }
        }
        return evicted;
    }

    /** The least recently used block only the cache holds whose descendants are all held by sequences; null: none. */
    private Node leastRecentlyUsedAboveHeldBlocks() {
        Node[] best = {null};
        for (Node child : root.children.values()) {
            findStuck(child, best);
        }
        return best[0];
    }

    /** Whether {@code node}'s subtree holds a block only the cache holds; records stuck candidates in {@code best}. */
    private boolean findStuck(Node node, Node[] best) {
        boolean freeBelow = false;
        for (Node child : node.children.values()) {
            freeBelow |= findStuck(child, best);
        }
        boolean free = evictable(node);
        if (free && !freeBelow && !node.children.isEmpty() && (best[0] == null || LRU.compare(node, best[0]) < 0)) {
            best[0] = node;
        }
        return free || freeBelow;
    }

    /** Drops the cache's hold on {@code node} and everything below it (all held by sequences, which keep them). */
    private void uncache(Node node) {
        for (Node child : node.children.values()) {
            uncache(child);
        }
        node.children.clear();
        pool.cacheRelease(node.block, false);
        size--;
    }

    /** Drops every cached block (blocks still held by sequences stay allocated to them). */
    public int clear() {
        int dropped = 0;
        ArrayDeque<Node> stack = new ArrayDeque<>(root.children.values());
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            stack.addAll(node.children.values());
            pool.cacheRelease(node.block, false);
            dropped++;
        }
        root.children.clear();
        size = 0;
        return dropped;
    }

    /** Every cached block with the token ids of its whole prefix, for checks. */
    Map<Integer, int[]> cachedPrefixes() {
        Map<Integer, int[]> out = new HashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>(root.children.values());
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            stack.addAll(node.children.values());
            int depth = 0;
            for (Node n = node; n != root; n = n.parent) {
                depth++;
            }
            int[] prefix = new int[depth * blockSize];
            int at = prefix.length;
            for (Node n = node; n != root; n = n.parent) {
                at -= blockSize;
                System.arraycopy(n.key.tokens(), 0, prefix, at, blockSize);
            }
            out.put(node.block, prefix);
        }
        return out;
    }

    private boolean evictable(Node node) {
        return pool.refCount(node.block) == 1;
    }

    private void remove(Node node, boolean eviction) {
        node.parent.children.remove(node.key);
        pool.cacheRelease(node.block, eviction);
        size--;
    }
}

package dev.ponder.engine.kv;

/**
 * The KV cache cannot supply the blocks asked for, even after evicting every unreferenced cached block
 * that could help. Nothing was allocated; the caller makes the work wait, preempts a branch, or fails the
 * request as overloaded.
 */
public final class KvExhaustedException extends Exception {

    private final int requestedBlocks;
    private final int freeBlocks;
    private final int evictableBlocks;

    public KvExhaustedException(int requestedBlocks, int freeBlocks, int evictableBlocks) {
        super("KV cache exhausted: need " + requestedBlocks + " blocks, " + freeBlocks + " free, "
                + evictableBlocks + " evictable");
        this.requestedBlocks = requestedBlocks;
        this.freeBlocks = freeBlocks;
        this.evictableBlocks = evictableBlocks;
    }

    public int requestedBlocks() {
        return requestedBlocks;
    }

    public int freeBlocks() {
        return freeBlocks;
    }

    public int evictableBlocks() {
        return evictableBlocks;
    }
}

package dev.ponder.cluster;

/**
 * A model worker's answer to {@code GET /worker/v1/load}: what it serves and how busy it is. A control plane
 * polls it to route new searches to the least-loaded worker and to notice workers that are gone.
 *
 * @param state       loading, ready or failed
 * @param sessions    search sessions open on it now
 * @param opened      search sessions opened on it since it started
 * @param queueDepth  engine tasks waiting for the scheduler
 * @param kvUsed      share of the KV cache's blocks in use, 0 to 1
 */
public record WorkerLoad(String model, String state, long createdEpoch, int sessions, long opened, int queueDepth, double kvUsed) {

    public boolean ready() {
        return "ready".equals(state);
    }
}

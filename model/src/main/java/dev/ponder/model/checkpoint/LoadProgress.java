package dev.ponder.model.checkpoint;

import dev.ponder.fetch.Bytes;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How far loading a checkpoint's weights has got, in bytes and shards: one log line as each shard is fully read
 * (bytes and seconds), and a snapshot the readiness check reports while the model loads. One load at a time per
 * JVM, so the load in progress is kept in a static field.
 */
public final class LoadProgress {

    /** Bytes read of the total, shards complete of all, seconds since the load began. */
    public record Snapshot(long bytesRead, long bytesTotal, int shardsDone, int shardsTotal, double seconds) {

        public int percent() {
            return bytesTotal == 0 ? 100 : (int) (100 * bytesRead / bytesTotal);
        }

        public boolean complete() {
            return bytesRead >= bytesTotal;
        }
    }

    private static volatile LoadProgress current;

    private final Map<Path, long[]> shards = new LinkedHashMap<>();   // file -> {read, total}
    private final long total;
    private final long t0 = System.nanoTime();
    private final Consumer<String> log;
    private long read;
    private int shardsDone;

    private LoadProgress(Collection<SafeTensors.Entry> entries, Consumer<String> log) {
        this.log = log;
        long sum = 0;
        for (SafeTensors.Entry e : entries) {
            shards.computeIfAbsent(e.file(), f -> new long[2])[1] += e.length();
            sum += e.length();
        }
        this.total = sum;
    }

    /** Starts tracking a load of {@code entries}; it becomes {@link #current()}. */
    public static LoadProgress start(Collection<SafeTensors.Entry> entries, Consumer<String> log) {
        LoadProgress p = new LoadProgress(entries, log);
        current = p;
        log.accept(String.format(Locale.ROOT, "Loading %s of weights from %d shard(s)", Bytes.human(p.total), p.shards.size()));
        return p;
    }

    /** The load in progress (or the last one), or null before any load. */
    public static Snapshot current() {
        LoadProgress p = current;
        return p == null ? null : p.snapshot();
    }

    /** One tensor has been read; logs the shard it belongs to once all of that shard is read. */
    public synchronized void read(SafeTensors.Entry e) {
        long[] shard = shards.get(e.file());
        if (shard == null) {
            return;
        }
        boolean wasDone = shard[0] >= shard[1];
        shard[0] += e.length();
        read += e.length();
        if (!wasDone && shard[0] >= shard[1]) {
            shardsDone++;
            Snapshot s = snapshot();
            log.accept(String.format(Locale.ROOT, "Loaded shard %s (%s) at %.1f s: %s of %s (%d%%), %d of %d shards",
                    e.file().getFileName(), Bytes.human(shard[1]), s.seconds(), Bytes.human(s.bytesRead()),
                    Bytes.human(s.bytesTotal()), s.percent(), s.shardsDone(), s.shardsTotal()));
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(read, total, shardsDone, shards.size(), (System.nanoTime() - t0) / 1e9);
    }
}

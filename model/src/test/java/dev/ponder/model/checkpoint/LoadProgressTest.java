package dev.ponder.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A progress line per shard, in bytes and seconds, and the snapshot readiness reports while loading. */
class LoadProgressTest {

    static SafeTensors.Entry entry(String file, String name, long length) {
        return new SafeTensors.Entry(Path.of("/ckpt", file), name, "BF16", new long[] {length / 2}, 0, length);
    }

    @Test
    void logsEachShardOnceAllOfItIsReadAndReportsHowFarTheLoadHasGot() {
        var a1 = entry("model-00001-of-00002.safetensors", "a1", 3_000_000_000L);
        var a2 = entry("model-00001-of-00002.safetensors", "a2", 1_000_000_000L);
        var b1 = entry("model-00002-of-00002.safetensors", "b1", 4_000_000_000L);
        List<String> log = new ArrayList<>();
        LoadProgress p = LoadProgress.start(List.of(a1, a2, b1), log::add);
        assertEquals("Loading 8.0 GB of weights from 2 shard(s)", log.get(0));
        assertEquals(0, LoadProgress.current().percent());

        p.read(a1);
        assertEquals(1, log.size(), "no line before a shard is complete");
        p.read(b1);
        assertEquals(2, log.size());
        assertTrue(log.get(1).matches("Loaded shard model-00002-of-00002.safetensors \\(4.0 GB\\) at \\d+\\.\\d s: "
                + "7.0 GB of 8.0 GB \\(87%\\), 1 of 2 shards"), log.get(1));
        LoadProgress.Snapshot mid = LoadProgress.current();
        assertEquals(7_000_000_000L, mid.bytesRead());
        assertFalse(mid.complete());

        p.read(a2);
        assertTrue(log.get(2).startsWith("Loaded shard model-00001-of-00002.safetensors (4.0 GB)"), log.get(2));
        assertTrue(log.get(2).endsWith("8.0 GB of 8.0 GB (100%), 2 of 2 shards"), log.get(2));
        assertTrue(LoadProgress.current().complete());
    }
}

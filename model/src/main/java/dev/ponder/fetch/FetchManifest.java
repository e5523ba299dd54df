package dev.ponder.fetch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code .ponder-fetch.json}, written into the model folder after every file is verified: what was fetched, from
 * where, at which revision, with which checksums. Its presence is the completion marker workers wait for.
 */
public record FetchManifest(String hub, String repo, String revision, List<Entry> files) {

    public static final String NAME = ".ponder-fetch.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Entry(String path, long size, String checksum) {
    }

    static FetchManifest of(String hub, String repo, String revision, List<RemoteFile> files) {
        return new FetchManifest(hub, repo, revision,
                files.stream().map(f -> new Entry(f.path(), f.size(), f.checksum())).toList());
    }

    /** The manifest in {@code dir}, or null when there is none (or it cannot be read). */
    static FetchManifest read(Path dir) {
        Path p = dir.resolve(NAME);
        try {
            return Files.isRegularFile(p) ? JSON.readValue(p.toFile(), FetchManifest.class) : null;
        } catch (IOException e) {
            return null;
        }
    }

    void write(Path dir) throws IOException {
        Path tmp = dir.resolve(NAME + ".part");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Same source and revision, and every listed file is in {@code dir} with its size (no re-hash). */
    boolean complete(Path dir, String hub, String repo, String revision) throws IOException {
        if (!this.hub.equals(hub) || !this.repo.equals(repo) || !this.revision.equals(revision)) {
            return false;
        }
        for (Entry e : files) {
            Path f = dir.resolve(e.path());
            if (!Files.isRegularFile(f) || Files.size(f) != e.size()) {
                return false;
            }
        }
        return true;
    }
}

package dev.ponder.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One file onto disk: into {@code <name>.part}, resumed from what an interrupted run left there, checked against
 * its checksum, then renamed into place. A file whose bytes do not match is deleted and the run fails: nothing
 * unverified ever carries the final name.
 */
final class Transfer {

    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    private Transfer() {
    }

    /** Downloads {@code file} to {@code target}; {@code progress} gets a line every 10 s and one at the end. */
    static void fetch(Http http, Hub hub, String repo, String revision, RemoteFile file, Path target,
                      Consumer<String> progress) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Checksum checksum = new Checksum(file);
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > file.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have > 0) {
            rehash(part, checksum);
        }
        long t0 = System.nanoTime();
        long resumedFrom = have;
        if (have < file.size()) {
            HttpResponse<InputStream> r = http.stream(hub.download(repo, revision, file), hub.headers(), have);
            try (InputStream in = r.body()) {
                if (r.statusCode() == 200 && have > 0) {
                    // The server ignored the range: start over.
                    checksum = new Checksum(file);
                    have = 0;
                    resumedFrom = 0;
                    Files.delete(part);
                } else if (r.statusCode() != 200 && r.statusCode() != 206) {
                    throw new IOException(file.path() + ": HTTP " + r.statusCode() + " " + Http.snippet(in));
                }
                try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    byte[] buf = new byte[1 << 20];
                    long lastReport = System.nanoTime();
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        checksum.update(buf, 0, n);
                        have += n;
                        if (have > file.size()) {
                            break;
                        }
                        if (System.nanoTime() - lastReport > REPORT_EVERY_NANOS) {
                            lastReport = System.nanoTime();
                            progress.accept(line(file, have, resumedFrom, t0, "downloading"));
                        }
                    }
                }
            }
        }
        if (have != file.size()) {
            Files.deleteIfExists(part);
            throw new IOException(file.path() + ": got " + have + " bytes, the hub lists " + file.size());
        }
        String actual = checksum.actual();
        if (!actual.equals(checksum.expected())) {
            Files.delete(part);
            throw new IOException(file.path() + ": checksum mismatch, expected " + file.checksum() + ", got " + actual);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        progress.accept(line(file, have, resumedFrom, t0, "verified " + file.checksum().split(":")[0]));
    }

    /** Whether {@code target} already holds exactly {@code file}'s bytes (re-reads and hashes it). */
    static boolean present(RemoteFile file, Path target) throws IOException {
        if (!Files.isRegularFile(target) || Files.size(target) != file.size()) {
            return false;
        }
        Checksum checksum = new Checksum(file);
        rehash(target, checksum);
        return checksum.actual().equals(checksum.expected());
    }

    private static void rehash(Path path, Checksum checksum) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                checksum.update(buf, 0, n);
            }
        }
    }

    private static String line(RemoteFile file, long have, long resumedFrom, long t0, String state) {
        double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        return String.format(Locale.ROOT, "%s: %s, %s of %s in %.1f s (%.1f MB/s)%s", file.path(), state,
                Bytes.human(have), Bytes.human(file.size()), s, (have - resumedFrom) / 1e6 / s,
                resumedFrom > 0 ? ", resumed at " + Bytes.human(resumedFrom) : "");
    }
}

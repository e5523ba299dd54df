package dev.ponder.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Downloads a model repository at a pinned revision from Hugging Face or ModelScope into a folder, verifying every
 * file against the checksum its hub records, resuming interrupted files, and writing {@link FetchManifest} last.
 * Runs as the Kubernetes download Job (or a node-local init container) from the ponder image, so nothing is
 * installed when a pod starts:
 *
 * <pre>
 *   java -cp 'app/*:lib/main/*' dev.ponder.fetch.ModelFetch --hub huggingface \
 *        --repo internlm/internlm3-8b-instruct --revision COMMIT_SHA --dir /models/internlm3-8b-instruct
 * </pre>
 *
 * Options: {@code --hub huggingface|modelscope}, {@code --repo ID}, {@code --revision REV} (Hugging Face: a full
 * 40-hex commit id; ModelScope: a tag or commit id, not a branch), {@code --dir DIR}, {@code --endpoint URL}
 * (a mirror), {@code --verify} (re-hash files a previous run completed). Tokens come from the environment:
 * {@code HF_TOKEN}, {@code MODELSCOPE_API_TOKEN}. Exit 0: the folder holds the verified model.
 */
public final class ModelFetch {

    /** A full git commit id: the only Hugging Face revision accepted. */
    public static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    record Options(String hub, String repo, String revision, Path dir, String endpoint, boolean verify) {
    }

    private ModelFetch() {
    }

    public static void main(String[] args) {
        try {
            run(parse(args), System.getenv(), System.out::println);
        } catch (IllegalArgumentException e) {
            System.err.println("model fetch: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("model fetch failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            System.exit(1);
        }
    }

    /** Fetches (or confirms) the model; {@code log} gets one line per file and a summary. */
    static void run(Options o, Map<String, String> env, Consumer<String> log) throws IOException, InterruptedException {
        requirePinned(o.hub(), o.revision());
        Files.createDirectories(o.dir());
        // One fetch per folder at a time: pods sharing a node-local folder wait for each other here.
        try (FileChannel lockFile = FileChannel.open(o.dir().resolve(".ponder-fetch.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            FetchManifest done = FetchManifest.read(o.dir());
            if (!o.verify() && done != null && done.complete(o.dir(), o.hub(), o.repo(), o.revision())) {
                log.accept("model " + o.repo() + "@" + o.revision() + " already present in " + o.dir() + " ("
                        + done.files().size() + " files, checksums verified when fetched)");
                return;
            }
            Http http = new Http();
            Hub hub = Hub.named(o.hub(), o.endpoint(), env, http);
            List<RemoteFile> files = hub.files(o.repo(), o.revision());
            if (files.isEmpty()) {
                throw new IOException(o.repo() + "@" + o.revision() + " lists no files");
            }
            long total = files.stream().mapToLong(RemoteFile::size).sum();
            log.accept("fetching " + o.repo() + "@" + o.revision() + " from " + o.hub() + ": " + files.size()
                    + " files, " + Bytes.human(total) + ", into " + o.dir());
            long t0 = System.nanoTime();
            long fetched = 0;
            for (int i = 0; i < files.size(); i++) {
                RemoteFile f = files.get(i);
                Path target = o.dir().resolve(f.path()).normalize();
                if (!target.startsWith(o.dir().normalize())) {
                    throw new IOException("refusing to write outside " + o.dir() + ": " + f.path());
                }
                String n = "[" + (i + 1) + "/" + files.size() + "] ";
                if (Transfer.present(f, target)) {
                    log.accept(n + f.path() + ": present, " + Bytes.human(f.size()) + ", " + f.checksum().split(":")[0] + " ok");
                } else {
                    Transfer.fetch(http, hub, o.repo(), o.revision(), f, target, line -> log.accept(n + line));
                    fetched += f.size();
                }
            }
            FetchManifest.of(o.hub(), o.repo(), o.revision(), files).write(o.dir());
            double s = (System.nanoTime() - t0) / 1e9;
            log.accept(String.format(Locale.ROOT, "done: %d files verified, %s downloaded in %.0f s; wrote %s",
                    files.size(), Bytes.human(fetched), s, o.dir().resolve(FetchManifest.NAME)));
        }
    }

    /** A branch can move under a deployment: only revisions that name one fixed state are accepted. */
    public static void requirePinned(String hub, String revision) {
        if (revision == null || revision.isBlank()) {
            throw new IllegalArgumentException("--revision is required (a commit id)");
        }
        boolean huggingFace = hub.equals("huggingface") || hub.equals("hf");
        if (huggingFace && !COMMIT.matcher(revision).matches()) {
            throw new IllegalArgumentException("Hugging Face revision '" + revision + "' is not a 40-hex commit id;"
                    + " pin one (the repository's 'Files and versions' history lists them)");
        }
        if (List.of("main", "master").contains(revision)) {
            throw new IllegalArgumentException("revision '" + revision + "' is a branch; pin a tag or commit id");
        }
    }

    static Options parse(String[] args) {
        String hub = null;
        String repo = null;
        String revision = null;
        Path dir = null;
        String endpoint = null;
        boolean verify = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--verify")) {
                verify = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--hub" -> hub = v;
                case "--repo" -> repo = v;
                case "--revision" -> revision = v;
                case "--dir" -> dir = Path.of(v);
                case "--endpoint" -> endpoint = v;
                default -> throw new IllegalArgumentException("unknown option " + a
                        + "; use --hub, --repo, --revision, --dir, --endpoint, --verify");
            }
        }
        if (hub == null || repo == null || dir == null) {
            throw new IllegalArgumentException("--hub, --repo, --revision and --dir are required");
        }
        return new Options(hub, repo, revision, dir.toAbsolutePath(), endpoint, verify);
    }
}

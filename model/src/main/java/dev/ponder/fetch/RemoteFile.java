package dev.ponder.fetch;

/**
 * One file of a model repository at a pinned revision, as its hub lists it: the path inside the repository,
 * its size, and the checksum the hub records for it. {@code sha256} is set for large (LFS) files and on
 * ModelScope for every file; {@code gitBlobSha1} (git's object id of the content) for Hugging Face's small files.
 * At least one of them is set: a file that cannot be verified is not downloaded.
 */
public record RemoteFile(String path, long size, String sha256, String gitBlobSha1) {

    public RemoteFile {
        if (path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException("unsafe path in the repository listing: " + path);
        }
        if (sha256 == null && gitBlobSha1 == null) {
            throw new IllegalArgumentException(path + ": the hub lists no checksum for it");
        }
    }

    /** How the checksum is named in progress lines and in the manifest. */
    String checksum() {
        return sha256 != null ? "sha256:" + sha256 : "git-blob-sha1:" + gitBlobSha1;
    }
}

package dev.ponder.fetch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The digest a {@link RemoteFile} is checked against, fed incrementally while the bytes arrive (or are re-read
 * on resume): sha256 of the content, or git's blob id, sha1 of {@code "blob <size>\0"} followed by the content.
 */
final class Checksum {

    private final RemoteFile file;
    private final MessageDigest digest;

    Checksum(RemoteFile file) {
        this.file = file;
        try {
            this.digest = MessageDigest.getInstance(file.sha256() != null ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (file.sha256() == null) {
            digest.update(("blob " + file.size() + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    /** The digest of everything fed so far, hex. */
    String actual() {
        return HexFormat.of().formatHex(digest.digest());
    }

    String expected() {
        return (file.sha256() != null ? file.sha256() : file.gitBlobSha1()).toLowerCase(Locale.ROOT);
    }
}

package dev.ponder.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face Hub: {@code GET /api/models/{repo}/tree/{revision}?recursive=true} lists the files with git's
 * blob id and, for LFS files (the weights), the sha256 of the content; {@code /{repo}/resolve/{revision}/{path}}
 * serves them. At a pinned commit both are fixed by the commit hash itself.
 */
final class HuggingFace implements Hub {

    private final Http http;
    private final URI endpoint;
    private final String token;

    HuggingFace(Http http, URI endpoint, String token) {
        this.http = http;
        this.endpoint = endpoint;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    @Override
    public List<RemoteFile> files(String repo, String revision) throws IOException, InterruptedException {
        JsonNode tree = http.json(endpoint.resolve("/api/models/" + repo + "/tree/" + encode(revision) + "?recursive=true"),
                headers());
        List<RemoteFile> out = new ArrayList<>();
        for (JsonNode entry : tree) {
            if (!"file".equals(entry.path("type").asText())) {
                continue;
            }
            JsonNode lfs = entry.path("lfs");
            out.add(new RemoteFile(entry.path("path").asText(), entry.path("size").asLong(),
                    lfs.isObject() ? lfs.path("oid").asText() : null,
                    lfs.isObject() ? null : entry.path("oid").asText()));
        }
        return out;
    }

    @Override
    public URI download(String repo, String revision, RemoteFile file) {
        return endpoint.resolve("/" + repo + "/resolve/" + encode(revision) + "/" + encodePath(file.path()));
    }

    @Override
    public Map<String, String> headers() {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String encodePath(String path) {
        return String.join("/", Arrays.stream(path.split("/")).map(HuggingFace::encode).toList());
    }
}

package dev.ponder.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ModelScope: {@code GET /api/v1/models/{repo}/repo/files?Revision=..&Recursive=true} lists every file with its
 * sha256; {@code /api/v1/models/{repo}/repo?Revision=..&FilePath=..} serves it.
 */
final class ModelScope implements Hub {

    private final Http http;
    private final URI endpoint;
    private final String token;

    ModelScope(Http http, URI endpoint, String token) {
        this.http = http;
        this.endpoint = endpoint;
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    @Override
    public List<RemoteFile> files(String repo, String revision) throws IOException, InterruptedException {
        JsonNode body = http.json(endpoint.resolve("/api/v1/models/" + repo + "/repo/files?Revision="
                + HuggingFace.encode(revision) + "&Recursive=true"), headers());
        if (body.path("Code").asInt(200) != 200 || !body.path("Data").path("Files").isArray()) {
            throw new IOException("ModelScope listing of " + repo + "@" + revision + ": " + body.path("Message").asText(body.toString()));
        }
        List<RemoteFile> out = new ArrayList<>();
        for (JsonNode f : body.path("Data").path("Files")) {
            if (!"blob".equals(f.path("Type").asText())) {
                continue;
            }
            String sha = f.path("Sha256").asText("");
            out.add(new RemoteFile(f.path("Path").asText(), f.path("Size").asLong(), sha.isEmpty() ? null : sha, null));
        }
        return out;
    }

    @Override
    public URI download(String repo, String revision, RemoteFile file) {
        return endpoint.resolve("/api/v1/models/" + repo + "/repo?Revision=" + HuggingFace.encode(revision)
                + "&FilePath=" + HuggingFace.encode(file.path()));
    }

    @Override
    public Map<String, String> headers() {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }
}

package dev.ponder.fetch;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A model hub: the files of a repository at a revision, and where each is downloaded from. */
interface Hub {

    /** Every file of {@code repo} at {@code revision}, with its size and checksum. */
    List<RemoteFile> files(String repo, String revision) throws IOException, InterruptedException;

    /** The URL that serves {@code file}'s content at {@code revision}. */
    URI download(String repo, String revision, RemoteFile file);

    /** Headers every request carries (a bearer token for gated or private repositories). */
    Map<String, String> headers();

    /**
     * {@code "huggingface"} (endpoint {@code HF_ENDPOINT}, default https://huggingface.co; token {@code HF_TOKEN})
     * or {@code "modelscope"} (endpoint {@code MODELSCOPE_DOMAIN}, default https://modelscope.cn; token
     * {@code MODELSCOPE_API_TOKEN}); {@code endpoint} overrides the default when not null.
     */
    static Hub named(String name, String endpoint, Map<String, String> env, Http http) {
        return switch (name) {
            case "huggingface", "hf" -> new HuggingFace(http,
                    URI.create(endpoint != null ? endpoint : env.getOrDefault("HF_ENDPOINT", "https://huggingface.co")),
                    env.get("HF_TOKEN"));
            case "modelscope", "ms" -> new ModelScope(http,
                    URI.create(endpoint != null ? endpoint : env.getOrDefault("MODELSCOPE_DOMAIN", "https://modelscope.cn")),
                    env.get("MODELSCOPE_API_TOKEN"));
            default -> throw new IllegalArgumentException("unknown hub '" + name + "': huggingface or modelscope");
        };
    }
}

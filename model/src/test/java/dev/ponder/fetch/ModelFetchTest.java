package dev.ponder.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model fetcher against a local stand-in for the Hugging Face and ModelScope HTTP APIs. */
class ModelFetchTest {

    static final String REPO = "acme/tiny-model";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    /** {@code echo hello | git hash-object --stdin}: git's blob id of "hello\n". */
    static final String HELLO_BLOB = "ce013625030ba8dba906f756967f9e9ca394464a";

    @TempDir
    Path tmp;

    HttpServer server;
    final Map<String, byte[]> served = new LinkedHashMap<>();
    final Map<String, String> listedSha256 = new LinkedHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> log = new ArrayList<>();
    byte[] weights;

    @BeforeEach
    void start() throws IOException {
        weights = new byte[3_000_000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) (i * 31 + i / 7);
        }
        served.put("config.json", "hello\n".getBytes(StandardCharsets.UTF_8));
        served.put("weights/model.safetensors", weights);
        listedSha256.put("weights/model.safetensors", sha256(weights));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void fetchesEveryFileVerifiesItAndSkipsTheWholeRepositoryNextTime() throws Exception {
        Path dir = tmp.resolve("model");
        ModelFetch.run(options("huggingface", COMMIT, dir), Map.of(), log::add);
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("weights/model.safetensors")));
        assertEquals("hello\n", Files.readString(dir.resolve("config.json")));
        FetchManifest m = FetchManifest.read(dir);
        assertEquals(COMMIT, m.revision());
        assertTrue(m.files().contains(new FetchManifest.Entry("config.json", 6, "git-blob-sha1:" + HELLO_BLOB)), m.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("weights/model.safetensors: verified sha256, 3.0 MB of 3.0 MB in")), log::toString);
        assertTrue(requests.stream().anyMatch(r -> r.equals("/api/models/" + REPO + "/tree/" + COMMIT + "?recursive=true")), requests::toString);
        assertTrue(requests.contains("/" + REPO + "/resolve/" + COMMIT + "/weights/model.safetensors"), requests::toString);

        requests.clear();
        log.clear();
        ModelFetch.run(options("huggingface", COMMIT, dir), Map.of(), log::add);
        assertEquals(List.of(), requests, "a completed fetch asks the hub nothing");
        assertTrue(log.get(0).contains("already present"), log::toString);
    }

    @Test
    void bytesThatDoNotMatchTheListedChecksumNeverGetTheFinalName() {
        Path dir = tmp.resolve("model");
        served.put("weights/model.safetensors", Arrays.copyOf(weights, weights.length));
        served.get("weights/model.safetensors")[1234] ^= 1;   // one flipped bit, same size
        IOException e = assertThrows(IOException.class, () -> ModelFetch.run(options("huggingface", COMMIT, dir), Map.of(), log::add));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("weights/model.safetensors")));
        assertFalse(Files.exists(dir.resolve("weights/model.safetensors.part")), "a bad part is not resumed from");
        assertFalse(Files.exists(dir.resolve(FetchManifest.NAME)), "no completion marker");
    }

    @Test
    void anInterruptedFileResumesWithARangeRequest() throws Exception {
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir.resolve("weights"));
        Files.write(dir.resolve("weights/model.safetensors.part"), Arrays.copyOf(weights, 1_000_000));
        ModelFetch.run(options("huggingface", COMMIT, dir), Map.of(), log::add);
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("weights/model.safetensors")));
        assertTrue(requests.stream().anyMatch(r -> r.endsWith("model.safetensors range=bytes=1000000-")), requests::toString);
        assertTrue(log.stream().anyMatch(l -> l.contains("resumed at 1.0 MB")), log::toString);
    }

    @Test
    void theTokenTravelsAsABearerHeader() throws Exception {
        ModelFetch.run(options("huggingface", COMMIT, tmp.resolve("m")), Map.of("HF_TOKEN", "hf_secret"), log::add);
        assertTrue(requests.stream().allMatch(r -> r.contains("auth=Bearer hf_secret") || !r.contains("auth=")));
        assertTrue(requests.stream().anyMatch(r -> r.contains("auth=Bearer hf_secret")), requests::toString);
    }

    @Test
    void modelScopeListsSha256ForEveryFile() throws Exception {
        listedSha256.put("config.json", sha256(served.get("config.json")));
        Path dir = tmp.resolve("ms");
        ModelFetch.run(options("modelscope", "v1.0.2", dir), Map.of(), log::add);
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("weights/model.safetensors")));
        assertTrue(requests.contains("/api/v1/models/" + REPO + "/repo/files?Revision=v1.0.2&Recursive=true"), requests::toString);
        assertTrue(requests.contains("/api/v1/models/" + REPO + "/repo?Revision=v1.0.2&FilePath=weights%2Fmodel.safetensors"),
                requests::toString);
        assertEquals("sha256:" + sha256(served.get("config.json")), FetchManifest.read(dir).files().get(0).checksum());
    }

    @Test
    void onlyPinnedRevisionsAreAccepted() {
        for (String rev : List.of("main", "0123456", "v1.0")) {
            assertThrows(IllegalArgumentException.class, () -> ModelFetch.requirePinned("huggingface", rev), rev);
        }
        assertThrows(IllegalArgumentException.class, () -> ModelFetch.requirePinned("modelscope", "master"));
        ModelFetch.requirePinned("modelscope", "v1.0.2");
        ModelFetch.requirePinned("huggingface", COMMIT);
    }

    @Test
    void aListingThatEscapesTheFolderOrLacksAChecksumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("../etc/passwd", 1, "ab", null));
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("a.bin", 1, null, null));
    }

    private ModelFetch.Options options(String hub, String revision, Path dir) {
        return new ModelFetch.Options(hub, REPO, revision, dir, "http://127.0.0.1:" + server.getAddress().getPort(), false);
    }

    private void handle(HttpExchange x) throws IOException {
        String uri = x.getRequestURI().getRawPath() + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
        String range = x.getRequestHeaders().getFirst("Range");
        String auth = x.getRequestHeaders().getFirst("Authorization");
        requests.add(uri + (range == null ? "" : " range=" + range) + (auth == null ? "" : " auth=" + auth));
        if (uri.equals("/api/models/" + REPO + "/tree/" + COMMIT + "?recursive=true")) {
            StringBuilder json = new StringBuilder("[{\"type\": \"directory\", \"path\": \"weights\", \"oid\": \"x\", \"size\": 0}");
            for (var e : served.entrySet()) {
                String sha = listedSha256.get(e.getKey());
                json.append(", {\"type\": \"file\", \"path\": \"").append(e.getKey()).append("\", \"size\": ").append(e.getValue().length)
                        .append(", \"oid\": \"").append(sha == null ? HELLO_BLOB : "0000000000000000000000000000000000000000").append('"')
                        .append(sha == null ? "" : ", \"lfs\": {\"oid\": \"" + sha + "\", \"size\": " + e.getValue().length + "}").append('}');
            }
            reply(x, 200, json.append(']').toString().getBytes(StandardCharsets.UTF_8), 0);
        } else if (uri.startsWith("/api/v1/models/" + REPO + "/repo/files?")) {
            StringBuilder json = new StringBuilder("{\"Code\": 200, \"Data\": {\"Files\": [{\"Type\": \"tree\", \"Path\": \"weights\"}");
            for (var e : served.entrySet()) {
                json.append(", {\"Type\": \"blob\", \"Path\": \"").append(e.getKey()).append("\", \"Size\": ").append(e.getValue().length)
                        .append(", \"Sha256\": \"").append(listedSha256.getOrDefault(e.getKey(), "")).append("\"}");
            }
            reply(x, 200, json.append("]}}").toString().getBytes(StandardCharsets.UTF_8), 0);
        } else if (uri.startsWith("/" + REPO + "/resolve/" + COMMIT + "/")) {
            file(x, uri.substring(("/" + REPO + "/resolve/" + COMMIT + "/").length()), range);
        } else if (uri.startsWith("/api/v1/models/" + REPO + "/repo?")) {
            file(x, java.net.URLDecoder.decode(uri.substring(uri.indexOf("FilePath=") + 9), StandardCharsets.UTF_8), range);
        } else {
            reply(x, 404, "not found".getBytes(StandardCharsets.UTF_8), 0);
        }
    }

    private void file(HttpExchange x, String path, String range) throws IOException {
        byte[] body = served.get(path);
        if (body == null) {
            reply(x, 404, new byte[0], 0);
        } else if (range != null) {
            int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            reply(x, 206, body, from);
        } else {
            reply(x, 200, body, 0);
        }
    }

    private static void reply(HttpExchange x, int status, byte[] body, int from) throws IOException {
        x.sendResponseHeaders(status, body.length - from);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body, from, body.length - from);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

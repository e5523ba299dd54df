package dev.ponder.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The few HTTP calls a download needs: a JSON listing and a (ranged) body stream, redirects followed. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    JsonNode json(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.send(request(uri, headers, 0), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException("GET " + uri + ": HTTP " + r.statusCode() + " " + snippet(body));
            }
            return JSON.readTree(body);
        }
    }

    /** The body from byte {@code from} on; the response code says whether the server honoured the range (206). */
    HttpResponse<InputStream> stream(URI uri, Map<String, String> headers, long from) throws IOException, InterruptedException {
        return client.send(request(uri, headers, from), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpRequest request(URI uri, Map<String, String> headers, long from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofMinutes(2));
        headers.forEach(b::header);
        if (from > 0) {
            b.header("Range", "bytes=" + from + "-");
        }
        return b.build();
    }

    static String snippet(InputStream body) throws IOException {
        String s = new String(body.readNBytes(300), StandardCharsets.UTF_8);
        return s.replaceAll("\\s+", " ");
    }
}

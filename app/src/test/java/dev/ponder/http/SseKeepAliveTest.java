package dev.ponder.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keep-alive operator alone: comments only while the stream is silent, none once it ended. */
class SseKeepAliveTest {

    @Test
    void commentsFillSilenceOnly() throws Exception {
        Multi<Buffer> frames = Multi.createFrom().items("a", "b", "c")
                .onItem().call(x -> io.smallrye.mutiny.Uni.createFrom().nullItem().onItem().delayIt().by(Duration.ofMillis(x.equals("b") ? 450 : 1)))
                .map(x -> Buffer.buffer(x));
        List<String> out = Sse.keepAlive(frames, Duration.ofMillis(100)).map(Buffer::toString)
                .collect().asList().await().atMost(Duration.ofSeconds(5));
        long comments = out.stream().filter(Sse.KEEP_ALIVE::equals).count();
        assertEquals(List.of("a", "b", "c"), out.stream().filter(s -> !s.equals(Sse.KEEP_ALIVE)).toList());
        assertTrue(comments >= 2 && comments <= 5, "about 450 ms of silence at 100 ms: " + out);
        assertTrue(out.indexOf("b") > out.indexOf(Sse.KEEP_ALIVE), "the comments come in the silence before b: " + out);
        Thread.sleep(300);
        assertEquals(List.of("x"), Sse.keepAlive(Multi.createFrom().item(Buffer.buffer("x")), Duration.ofMillis(50))
                .map(Buffer::toString).collect().asList().await().atMost(Duration.ofSeconds(1)), "a quick stream has none");
    }
}

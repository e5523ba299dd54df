package dev.ponder.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.ponder.testing.Drills;
import dev.ponder.testing.ServiceReady;
import dev.ponder.testing.StreamedChat;
import dev.ponder.testing.Terminals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A search that is silent for longer than {@code ponder.streams.keep-alive} (0.1 s in the drills, each model call
 * 0.15 s late) keeps its event stream alive with comment lines, which SSE parsers and OpenAI clients skip.
 */
@QuarkusTest
@TestProfile(Drills.class)
class KeepAliveTest {

    private static final String SLOW = "2+3? " + Drills.SLOW;

    @TestHTTPResource("/v1")
    URL base;

    @BeforeEach
    void ready() {
        ServiceReady.await();
    }

    @Test
    void silentStreamsCarryKeepAliveComments() {
        String reason = given().contentType("application/json").body("{\"prompt\": \"" + SLOW + "\", \"stream\": true,"
                        + " \"strategy\": \"best-of-n\", \"searchBudget\": 2, \"maxTokens\": 8}")
                .post("/v1/reason").then().statusCode(200).extract().asString();
        assertTrue(reason.contains("\n\n" + Sse.KEEP_ALIVE) || reason.startsWith(Sse.KEEP_ALIVE), reason);
        assertEquals("done", Terminals.exactlyOneSse(reason, "the slow stream").name());

        String chat = given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \""
                        + SLOW + "\"}], \"stream\": true, \"search_budget\": 2, \"strategy\": \"best-of-n\", \"max_tokens\": 8}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertTrue(chat.contains("\n\n" + Sse.KEEP_ALIVE), chat);
        assertTrue(chat.endsWith("data: [DONE]\n\n"));
        for (String block : chat.split("\n\n")) {
            assertTrue(block.startsWith("data: ") || block.equals(": keep-alive"), "a data event or a comment: " + block);
        }
    }

    @Test
    void anOpenAiClientReadsThroughTheComments() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(base.toString()).apiKey("unused")
                .modelName("internlm3-tiny").returnThinking(true).timeout(Duration.ofMinutes(2)).maxTokens(8)
                .customParameters(Map.of("search_budget", 2, "strategy", "best-of-n")).build();
        StreamedChat streamed = StreamedChat.ask(model, SLOW);
        ChatResponse r = streamed.response();
        List<String> thinking = streamed.thinking();
        assertFalse(thinking.isEmpty());
        assertEquals(String.join("", thinking), r.aiMessage().thinking());
    }
}

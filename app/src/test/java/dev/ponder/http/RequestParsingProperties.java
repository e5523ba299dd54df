package dev.ponder.http;

import dev.ponder.openai.ChatCompletionRequest;
import dev.ponder.openai.CompletionRequest;
import dev.ponder.rest.ReasonRequest;
import dev.ponder.search.Props;
import dev.ponder.testing.Payloads;
import dev.ponder.ws.AskMessageAccess;
import org.junit.jupiter.api.Test;

/**
 * Reading any body (REST, OpenAI, WebSocket message) either yields a request or a 400 problem: never another
 * exception, which the service would answer with 500. The end-to-end fuzz tests send the same payloads.
 */
class RequestParsingProperties {

    @Test
    void anyBodyParsesOrIsA400() {
        Props.forAll("anyBodyParsesOrIsA400", 400, Payloads.bodies(), RequestParsingProperties::parsesOrIsA400);
    }

    private static void parsesOrIsA400(byte[] body) {
        read(() -> Json.readStrict(body, ReasonRequest.class).toAsk());
        read(() -> {
            ChatCompletionRequest r = Json.read(body, ChatCompletionRequest.class);
            r.refuseUnsupported();
            r.conversation();
        });
        read(() -> {
            CompletionRequest r = Json.read(body, CompletionRequest.class);
            r.refuseUnsupported();
            r.promptText();
        });
        read(() -> AskMessageAccess.read(body));
    }

    private static void read(Runnable r) {
        try {
            r.run();
        } catch (ProblemException e) {
            if (e.problem().status() != 400) {
                throw new AssertionError("a parse problem other than 400: " + e.problem(), e);
            }
        }
    }
}

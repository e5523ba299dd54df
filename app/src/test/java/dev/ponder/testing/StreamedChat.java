package dev.ponder.testing;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One question streamed through a LangChain4j streaming chat model (the OpenAI client users run against ponder):
 * the reasoning and answer pieces as they arrived, and the final response.
 */
public record StreamedChat(List<String> thinking, List<String> content, ChatResponse response) {

    /** Asks {@code question} and waits up to two minutes for the stream's end; a stream that fails throws. */
    public static StreamedChat ask(StreamingChatModel model, String question) throws Exception {
        List<String> thinking = new ArrayList<>();
        List<String> content = new ArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(UserMessage.from(question)).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialThinking(PartialThinking t) {
                thinking.add(t.text());
            }

            @Override
            public void onPartialResponse(String text) {
                content.add(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse r) {
                done.complete(r);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return new StreamedChat(thinking, content, done.get(2, TimeUnit.MINUTES));
    }
}

package dev.ponder.http;

import dev.ponder.backend.BackendStatus;
import dev.ponder.reason.Ask;
import dev.ponder.reason.Message;
import dev.ponder.reason.ReasonEvent;
import dev.ponder.reason.ReasonResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records that go through {@link Json#MAPPER} by hand (events, results, problems, WebSocket and OpenAI
 * messages, request bodies bound from a tree), registered for reflection so Jackson can read and write them
 * in a native image of the control plane, where Quarkus only registers what REST methods return on their
 * own. (The worker protocol's frames are registered on {@code dev.ponder.cluster.Frame}.)
 */
@RegisterForReflection(targets = {
        Ask.class, Message.class, ProblemDetail.class, BackendStatus.class,
        ReasonEvent.class, ReasonEvent.Node.class, ReasonEvent.Score.class, ReasonEvent.Prune.class,
        ReasonEvent.Best.class, ReasonEvent.Token.class, ReasonEvent.Done.class,
        ReasonResult.class, ReasonResult.ChainStep.class, ReasonResult.ReasonUsage.class,
        ReasonResult.ReasonAlternative.class,
        dev.ponder.rest.ReasonRequest.class, dev.ponder.rest.ReasonResource.ErrorEvent.class,
        dev.ponder.rest.OptionsResource.Options.class,
        dev.ponder.ws.AskMessage.class,
        dev.ponder.openai.ChatCompletionRequest.class, dev.ponder.openai.ChatCompletionRequest.InMessage.class,
        dev.ponder.openai.ChatCompletionRequest.StreamOptions.class,
        dev.ponder.openai.ChatCompletion.Completion.class, dev.ponder.openai.ChatCompletion.Choice.class,
        dev.ponder.openai.ChatCompletion.AssistantMessage.class, dev.ponder.openai.ChatCompletion.Usage.class,
        dev.ponder.openai.ChatCompletion.Usage.Details.class, dev.ponder.openai.ChatCompletion.Chunk.class,
        dev.ponder.openai.ChatCompletion.ChunkChoice.class, dev.ponder.openai.ChatCompletion.Delta.class,
        dev.ponder.openai.OpenAiResource.ModelList.class, dev.ponder.openai.OpenAiResource.ModelCard.class})
final class NativeReflection {

    private NativeReflection() {
    }
}

package dev.ponder.openai;

import dev.ponder.openai.ChatCompletion.Chunk;
import dev.ponder.openai.ChatCompletion.ChunkChoice;
import dev.ponder.openai.ChatCompletion.Delta;
import dev.ponder.reason.ReasonEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One streamed chat completion: the role first, then the best chain as {@code reasoning} / {@code reasoning_content}
 * deltas as it grows ({@link TextStream}: a marked line introduces a new branch, nothing from a stop sequence on),
 * then the answer as {@code content}, a last chunk with the finish reason, and the usage chunk when the client
 * asked for it.
 */
final class ChunkStream {

    private final String id;
    private final long created;
    private final String model;
    private final String fingerprint;
    private final boolean includeUsage;
    private final StopSequences stop;
    private final TextStream text;

    ChunkStream(String id, long created, String model, long seed, boolean includeUsage, StopSequences stop) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.fingerprint = ChatCompletion.fingerprint(seed);
        this.includeUsage = includeUsage;
        this.stop = stop;
        this.text = new TextStream(stop);
    }

    Chunk first() {
        return chunk(new Delta("assistant", "", null, null), null);
    }

    List<Chunk> map(ReasonEvent e) {
        if (e instanceof ReasonEvent.Token t) {
            String delta = text.token(t);
            return delta == null ? List.of() : List.of(chunk(Delta.reasoning(delta), null));
        }
        if (e instanceof ReasonEvent.Done d) {
            var r = d.result();
            StopSequences.Reply reply = stop.reply(r);
            List<Chunk> out = new ArrayList<>();
            String rest = text.finish(reply.text());
            if (rest != null) {
                out.add(chunk(Delta.reasoning(rest), null));
            }
            out.add(chunk(new Delta(null, reply.content(), null, null), null));
            out.add(chunk(new Delta(null, null, null, null), reply.finishReason()));
            if (includeUsage) {
                out.add(new Chunk(id, "chat.completion.chunk", created, model, fingerprint, List.of(),
                        ChatCompletion.Usage.of(r)));
            }
            return out;
        }
        return List.of();  // tree events have no place in a chat completion
    }

    private Chunk chunk(Delta delta, String finishReason) {
        return new Chunk(id, "chat.completion.chunk", created, model, fingerprint,
                List.of(new ChunkChoice(0, delta, finishReason, null)), null);
    }
}

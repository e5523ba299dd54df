package dev.ponder.openai;

import dev.ponder.openai.ChatCompletion.Chunk;
import dev.ponder.openai.ChatCompletion.ChunkChoice;
import dev.ponder.openai.ChatCompletion.Delta;
import dev.ponder.service.ReasonEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One streamed chat completion: the role first, then the best chain as {@code reasoning_content} deltas as it
 * grows, then the answer as {@code content}, a last chunk with the finish reason, and the usage chunk when
 * the client asked for it. OpenAI deltas only append: when the search moves to another branch, a marked
 * line introduces the new branch's text.
 */
final class ChunkStream {

    static final String BRANCH_MARK = "\n\n[the search moved to a better branch]\n\n";

    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;

    ChunkStream(String id, long created, String model, boolean includeUsage) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    Chunk first() {
        return chunk(new Delta("assistant", "", null), null);
    }

    List<Chunk> map(ReasonEvent e) {
        if (e instanceof ReasonEvent.Token t) {
            String text = t.reset() ? BRANCH_MARK + t.text() : t.text();
            return List.of(chunk(new Delta(null, null, text), null));
        }
        if (e instanceof ReasonEvent.Done d) {
            var r = d.result();
            List<Chunk> out = new ArrayList<>();
            out.add(chunk(new Delta(null, ChatCompletion.content(r), null), null));
            out.add(chunk(new Delta(null, null, null), r.finishReason()));
            if (includeUsage) {
                out.add(new Chunk(id, "chat.completion.chunk", created, model, List.of(), ChatCompletion.Usage.of(r)));
            }
            return out;
        }
        return List.of();  // tree events have no place in a chat completion
    }

    private Chunk chunk(Delta delta, String finishReason) {
        return new Chunk(id, "chat.completion.chunk", created, model, List.of(new ChunkChoice(0, delta, finishReason, null)), null);
    }
}

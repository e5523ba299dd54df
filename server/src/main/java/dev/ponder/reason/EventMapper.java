package dev.ponder.reason;

import dev.ponder.search.SearchEvent;
import java.util.List;

/**
 * Turns one search's events into {@link ReasonEvent}s, adding {@code token} events that stream the best
 * chain's text as a growing string. One mapper per search (it remembers what was streamed).
 */
final class EventMapper {

    private final int budget;
    private final int promptTokens;
    private final int maxChainTokens;
    private final long seed;
    private String streamed = "";

    EventMapper(int budget, int promptTokens, int maxChainTokens) {
        this(budget, promptTokens, maxChainTokens, 0);
    }

    EventMapper(int budget, int promptTokens, int maxChainTokens, long seed) {
        this.seed = seed;
        this.budget = budget;
        this.promptTokens = promptTokens;
        this.maxChainTokens = maxChainTokens;
    }

    List<ReasonEvent> map(SearchEvent e) {
        if (e instanceof SearchEvent.NodeProposed n) {
            var s = n.step();
            return List.of(s == null
                    ? new ReasonEvent.Node(n.nodeId(), n.parentId(), n.depth(), null, 0, null, false, null)
                    : new ReasonEvent.Node(n.nodeId(), n.parentId(), n.depth(), s.text(), s.tokenCount(),
                            ReasonResult.finite(s.logProb()), s.terminal(), s.answer()));
        }
        if (e instanceof SearchEvent.NodeScored s) {
            return List.of(new ReasonEvent.Score(s.nodeId(), ReasonResult.finite(s.score()), ReasonResult.finite(s.check())));
        }
        if (e instanceof SearchEvent.NodePruned p) {
            return List.of(new ReasonEvent.Prune(p.nodeId()));
        }
        if (e instanceof SearchEvent.BestChanged b) {
            var best = new ReasonEvent.Best(b.path(), b.chainText(), ReasonResult.finite(b.score()));
            ReasonEvent.Token token = grow(b.chainText());
            return token == null ? List.of(best) : List.of(best, token);
        }
        if (e instanceof SearchEvent.Finished f) {
            return List.of(new ReasonEvent.Done(ReasonResult.of(f.result(), budget, promptTokens, maxChainTokens, seed)));
        }
        throw new IllegalArgumentException("unknown search event " + e);
    }

    /** The token event that takes the streamed text to {@code text}, or null when nothing changed. */
    ReasonEvent.Token grow(String text) {
        if (text.equals(streamed)) {
            return null;
        }
        ReasonEvent.Token t = text.startsWith(streamed)
                ? new ReasonEvent.Token(text.substring(streamed.length()), false)
                : new ReasonEvent.Token(text, true);
        streamed = text;
        return t;
    }
}

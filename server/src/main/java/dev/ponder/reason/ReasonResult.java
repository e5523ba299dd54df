package dev.ponder.reason;

import dev.ponder.search.Alternative;
import dev.ponder.search.Answers;
import dev.ponder.search.SearchResult;
import dev.ponder.search.Step;
import java.util.List;

/**
 * The answer to an ask, as {@code POST /v1/reason} returns it and the {@code done} event carries it.
 *
 * @param answer       content of the last {@code \boxed{}} (the vote winner for voting strategies), or null
 * @param text         the best chain's text
 * @param chain        the best chain's steps
 * @param score        the best chain's score on the strategy's scale (null when not finite)
 * @param strategy     the strategy that ran ({@code auto} reports its pick)
 * @param searchBudget the budget the search was given
 * @param cutShort     true when the deadline ended the search early
 * @param finishReason {@code stop} when the chain ended by itself, {@code length} when maxTokens or the deadline
 *                     cut it
 * @param path         node ids from the root to the best chain's last tree node
 * @param usage        what the search spent
 * @param alternatives distinct answers found, best first
 * @param seed         the search's seed: asking again with it repeats the search
 */
public record ReasonResult(String answer, String text, List<ChainStep> chain, Double score, String strategy,
                           int searchBudget, boolean cutShort, String finishReason, List<String> path,
                           ReasonUsage usage, List<ReasonAlternative> alternatives, long seed) {

    /** One step of the best chain. */
    public record ChainStep(String text, int tokens, Double logProb) {
    }

    /** Spend, with the prompt's size added to the search's own counters. */
    public record ReasonUsage(int promptTokens, long generatedTokens, int nodes, int selfChecks, int modelCalls,
                              long wallMs) {
    }

    /** One distinct answer and the support it found. */
    public record ReasonAlternative(String answer, Double score, int votes, String text) {
    }

    public static ReasonResult of(SearchResult r, int budget, int promptTokens, int maxChainTokens) {
        return of(r, budget, promptTokens, maxChainTokens, 0);
    }

    public static ReasonResult of(SearchResult r, int budget, int promptTokens, int maxChainTokens, long seed) {
        String text = r.chain().text();
        String answer = r.answer() != null ? r.answer() : Answers.lastBoxed(text);
        List<ChainStep> steps = r.steps().stream()
                .map(s -> new ChainStep(s.text(), s.tokenCount(), finite(s.logProb()))).toList();
        var u = r.usage();
        List<ReasonAlternative> alts = r.alternatives().stream()
                .map(ReasonResult::alternative).toList();
        return new ReasonResult(answer, text, steps, finite(r.score()), r.strategy(), budget, r.cutShort(),
                finishReason(r, maxChainTokens), r.path(),
                new ReasonUsage(promptTokens, u.generatedTokens(), u.nodes(), u.selfChecks(), u.modelCalls(), u.wallMs()),
                alts, seed);
    }

    private static ReasonAlternative alternative(Alternative a) {
        return new ReasonAlternative(a.answer(), finite(a.score()), a.votes(), a.chainText());
    }

    /** {@code length} when the deadline or the token limit ended the chain, {@code stop} when it ended itself. */
    private static String finishReason(SearchResult r, int maxChainTokens) {
        List<Step> steps = r.steps();
        boolean ended = !steps.isEmpty() && steps.get(steps.size() - 1).terminal();
        boolean full = r.chain().tokenCount() >= maxChainTokens;
        return ended && !full && !r.cutShort() ? "stop" : "length";
    }

    /** JSON has no infinities: a score of log(0) is reported as null. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

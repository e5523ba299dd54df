package dev.ponder.openai;

import dev.ponder.backend.Backends;
import dev.ponder.config.PonderConfig;
import dev.ponder.reason.Ask;
import dev.ponder.reason.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns an OpenAI request into the {@link Ask} the {@link dev.ponder.reason.Reasoner} runs, the OpenAI way:
 * parameters ponder cannot honour are refused (400 naming them), a missing {@code seed} is a fresh random one,
 * {@code max_tokens} above the limit is clamped, and the search comes from, in this order, {@code strategy} /
 * {@code search_budget}, {@code reasoning_effort}, the model id's preset ({@link SearchPresets}), the defaults.
 */
@ApplicationScoped
public class OpenAiAsks {

    /** Seeds below 2^53, so JavaScript clients read them exactly. */
    static final long SEED_BOUND = 1L << 53;

    @Inject
    PonderConfig config;

    @Inject
    SearchPresets presets;

    @Inject
    Backends backends;

    /**
     * @param ask   what to run
     * @param model the model id the reply reports: the served model, or {@code <model>:<preset>} when one was asked for
     * @param stop  the stop sequences to apply to the reply
     */
    record Resolved(Ask ask, String model, StopSequences stop) {
    }

    Resolved resolve(OpenAiParams p, String prompt, List<Message> messages) {
        p.refuseUnsupported();
        if (p.n() != null && p.n() != 1) {
            throw OpenAiParams.unsupported("n", "must be 1: the search returns its best chain (its alternatives are in"
                    + " the ponder member of the response)");
        }
        StopSequences stop = StopSequences.of(p.stop());
        String served = backends.current().status().model();
        SearchPresets.Preset byModel = served == null ? null : presets.ofModel(p.model(), served);
        SearchPresets.Preset byEffort = presets.ofEffort(p.reasoningEffort());
        SearchPresets.Preset preset = byEffort != null ? byEffort : byModel;
        String strategy = p.strategy() != null ? p.strategy() : preset != null ? preset.strategy() : null;
        Integer budget = p.searchBudget() != null ? p.searchBudget() : preset != null ? preset.budget() : null;
        Integer tokens = p.tokens();
        if (tokens != null && tokens > config.search().maxTokens()) {
            tokens = config.search().maxTokens();   // clients expect clamping, not a 400
        }
        long seed = p.seed() != null ? p.seed() : ThreadLocalRandom.current().nextLong(SEED_BOUND);
        Ask ask = new Ask(prompt, messages, strategy, budget, tokens, p.temperature(), seed, null, p.topP());
        return new Resolved(ask, byModel != null ? p.model() : served, stop);
    }
}

package dev.ponder.openai;

import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.search.Strategies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Searches an OpenAI client can choose without extra body fields: by model id ({@code <model>:beam-16}, as
 * {@code GET /v1/models} lists them, like optillm's model-name prefixes) and by {@code reasoning_effort}
 * ({@code minimal}, {@code low}, {@code medium}, {@code high}, each mapped to a preset in configuration).
 * A preset is {@code <strategy>-<budget>}, the strategy by name or short name.
 */
@ApplicationScoped
public class SearchPresets {

    /** Short names of strategies in preset ids. */
    static final Map<String, String> SHORT = Map.of("bon", "best-of-n", "wbon", "weighted-best-of-n",
            "sc", "self-consistency");

    /** A search: a strategy and its budget. */
    public record Preset(String strategy, int budget) {
    }

    private final PonderConfig config;

    @Inject
    public SearchPresets(PonderConfig config) {
        this.config = config;
    }

    /** The preset named {@code name} ({@code beam-16}, {@code best-of-n-8}), or null if it names none. */
    public static Preset parse(String name) {
        int dash = name == null ? -1 : name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        String strategy = name.substring(0, dash).toLowerCase(Locale.ROOT);
        strategy = SHORT.getOrDefault(strategy, strategy);
        int budget;
        try {
            budget = Integer.parseInt(name.substring(dash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        return Strategies.names().contains(strategy) && budget >= 1 ? new Preset(strategy, budget) : null;
    }

    /** The model ids to list: the served model, then {@code <model>:<preset>} for each configured preset that fits. */
    public List<String> modelIds(String served) {
        List<String> ids = new ArrayList<>();
        ids.add(served);
        for (String name : config.openai().modelPresets()) {
            Preset p = parse(name.trim());
            if (p != null && p.budget() <= config.search().maxBudget()) {
                ids.add(served + ":" + name.trim());
            }
        }
        return ids;
    }

    /**
     * The preset a model id asks for: null for the served model itself and for any other name (the model field
     * is not checked); a 400 problem naming {@code model} for {@code <served>:<something>} that is no preset
     * or whose budget is above the maximum.
     */
    public Preset ofModel(String model, String served) {
        if (model == null || !model.startsWith(served + ":")) {
            return null;
        }
        String name = model.substring(served.length() + 1);
        Preset p = parse(name);
        if (p == null) {
            throw new ProblemException(ProblemDetail.badRequest("unknown-model", "Unknown model",
                    "'" + model + "' names no search; use " + served + " or " + served + ":<strategy>-<budget>, e.g. "
                            + String.join(", ", modelIds(served))).withParam("model"));
        }
        if (p.budget() > config.search().maxBudget()) {
            throw new ProblemException(ProblemDetail.badRequest("invalid-budget", "Search budget out of range",
                    "model '" + model + "' asks for a budget of " + p.budget() + "; at most "
                            + config.search().maxBudget()).withParam("model"));
        }
        return p;
    }

    /** The search a {@code reasoning_effort} maps to (budget capped at the maximum); null for none; 400 for an unknown effort. */
    public Preset ofEffort(String effort) {
        if (effort == null) {
            return null;
        }
        Map<String, String> efforts = efforts();
        String name = efforts.get(effort);
        if (name == null) {
            throw new ProblemException(ProblemDetail.badRequest("invalid-reasoning-effort", "Unknown reasoning effort",
                    "reasoning_effort must be one of " + String.join(", ", efforts.keySet()) + ", is '" + effort + "'")
                    .withParam("reasoning_effort"));
        }
        Preset p = parse(name);
        if (p == null) {
            throw new IllegalStateException("ponder.openai.reasoning-effort." + effort + " is no preset: '" + name
                    + "'; use <strategy>-<budget>, e.g. beam-8");
        }
        return new Preset(p.strategy(), Math.min(p.budget(), config.search().maxBudget()));
    }

    /** {@code reasoning_effort} values and the preset each maps to, as configured. */
    public Map<String, String> efforts() {
        var e = config.openai().reasoningEffort();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("minimal", e.minimal());
        m.put("low", e.low());
        m.put("medium", e.medium());
        m.put("high", e.high());
        return m;
    }
}

package dev.ponder.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of strategies by name. */
public final class Strategies {

    private static final Map<String, Supplier<SearchStrategy>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put(Greedy.NAME, Greedy::new);
        REGISTRY.put(BestOfN.NAME, () -> new BestOfN(false));
        REGISTRY.put(BestOfN.WEIGHTED_NAME, () -> new BestOfN(true));
        REGISTRY.put(SelfConsistency.NAME, SelfConsistency::new);
        REGISTRY.put(BeamSearch.NAME, BeamSearch::new);
        REGISTRY.put(Mcts.NAME, Mcts::new);
        REGISTRY.put(Auto.NAME, Auto::new);
    }

    private Strategies() {
    }

    /** Valid names: greedy, best-of-n, weighted-best-of-n, self-consistency, beam, mcts, auto. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * The strategy called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
     */
    public static SearchStrategy byName(String name) {
        Supplier<SearchStrategy> s = name == null ? null : REGISTRY.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown search strategy '" + name + "'; valid: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return s.get();
    }
}

package dev.ponder.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chains grouped by final answer (compared by {@link Answers#voteKey}), for majority voting
 * (Wang et al. 2023) and weighted voting. Chains without an answer form their own group, which wins
 * only when no chain has an answer.
 */
final class Votes {

    /** Chains sharing one answer. */
    static final class Group {
        final String answer;
        final int order;
        double weight;
        int votes;
        Node bestNode;
        Chain bestChain;
        double bestScore = Double.NEGATIVE_INFINITY;

        Group(String answer, int order) {
            this.answer = answer;
            this.order = order;
        }
    }

    private static final String NO_ANSWER = "\u0000";

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private double totalWeight;

    /**
     * Counts a chain: its group gains {@code weight}; {@code chainScore} decides which chain represents
     * the group (the first of equal scores).
     */
    void add(Node node, Chain chain, double weight, double chainScore) {
        String answer = chain.answer();
        String key = answer == null ? NO_ANSWER : Answers.voteKey(answer);
        Group g = groups.computeIfAbsent(key, k -> new Group(answer, groups.size()));
        g.weight += weight;
        g.votes++;
        totalWeight += weight;
        if (chainScore > g.bestScore || g.bestChain == null) {
            g.bestScore = chainScore;
            g.bestChain = chain;
            g.bestNode = node;
        }
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The group with the most weight (earliest on ties), preferring groups that have an answer. */
    Group leader() {
        return ranked(byWeight()).get(0);
    }

    /** Share of all weight held by {@code g}, in [0,1]. */
    double share(Group g) {
        return totalWeight > 0 ? g.weight / totalWeight : 0.0;
    }

    /** Alternatives ranked and scored by vote share. */
    List<Alternative> byShare() {
        List<Alternative> out = new ArrayList<>();
        for (Group g : ranked(byWeight())) {
            out.add(new Alternative(g.answer, share(g), g.votes, g.bestChain.text()));
        }
        return out;
    }

    /** Alternatives ranked and scored by the best chain score in each group. */
    List<Alternative> byBestScore() {
        List<Alternative> out = new ArrayList<>();
        for (Group g : ranked(Comparator.comparingDouble((Group x) -> x.bestScore).reversed())) {
            out.add(new Alternative(g.answer, g.bestScore, g.votes, g.bestChain.text()));
        }
        return out;
    }

    /** The groups that have an answer, best first: by weight, or by their best chain's score. */
    List<Group> answered(boolean byWeight) {
        return ranked(byWeight ? byWeight() : Comparator.comparingDouble((Group x) -> x.bestScore).reversed())
                .stream().filter(g -> g.answer != null).toList();
    }

    private static Comparator<Group> byWeight() {
        return Comparator.comparingDouble((Group g) -> g.weight).reversed();
    }

    private List<Group> ranked(Comparator<Group> order) {
        List<Group> list = new ArrayList<>(groups.values());
        list.sort(Comparator.comparing((Group g) -> g.answer == null)
                .thenComparing(order)
                .thenComparingInt(g -> g.order));
        return list;
    }
}

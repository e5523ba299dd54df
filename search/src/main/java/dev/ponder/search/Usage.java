package dev.ponder.search;

/**
 * What a search spent.
 *
 * @param nodes            tree nodes created (NodeProposed events, root excluded)
 * @param generatedTokens  tokens of every step the model returned, pruned and merged ones included
 * @param selfChecks       chains self-checked (not calls: one call checking 8 chains counts 8)
 * @param modelCalls       calls to propose, selfCheck and complete
 * @param wallMs           milliseconds from subscription to the end
 * @param expandedNodes    nodes the search asked for two or more next steps (in one call or over several)
 * @param proposedChildren next steps proposed for those nodes
 * @param distinctChildren distinct next steps among them (by text): how much the proposals differ
 */
public record Usage(int nodes, long generatedTokens, int selfChecks, int modelCalls, long wallMs, int expandedNodes,
                    int proposedChildren, int distinctChildren) {

    /** Usage of a search that expanded no node more than once (or whose expansions were not counted). */
    public Usage(int nodes, long generatedTokens, int selfChecks, int modelCalls, long wallMs) {
        this(nodes, generatedTokens, selfChecks, modelCalls, wallMs, 0, 0, 0);
    }
}

package dev.ponder.search;

/**
 * What a search spent.
 *
 * @param nodes           tree nodes created (NodeProposed events, root excluded)
 * @param generatedTokens tokens of every step the model returned, pruned and merged ones included
 * @param selfChecks      chains self-checked (not calls: one call checking 8 chains counts 8)
 * @param modelCalls      calls to propose, selfCheck and complete
 * @param wallMs          milliseconds from subscription to the end
 */
public record Usage(int nodes, long generatedTokens, int selfChecks, int modelCalls, long wallMs) {
}

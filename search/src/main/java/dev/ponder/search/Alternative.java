package dev.ponder.search;

/**
 * One distinct final answer a search found.
 *
 * @param answer    the answer as first stated (null: chains without an answer)
 * @param score     the strategy's score for it (vote weight for voting strategies, best chain score
 *                  otherwise)
 * @param votes     chains that ended with this answer
 * @param chainText text of the best chain with this answer
 */
public record Alternative(String answer, double score, int votes, String chainText) {
}

/**
 * Synthetic reasoning tasks for ponder's embedded model: data generation, exact checking, data hygiene.
 *
 * <ul>
 *   <li>Game of 24 in the Tree-of-Thoughts step format: {@link dev.ponder.tasks.Game24Chain} (all distinct
 *       valid chains of a puzzle, seeded sampling), {@link dev.ponder.tasks.Game24} (memoized exact
 *       solvability, valid next steps), {@link dev.ponder.tasks.Game24Checker} (final answers),
 *       {@link dev.ponder.tasks.Game24Verifier} (line-by-line judgment of a model's chain).</li>
 *   <li>Integer powers and products step by step: {@link dev.ponder.tasks.ArithmeticProblem},
 *       {@link dev.ponder.tasks.ArithmeticChain}, {@link dev.ponder.tasks.ArithmeticVerifier}.</li>
 *   <li>Self-check (yes/no) examples with exact labels: {@link dev.ponder.tasks.SelfChecks}.</li>
 *   <li>Seeded train / validation splits that never contain the benchmark puzzles (ranks 901-1000),
 *       and mixed streams for training: {@link dev.ponder.tasks.TaskDatasets}.</li>
 * </ul>
 */
package dev.ponder.tasks;

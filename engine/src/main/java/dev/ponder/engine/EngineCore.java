package dev.ponder.engine;

import dev.ponder.engine.ModelRunner.Sequence;

/** What tasks need from the engine on the scheduler thread: the runner's sequences, settings, counters. */
final class EngineCore {

    final ModelRunner runner;
    final EngineConfig config;
    final EngineMetrics metrics;

    EngineCore(ModelRunner runner, EngineConfig config, EngineMetrics metrics) {
        this.runner = runner;
        this.config = config;
        this.metrics = metrics;
    }

    /** A child of {@code parent}: shares its keys and values, or in the naive engine starts empty. */
    Sequence fork(Sequence parent) {
        return config.sharing() ? runner.fork(parent) : runner.empty();
    }

    /** Tokens a child from {@link #fork} must compute again before its own: none when blocks are shared. */
    int[] recomputeFor(Sequence parent) {
        return config.sharing() ? new int[0] : parent.tokens();
    }

    void release(Sequence seq) {
        if (!seq.isReleased()) {
            runner.release(seq);
        }
    }
}

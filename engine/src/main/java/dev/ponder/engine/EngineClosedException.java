package dev.ponder.engine;

/** The engine is shutting down and takes no more work. */
public class EngineClosedException extends RuntimeException {

    public EngineClosedException() {
        super("the engine is shutting down");
    }
}

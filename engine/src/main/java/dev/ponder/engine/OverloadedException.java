package dev.ponder.engine;

/** The engine cannot take this work now (KV memory or queue full); the caller may retry later. */
public class OverloadedException extends RuntimeException {

    public OverloadedException(String message) {
        super(message);
    }
}

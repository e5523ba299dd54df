package dev.ponder.model.tokenizer;

/** Raised when a tokenizer file is missing, malformed or uses a feature this package does not support. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ponder.model;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be used: a missing file, a malformed config, an unknown architecture.
 * The message always names the file and, where there is one, the field.
 */
public class ModelException extends RuntimeException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ModelException field(Path file, String field, String problem) {
        return new ModelException(file + ": field '" + field + "' " + problem);
    }

    public static ModelException file(Path file, String problem) {
        return new ModelException(file + ": " + problem);
    }
}

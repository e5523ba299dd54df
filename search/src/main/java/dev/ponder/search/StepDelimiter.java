package dev.ponder.search;

import java.util.Objects;

/**
 * Where a model ends one reasoning step: generation of a step stops after this text (or at end of
 * sequence). Splitting is the {@link StepModel} implementation's job; the search only passes the value
 * through {@link Sampling#delimiter()}.
 *
 * <p>{@link #NEWLINE} suits models that write one step per line; {@link #BLANK_LINE} suits long-form
 * models whose steps are paragraphs (as in search-and-learn's "\n\n" steps).
 */
public record StepDelimiter(String text) {

    public static final StepDelimiter NEWLINE = new StepDelimiter("\n");
    public static final StepDelimiter BLANK_LINE = new StepDelimiter("\n\n");

    public StepDelimiter {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty step delimiter");
        }
    }

    /** {@code "newline"} and {@code "blank-line"} name the presets; any other value is taken literally. */
    public static StepDelimiter of(String nameOrText) {
        return switch (nameOrText) {
            case "newline" -> NEWLINE;
            case "blank-line" -> BLANK_LINE;
            default -> new StepDelimiter(nameOrText);
        };
    }
}

package dev.ponder.tasks;

/** A chain example: the user prompt and the whole assistant chain (lines joined by '\n', no trailing newline). */
public record Example(String user, String assistant) implements TaskExample {
}

package dev.ponder.tasks;

/**
 * A self-check example: is the assistant text so far right?
 *
 * @param user       the task prompt
 * @param chainSoFar the assistant text so far: whole lines, ending with a complete line and its newline
 * @param correct    for Game of 24, every step's arithmetic and left list is right, 24 can still be made from
 *                   the numbers left, and a boxed answer (if any) checks out; for arithmetic, every line is right
 * @param reasoning  what the check writes before its verdict, whole lines with their newlines; empty for a verdict
 *                   at once (see {@link Game24Recheck} for the one kind of check that reasons first)
 */
public record SelfCheckExample(String user, String chainSoFar, boolean correct, String reasoning) implements TaskExample {

    public SelfCheckExample {
        reasoning = reasoning == null ? "" : reasoning;
    }

    /** A check answered at once. */
    public SelfCheckExample(String user, String chainSoFar, boolean correct) {
        this(user, chainSoFar, correct, "");
    }

    /** The expected answer word. */
    public String answer() {
        return correct ? "yes" : "no";
    }
}

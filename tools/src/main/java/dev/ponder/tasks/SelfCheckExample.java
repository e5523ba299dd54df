package dev.ponder.tasks;

/**
 * A self-check example: is the assistant text so far right?
 *
 * @param user       the task prompt
 * @param chainSoFar the assistant text so far: whole lines, ending with a complete line and its newline
 * @param correct    for Game of 24, every step's arithmetic and left list is right, 24 can still be made from
 *                   the numbers left, and a boxed answer (if any) checks out; for arithmetic, every line is right
 */
public record SelfCheckExample(String user, String chainSoFar, boolean correct) implements TaskExample {

    /** The expected answer word. */
    public String answer() {
        return correct ? "yes" : "no";
    }
}

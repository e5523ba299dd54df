package dev.ponder.tasks;

/** One training or evaluation item: a chain to imitate or a self-check question to answer. */
public sealed interface TaskExample permits Example, SelfCheckExample {

    /** The user prompt of the task ("Use 4 9 10 13 to make 24.", "What is 5^10?"). */
    String user();
}

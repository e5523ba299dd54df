package dev.ponder.http;

import java.util.concurrent.CompletionException;

/** A request the service refuses, carrying the problem to answer with. */
public class ProblemException extends RuntimeException {

    private final transient ProblemDetail problem;

    public ProblemException(ProblemDetail problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public ProblemDetail problem() {
        return problem;
    }

    /**
     * The problem for any failure: a refusal keeps its own, anything else is 500. (Backends turn their own
     * failures, such as an engine out of KV memory, into problems before they get here.)
     */
    public static ProblemDetail of(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ProblemException p) {
            return p.problem();
        }
        return ProblemDetail.internal(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }
}

package dev.ponder.service;

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

    /** The problem for any failure: a refusal keeps its own, overload is 503, anything else 500. */
    public static ProblemDetail of(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ProblemException p) {
            return p.problem();
        }
        if (t instanceof dev.ponder.engine.OverloadedException || t instanceof dev.ponder.engine.kv.KvExhaustedException) {
            return ProblemDetail.unavailable("the engine is out of KV memory: " + t.getMessage());
        }
        return ProblemDetail.internal(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }
}

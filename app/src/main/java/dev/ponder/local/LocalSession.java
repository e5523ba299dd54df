package dev.ponder.local;

import dev.ponder.backend.ModelSession;
import dev.ponder.engine.OverloadedException;
import dev.ponder.engine.SearchSession;
import dev.ponder.engine.kv.KvExhaustedException;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.search.Chain;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** A search's session on the engine in this JVM, with what the service needs to know of its prompt. */
final class LocalSession implements ModelSession {

    private final SearchSession engine;
    private final String rendered;
    private final int chainTokens;
    private final String stepDelimiter;

    LocalSession(SearchSession engine, String rendered, int chainTokens, String stepDelimiter) {
        this.engine = engine;
        this.rendered = rendered;
        this.chainTokens = chainTokens;
        this.stepDelimiter = stepDelimiter;
    }

    @Override
    public Uni<List<Step>> propose(Chain chain, int k, Sampling sampling) {
        return engine.propose(chain, k, sampling).onFailure().transform(LocalSession::problem);
    }

    @Override
    public Uni<List<Double>> selfCheck(List<Chain> chains) {
        return engine.selfCheck(chains).onFailure().transform(LocalSession::problem);
    }

    @Override
    public boolean checksAnswers() {
        return engine.checksAnswers();
    }

    @Override
    public Uni<List<Double>> checkAnswers(List<String> answers) {
        return engine.checkAnswers(answers).onFailure().transform(LocalSession::problem);
    }

    @Override
    public Uni<Chain> complete(Chain chain, Sampling sampling) {
        return engine.complete(chain, sampling).onFailure().transform(LocalSession::problem);
    }

    /** Engine failures as the service answers them: out of KV memory is 503, the rest stays as it is. */
    static Throwable problem(Throwable t) {
        if (t instanceof OverloadedException || t instanceof KvExhaustedException) {
            return new ProblemException(ProblemDetail.unavailable("the engine is out of KV memory: " + t.getMessage()));
        }
        return t;
    }

    @Override
    public void release(Chain chain) {
        engine.release(chain);
    }

    @Override
    public String rendered() {
        return rendered;
    }

    @Override
    public int promptTokens() {
        return engine.promptTokens();
    }

    @Override
    public int chainTokens() {
        return chainTokens;
    }

    @Override
    public String stepDelimiter() {
        return stepDelimiter;
    }

    @Override
    public void close() {
        engine.close();
    }
}

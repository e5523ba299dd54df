package dev.ponder.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.ponder.http.ProblemDetail;
import dev.ponder.reason.Message;
import dev.ponder.search.Sampling;
import dev.ponder.search.Step;
import dev.ponder.search.StepDelimiter;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The worker protocol: JSON text frames on one WebSocket per search ({@code /worker/v1/session}), carrying the
 * search library's step-model calls from a control plane to a model worker and their results back. The
 * first frame opens the session; calls carry a {@code call} number their reply repeats, so many calls are in
 * flight at once; steps travel once, after which chains name them by the ids the worker gave them. Closing
 * the socket ends the session and frees its KV cache. Described for clients in docs/deployment.md.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Frame.Open.class, name = "open"),
        @JsonSubTypes.Type(value = Frame.Propose.class, name = "propose"),
        @JsonSubTypes.Type(value = Frame.SelfCheck.class, name = "selfCheck"),
        @JsonSubTypes.Type(value = Frame.CheckAnswers.class, name = "checkAnswers"),
        @JsonSubTypes.Type(value = Frame.Complete.class, name = "complete"),
        @JsonSubTypes.Type(value = Frame.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = Frame.Release.class, name = "release"),
        @JsonSubTypes.Type(value = Frame.Opened.class, name = "opened"),
        @JsonSubTypes.Type(value = Frame.Steps.class, name = "steps"),
        @JsonSubTypes.Type(value = Frame.Scores.class, name = "scores"),
        @JsonSubTypes.Type(value = Frame.Failed.class, name = "failed")})
@RegisterForReflection(targets = {Frame.Open.class, Frame.Propose.class, Frame.SelfCheck.class, Frame.CheckAnswers.class, Frame.Complete.class,
        Frame.Cancel.class, Frame.Release.class, Frame.Opened.class, Frame.Steps.class, Frame.Scores.class,
        Frame.Failed.class, Frame.WireStep.class, Frame.WireSampling.class, WorkerLoad.class})
public sealed interface Frame {

    /** The endpoint id of the worker's session socket (its own upgrade check; clients' API keys skip it). */
    String ENDPOINT_ID = "ponder-worker";

    // --- control plane -> worker

    /**
     * First frame: the conversation to render and encode, the most tokens a chain may have, and the nucleus
     * sampling of the search's proposals ({@code topP}; absent: 1, the whole distribution).
     */
    record Open(List<Message> messages, int maxTokens, Double topP) implements Frame {
        public Open(List<Message> messages, int maxTokens) {
            this(messages, maxTokens, null);
        }
    }

    /** {@code StepModel.propose}: k next steps after the chain (a list of step ids). Answered by {@link Steps}. */
    record Propose(long call, int[] chain, int k, WireSampling sampling) implements Frame {
    }

    /** {@code StepModel.selfCheck}: one probability per chain. Answered by {@link Scores}. */
    record SelfCheck(long call, List<int[]> chains) implements Frame {
    }

    /** {@code StepModel.checkAnswers}: one probability per final answer. Answered by {@link Scores}. */
    record CheckAnswers(long call, List<String> answers) implements Frame {
    }

    /** {@code StepModel.complete}: the chain rolled out. Answered by {@link Steps} holding the new steps only. */
    record Complete(long call, int[] chain, WireSampling sampling) implements Frame {
    }

    /** The caller no longer wants call {@code call}; the worker frees its work and sends nothing for it. */
    record Cancel(long call) implements Frame {
    }

    /** {@code StepModel.release}: the search dropped this chain. */
    record Release(int[] chain) implements Frame {
    }

    // --- worker -> control plane

    /**
     * The session is open: the rendered prompt, its token count, what the model allows a chain, and whether it checks
     * final answers ({@code checksAnswers}; absent: no).
     */
    record Opened(String model, String rendered, int promptTokens, int chainTokens, String delimiter,
                  Boolean checksAnswers) implements Frame {
        public Opened(String model, String rendered, int promptTokens, int chainTokens, String delimiter) {
            this(model, rendered, promptTokens, chainTokens, delimiter, null);
        }
    }

    /** The steps a {@link Propose} or {@link Complete} produced, each with the id later frames name it by. */
    record Steps(long call, List<WireStep> steps) implements Frame {
    }

    /** The probabilities of a {@link SelfCheck} or {@link CheckAnswers}, in order. */
    record Scores(long call, List<Double> scores) implements Frame {
    }

    /** A call failed ({@code call} set) or the session could not open or went wrong ({@code call} null). */
    record Failed(Long call, ProblemDetail problem) implements Frame {
    }

    /** A {@link Step} on the wire. */
    record WireStep(int id, String text, int[] tokens, double logProb, boolean terminal, String answer) {
        public static WireStep of(int id, Step s) {
            return new WireStep(id, s.text(), s.tokens(), s.logProb(), s.terminal(), s.answer());
        }

        public Step step() {
            return new Step(text, tokens, logProb, terminal, answer);
        }
    }

    /** {@link Sampling} on the wire. */
    record WireSampling(double temperature, long seed, int maxStepTokens, int maxChainTokens, String delimiter) {
        public static WireSampling of(Sampling s) {
            return new WireSampling(s.temperature(), s.seed(), s.maxStepTokens(), s.maxChainTokens(), s.delimiter().text());
        }

        public Sampling sampling() {
            return new Sampling(temperature, seed, maxStepTokens, maxChainTokens, new StepDelimiter(delimiter));
        }
    }
}

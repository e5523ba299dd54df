package dev.ponder.reason;

import dev.ponder.admission.Admission;
import dev.ponder.backend.BackendStatus;
import dev.ponder.backend.Backends;
import dev.ponder.backend.ModelBackend;
import dev.ponder.backend.ModelSession;
import dev.ponder.config.PonderConfig;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.Searches;
import dev.ponder.search.StepDelimiter;
import dev.ponder.search.Strategies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one entry point every API delegates to: validates an {@link Ask} and runs its search on the
 * {@link ModelBackend} (the engine in this JVM, or a model worker) as a stream of {@link ReasonEvent}s. A run
 * holds an admission permit and a {@link ModelSession}; both are given back on every ending (done, error,
 * cancel).
 */
@ApplicationScoped
public class Reasoner {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final double MAX_TEMPERATURE = 2.0;

    private final PonderConfig config;
    private final Backends backends;
    private final Admission admission;
    private final MeterRegistry registry;
    private final AtomicLong seq = new AtomicLong();

    @Inject
    public Reasoner(PonderConfig config, Backends backends, MeterRegistry registry) {
        this.config = config;
        this.backends = backends;
        this.registry = registry;
        this.admission = new Admission(config.limits().maxConcurrent(), config.limits().maxQueued(),
                config.limits().maxQueueWait().orElse(null));
    }

    public Admission admission() {
        return admission;
    }

    /**
     * Checks an ask and readies it to run; throws a {@link ProblemException} (400 for bad input, 503 while
     * the model loads, 429 when the queue is full) before anything is started. Checks that need the
     * tokenizer (does the prompt fit the context?) come when the run opens its session.
     */
    public Prepared prepare(Ask ask) {
        var s = config.search();
        // 1. the conversation: a prompt or messages, not both, not empty, valid Unicode
        List<Message> messages = conversation(ask);
        // 2. search settings within their bounds
        String strategy = ask.strategy() == null ? s.defaultStrategy() : ask.strategy();
        if (!Strategies.names().contains(strategy)) {
            throw invalid("unknown-strategy", "Unknown strategy", "unknown strategy '" + strategy + "'; valid: "
                    + String.join(", ", Strategies.names()), "strategy");
        }
        int budget = ask.searchBudget() == null ? s.defaultBudget() : ask.searchBudget();
        if (budget < 1 || budget > s.maxBudget()) {
            throw invalid("invalid-budget", "Search budget out of range",
                    "searchBudget must be between 1 and " + s.maxBudget() + ", is " + budget, "searchBudget");
        }
        int maxTokens = ask.maxTokens() == null ? s.defaultMaxTokens() : ask.maxTokens();
        if (maxTokens < 1 || maxTokens > s.maxTokens()) {
            throw invalid("invalid-max-tokens", "maxTokens out of range",
                    "maxTokens must be between 1 and " + s.maxTokens() + ", is " + maxTokens, "maxTokens");
        }
        double temperature = ask.temperature() == null ? s.defaultTemperature() : ask.temperature();
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw invalid("invalid-temperature", "Temperature out of range",
                    "temperature must be between 0 and " + MAX_TEMPERATURE + ", is " + temperature, "temperature");
        }
        double topP = ask.topP() == null ? 1.0 : ask.topP();
        if (!(topP > 0 && topP <= 1)) {
            throw new ProblemException(ProblemDetail.badRequest("invalid-top-p", "topP out of range",
                    "topP must be greater than 0 and at most 1, is " + topP).withParam("topP"));
        }
        // 3. a model to run it on (503 while loading)
        BackendStatus status = backends.current().status();
        if (!status.ready()) {
            throw ModelBackend.unavailable(status);
        }
        long seed = ask.seed() == null ? 0L : ask.seed();
        // 4. refuse now, with a status code, rather than queue what cannot be queued
        if (admission.full()) {
            throw new ProblemException(ProblemDetail.overloaded("too many searches running and queued; retry later"));
        }
        return new Prepared(status.model(), messages, strategy, budget, maxTokens, temperature, seed,
                Deadlines.effective(ask.deadlineMs(), s), topP);
    }

    /**
     * The search as a cold stream: subscribing queues for a slot, opens a model session and runs; the
     * stream ends with one {@link ReasonEvent.Done}, or fails (prompt too long for the context, model error, overload), or is cancelled by
     * the subscriber. The session and slot are released in every case.
     */
    public Multi<ReasonEvent> events(Prepared p) {
        return Multi.createFrom().deferred(() -> {
            long started = System.nanoTime();
            Admission.Entry entry = admission.enter();
            SessionHold hold = new SessionHold();
            Multi<ReasonEvent> run = entry.permit().toMulti().onItem().transformToMultiAndConcatenate(permit ->
                    hold.open(() -> backends.current().open(p.messages(), p.maxTokens(), p.topP())).toMulti()
                            .onItem().transformToMultiAndConcatenate(session -> run(p, session))
                            .onTermination().invoke(() -> {
                                hold.end();
                                permit.release();
                            }));
            // a search that has to wait says so first, with its place in the queue
            Multi<ReasonEvent> told = entry.position() == 0 ? run : Multi.createBy().concatenating().streams(
                    Multi.createFrom().item(new ReasonEvent.Queued(entry.position())), run);
            // whatever ends the stream (even a cancel while the session opens) closes the session and frees the slot
            return told.onTermination().invoke(() -> {
                        hold.end();
                        entry.abandon();
                    })
                    .onItem().invoke(e -> {
                        if (e instanceof ReasonEvent.Done d) {
                            record(p, "done", started, d.result());
                        }
                    })
                    .onFailure().invoke(f -> record(p, "error", started, null))
                    .onCancellation().invoke(() -> record(p, "cancelled", started, null));
        });
    }

    /** The search itself, on an open session: settings bounded by what the session's context leaves. */
    private Multi<ReasonEvent> run(Prepared p, ModelSession session) {
        var s = config.search();
        int chainTokens = session.chainTokens();
        SearchConfig search = SearchConfig.builder()
                .budget(p.budget())
                .seed(p.seed())
                .temperature(p.temperature())
                .maxChainTokens(chainTokens)
                .maxStepTokens(Math.min(s.maxStepTokens(), chainTokens))
                .maxDepth(s.maxDepth())
                .delimiter(new StepDelimiter(session.stepDelimiter()))
                .deadline(p.deadline())
                .build();
        Problem problem = new Problem("ask-" + seq.incrementAndGet(), session.rendered());
        EventMapper mapper = new EventMapper(p.budget(), session.promptTokens(), chainTokens, p.seed());
        return Searches.run(p.strategy(), problem, search, session).onItem().transformToIterable(mapper::map);
    }

    /** Only the final result of {@link #events}. */
    public Uni<ReasonResult> result(Prepared p) {
        return result(events(p));
    }

    /** The result carried by a stream's {@link ReasonEvent.Done}. */
    public static Uni<ReasonResult> result(Multi<ReasonEvent> events) {
        return events.filter(e -> e instanceof ReasonEvent.Done)
                .map(e -> ((ReasonEvent.Done) e).result())
                .collect().last()
                .onItem().ifNull().failWith(() -> new IllegalStateException("the search ended without a result"));
    }

    private void record(Prepared p, String outcome, long startedNanos, ReasonResult result) {
        registry.counter("ponder.searches", "strategy", p.strategy(), "outcome", outcome).increment();
        Timer.builder("ponder.search.duration").tag("strategy", p.strategy()).register(registry)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        if (result != null) {
            registry.counter("ponder.generated.tokens").increment(result.usage().generatedTokens());
        }
    }

    private List<Message> conversation(Ask ask) {
        boolean hasPrompt = ask.prompt() != null;
        boolean hasMessages = ask.messages() != null;
        if (hasPrompt == hasMessages) {
            throw invalid("invalid-request", "Invalid request", hasPrompt
                    ? "give either prompt or messages, not both" : "give a prompt or messages");
        }
        List<Message> messages = hasPrompt ? List.of(new Message("user", ask.prompt())) : ask.messages();
        int chars = 0;
        boolean anyText = false;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String where = hasPrompt ? "prompt" : "messages[" + i + "]";
            if (m == null || m.content() == null) {
                throw invalid("invalid-request", "Invalid request", where + " has no content");
            }
            if (!ROLES.contains(m.role())) {
                throw invalid("invalid-request", "Invalid request", where + ".role must be one of system, user,"
                        + " assistant, is " + (m.role() == null ? "missing" : "'" + m.role() + "'"));
            }
            int bad = unpairedSurrogate(m.content());
            if (bad >= 0) {
                throw invalid("invalid-utf8", "Invalid UTF-8", where + " holds an unpaired surrogate at char " + bad
                        + ", which no UTF-8 text can encode");
            }
            chars += m.content().length();
            anyText |= !m.content().isBlank();
        }
        if (!anyText) {
            throw invalid("empty-prompt", "Empty prompt", hasPrompt ? "the prompt is empty" : "every message is empty");
        }
        if (chars > config.limits().maxPromptChars()) {
            throw invalid("prompt-too-long", "Prompt too long", "the prompt has " + chars
                    + " characters; at most " + config.limits().maxPromptChars() + " are accepted");
        }
        return messages;
    }

    private static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static ProblemException invalid(String kind, String title, String detail) {
        return new ProblemException(ProblemDetail.badRequest(kind, title, detail));
    }

    private static ProblemException invalid(String kind, String title, String detail, String param) {
        return new ProblemException(ProblemDetail.badRequest(kind, title, detail).withParam(param));
    }
}

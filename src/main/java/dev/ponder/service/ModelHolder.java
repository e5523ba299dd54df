package dev.ponder.service;

import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.SearchSession;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.PromptProfile;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.Searches;
import dev.ponder.search.StepDelimiter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads the model and builds its engine when the service starts, on a thread of its own so HTTP comes up
 * at once (health answers, readiness says not yet); warms the engine up with one short search. Until then
 * every ask gets 503.
 */
@ApplicationScoped
public class ModelHolder {

    private static final Logger LOG = Logger.getLogger(ModelHolder.class);

    public enum State { LOADING, READY, FAILED }

    @Inject
    PonderConfig config;

    private volatile State state = State.LOADING;
    private volatile Served served;
    private volatile String failure;

    void onStart(@Observes StartupEvent event) {
        Thread loader = new Thread(this::load, "ponder-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Served s = served;
        served = null;
        state = State.FAILED;
        failure = "the service is shutting down";
        if (s != null) {
            s.engine().close();
            s.model().close();
        }
    }

    public State state() {
        return state;
    }

    /** Why loading failed, or null. */
    public String failure() {
        return failure;
    }

    /** The served model; a 503 problem while it loads or when it failed to load. */
    public Served served() {
        Served s = served;
        if (s != null && state == State.READY) {
            return s;
        }
        throw new ProblemException(ProblemDetail.unavailable(state == State.LOADING
                ? "the model is still loading; retry shortly (see /q/health/ready)"
                : "the model is not available: " + failure));
    }

    /** The served model if ready, else null (for metrics and health). */
    public Served current() {
        return state == State.READY ? served : null;
    }

    private void load() {
        try {
            long t0 = System.nanoTime();
            // 1. the checkpoint: configured, or the embedded default copied out of the jar
            Path dir = ModelSource.resolve(config.model().path(), config.model().classpathDir());
            LanguageModel model = LanguageModel.load(dir);
            // 2. the prompt profile: configuration overrides the checkpoint, which overrides the architecture default
            model = model.withProfile(profile(model));
            // 3. the engine with its paged KV cache
            var e = config.engine();
            Engine engine = new Engine(model, new EngineConfig(e.blockSize(), e.kvBudgetMb() << 20,
                    e.maxBatchTokens(), e.maxBatchSequences(), true));
            String name = config.model().name().orElse(model.name());
            int context = config.model().maxContext().orElse(Served.contextOf(model.config()));
            int suffix = model.tokenizer().encode(model.profile().selfCheckSuffix()).length;
            Served s = new Served(name, model, engine, context, suffix, System.currentTimeMillis() / 1000);
            // 4. one short search through every path (propose, self-check), so the first ask is not slow
            if (config.model().warmUp()) {
                warmUp(s);
            }
            served = s;
            state = State.READY;
            LOG.infof("Serving %s (%s, context %d tokens) after %d ms", name, model.config().architecture(),
                    context, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | Error e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            state = State.FAILED;
            LOG.error("The model could not be loaded: " + failure, e);
        }
    }

    private PromptProfile profile(LanguageModel model) {
        PromptProfile p = model.profile();
        var r = config.reasoning();
        var byArchitecture = r.architectures().get(model.config().architecture());
        if (r.systemPrompt().isPresent()) {
            p = p.withSystemPrompt(r.systemPrompt().get());
        } else if (p.systemPrompt() == null && byArchitecture != null && byArchitecture.systemPrompt().isPresent()) {
            p = p.withSystemPrompt(byArchitecture.systemPrompt().get());
        }
        if (r.selfCheckSuffix().isPresent()) {
            p = p.withSelfCheckSuffix(r.selfCheckSuffix().get());
        }
        return p;
    }

    private static void warmUp(Served s) {
        var model = s.model();
        String rendered = model.renderChat(List.of(ChatMessage.user("1+1=?")));
        SearchConfig warm = SearchConfig.builder().budget(1).maxStepTokens(4).maxChainTokens(4)
                .delimiter(new StepDelimiter(model.profile().stepDelimiter())).build();
        try (SearchSession session = s.engine().openSession(model.encodePrompt(rendered))) {
            Searches.result("best-of-n", new Problem("warm-up", rendered), warm, session)
                    .await().atMost(Duration.ofMinutes(5));
        }
    }
}

package dev.ponder.local;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.ponder.backend.BackendStatus;
import dev.ponder.backend.ModelBackend;
import dev.ponder.backend.ModelSession;
import dev.ponder.config.PonderConfig;
import dev.ponder.engine.Engine;
import dev.ponder.engine.EngineConfig;
import dev.ponder.engine.SearchSession;
import dev.ponder.http.ProblemDetail;
import dev.ponder.http.ProblemException;
import dev.ponder.model.HfConfig;
import dev.ponder.model.Kernel;
import dev.ponder.model.LanguageModel;
import dev.ponder.model.Precision;
import dev.ponder.model.PromptProfile;
import dev.ponder.model.checkpoint.LoadProgress;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.reason.Message;
import dev.ponder.search.Problem;
import dev.ponder.search.SearchConfig;
import dev.ponder.search.Searches;
import dev.ponder.search.StepDelimiter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The model in this JVM: loads the checkpoint and builds its engine when the service starts, on a thread of
 * its own so HTTP comes up at once (health answers, readiness says not yet), and warms the engine up with
 * one short search. Serves every ask of an all-in-one service, and the sessions of a model worker
 * ({@code ponder.worker.enabled}); a control plane ({@code ponder.cluster.workers} set) leaves it idle.
 */
@ApplicationScoped
public class LocalBackend implements ModelBackend.Selectable {

    private static final Logger LOG = Logger.getLogger(LocalBackend.class);

    @Inject
    PonderConfig config;

    private volatile BackendStatus.State state = BackendStatus.State.LOADING;
    private volatile Served served;
    private volatile String failure;

    @Override
    public boolean selected() {
        return config.cluster().workers().isEmpty();
    }

    void onStart(@Observes StartupEvent event) {
        if (!selected() && !config.worker().enabled()) {
            return;
        }
        Thread loader = new Thread(this::load, "ponder-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Served s = served;
        served = null;
        state = BackendStatus.State.FAILED;
        failure = "the service is shutting down";
        if (s != null) {
            s.engine().close();
            s.model().close();
        }
    }

    @Override
    public BackendStatus status() {
        Served s = current();
        if (s == null) {
            return new BackendStatus(state, null, 0, failure, state == BackendStatus.State.LOADING ? loading() : Map.of());
        }
        return new BackendStatus(BackendStatus.State.READY, s.name(), s.createdEpoch(), null, Map.of(
                "architecture", s.model().config().architecture(), "context", s.context()));
    }

    /** How far the weights have been read, for the readiness body while the model loads. */
    private static Map<String, Object> loading() {
        LoadProgress.Snapshot p = LoadProgress.current();
        if (p == null) {
            return Map.of("phase", "starting");
        }
        return Map.of("phase", p.complete() ? "warming up" : "reading weights", "bytesRead", p.bytesRead(),
                "bytesTotal", p.bytesTotal(), "percent", p.percent(), "shards", p.shardsDone() + " of " + p.shardsTotal(),
                "seconds", Math.round(p.seconds()));
    }

    /** The served model if ready, else null (for metrics). */
    public Served current() {
        return state == BackendStatus.State.READY ? served : null;
    }

    @Override
    public Uni<ModelSession> open(List<Message> messages, int maxTokens, double topP) {
        return Uni.createFrom().item(() -> openNow(messages, maxTokens, topP));
    }

    private ModelSession openNow(List<Message> messages, int maxTokens, double topP) {
        Served s = current();
        if (s == null) {
            throw ModelBackend.unavailable(status());
        }
        // 1. the conversation through the model's chat template, then its tokens
        var model = s.model();
        String rendered = render(model, messages);
        int[] tokens = model.encodePrompt(rendered);
        // 2. the prompt and the self-check question must leave room for reasoning in the context
        int room = s.context() - tokens.length - s.selfCheckTokens() - 1;
        if (room < 1) {
            throw new ProblemException(ProblemDetail.badRequest("prompt-too-long", "Prompt too long", "the prompt is "
                    + tokens.length + " tokens; with the self-check (" + s.selfCheckTokens()
                    + " tokens) it leaves no room for reasoning in the model's context of " + s.context() + " tokens"));
        }
        // 3. a session on the engine: the prompt is prefilled (or found in the prefix cache) on first use
        SearchSession session = s.engine().openSession(tokens).topP(topP)
                .distinctSiblings(config.search().distinctSiblings());
        // 4. answers checked in a fresh context against the last question asked, where the checkpoint says how
        var check = model.answerCheckPrompt(lastQuestion(messages));
        if (check != null) {
            session.answerCheck(check, model.profile().answerCheck().reasoningTokens());
        }
        return new LocalSession(session, rendered, Math.min(maxTokens, room), model.profile().stepDelimiter());
    }

    /** The content of the last user message (what a final answer answers); empty when there is none. */
    private static String lastQuestion(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    private void load() {
        try {
            long t0 = System.nanoTime();
            try {
                SearchSession.checkDistinctSiblings(config.search().distinctSiblings());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ponder.search.distinct-siblings: " + e.getMessage());
            }
            // 1. the checkpoint: configured, or the embedded default copied out of the jar
            Path dir = ModelSource.resolve(config.model().path(), config.model().classpathDir());
            // 2. its precision, and whether weights and KV fit the device, before any weight is read
            Device device = ai.djl.engine.Engine.getInstance().defaultDevice();
            DataType dtype = Precision.resolve(config.model().dtype(), device);
            MemoryPlan plan = MemoryPlan.of(HfConfig.read(dir.resolve("config.json")), dtype,
                    config.engine().kvBudgetMb() << 20, device);
            if (!plan.fits()) {
                throw new IllegalStateException(plan.advice());
            }
            LOG.infof("Loading %s: %s", dir, plan.describe());
            LanguageModel model = LanguageModel.load(dir, dtype);
            Kernel kernel = Kernel.resolve(config.model().kernel(), device, dtype, model.config());
            model = model.withKernel(kernel);
            LOG.infof("Cached forward passes run on the %s kernel", kernel.name().toLowerCase(Locale.ROOT));
            // 3. the prompt profile: configuration overrides the checkpoint, which overrides the architecture default
            model = model.withProfile(profile(model));
            // 4. the engine with its paged KV cache
            var e = config.engine();
            Engine engine = new Engine(model, new EngineConfig(e.blockSize(), e.kvBudgetMb() << 20,
                    e.maxBatchTokens(), e.maxBatchSequences(), true));
            String name = config.model().name().orElse(model.name());
            int context = config.model().maxContext().orElse(Served.contextOf(model.config()));
            // a self-check's own tokens: the question and what the model may write before its verdict
            int suffix = model.tokenizer().encode(model.profile().selfCheckSuffix()).length
                    + model.profile().checkReasoningTokens();
            Served s = new Served(name, model, engine, context, suffix, System.currentTimeMillis() / 1000);
            // 5. one short search through every path (propose, self-check), so the first ask is not slow
            if (config.model().warmUp()) {
                warmUp(s);
            }
            served = s;
            state = BackendStatus.State.READY;
            LOG.infof("Serving %s (%s, context %d tokens) after %d ms", name, model.config().architecture(),
                    context, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | Error e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            state = BackendStatus.State.FAILED;
            LOG.error("The model could not be loaded: " + failure, e);
        }
    }

    private PromptProfile profile(LanguageModel model) {
        PromptProfile p = model.profile();
        var r = config.reasoning();
        var byArchitecture = r.architectures().get(model.config().architecture());
        if (r.systemPrompt().isPresent()) {
            p = p.withSystemPrompt(r.systemPrompt().get());
        } else if (byArchitecture != null && byArchitecture.systemPrompt().isPresent()
                && !PromptProfile.hasOwnSystemPrompt(model.dir())) {
            // configured for the architecture: over the prompt ponder ships for it, under the checkpoint's own
            p = p.withSystemPrompt(byArchitecture.systemPrompt().get());
        }
        if (r.selfCheckSuffix().isPresent()) {
            p = p.withSelfCheckSuffix(r.selfCheckSuffix().get());
        }
        if (r.selfCheckReasoningTokens().isPresent()) {
            try {
                p = p.withCheckReasoningTokens(r.selfCheckReasoningTokens().get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ponder.reasoning.self-check-reasoning-tokens: " + e.getMessage());
            }
        }
        return withAnswerCheck(p, r);
    }

    /** The profile's answer check as configuration overrides it ({@code none}: no answer check). */
    private static PromptProfile withAnswerCheck(PromptProfile p, PonderConfig.Reasoning r) {
        PromptProfile.AnswerCheck a = p.answerCheck();
        String prompt = r.answerCheckPrompt().orElse(a == null ? null : a.prompt());
        if (prompt == null || prompt.isBlank() || prompt.strip().equals("none")) {
            return p.withAnswerCheck(null);
        }
        int tokens = r.answerCheckReasoningTokens().orElse(a == null ? 0 : a.reasoningTokens());
        try {
            return p.withAnswerCheck(new PromptProfile.AnswerCheck(prompt, tokens));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ponder.reasoning.answer-check-*: " + e.getMessage());
        }
    }

    /** The chat template's rendering, the profile's system prompt first unless the conversation has one. */
    private static String render(LanguageModel model, List<Message> messages) {
        List<ChatMessage> turns = new ArrayList<>();
        String system = model.profile().systemPrompt();
        if (system != null && !system.isBlank() && messages.stream().noneMatch(m -> m.role().equals("system"))) {
            turns.add(ChatMessage.system(system));
        }
        messages.forEach(m -> turns.add(new ChatMessage(m.role(), m.content())));
        try {
            return model.renderChat(turns);
        } catch (RuntimeException e) {
            // a template may refuse a conversation (e.g. roles that do not alternate)
            throw new ProblemException(ProblemDetail.badRequest("invalid-conversation",
                    "Conversation refused by the chat template", e.getMessage()));
        }
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

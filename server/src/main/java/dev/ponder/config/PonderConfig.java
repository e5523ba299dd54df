package dev.ponder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the service reads from configuration, under {@code ponder.}. Every key can be overridden
 * from the environment the usual way ({@code ponder.model.path} is {@code PONDER_MODEL_PATH},
 * {@code ponder.search.max-budget} is {@code PONDER_SEARCH_MAX_BUDGET}).
 */
@ConfigMapping(prefix = "ponder")
public interface PonderConfig {

    Model model();

    Search search();

    EngineSettings engine();

    Reasoning reasoning();

    Limits limits();

    Faults faults();

    Shutdown shutdown();

    Cluster cluster();

    Worker worker();

    OpenAi openai();

    Streams streams();

    /**
     * Keys a client must present on {@code /v1/*} and {@code /ws/reason} ({@code Authorization: Bearer <key>},
     * {@code X-Api-Key}, or {@code ?api_key=} for browsers' WebSockets); unset: the API is open.
     * From the environment: {@code PONDER_API_KEYS=key1,key2}.
     */
    Optional<List<String>> apiKeys();

    /** Which checkpoint to serve. */
    interface Model {
        /** A Hugging Face checkpoint directory; unset serves the embedded model from {@link #classpathDir()}. */
        Optional<Path> path();

        /** The id reported by the APIs (default: the checkpoint directory's name). */
        Optional<String> name();

        /** Where the embedded default model lives on the class path (inside the jar when packaged). */
        @WithDefault("models/ponder-tiny")
        String classpathDir();

        /** Most tokens a prompt plus its reasoning may span; default: the model's own context (see {@code dev.ponder.local.Served#contextOf}). */
        OptionalInt maxContext();

        /**
         * Precision of the weights, activations and KV cache: {@code auto} (float16 on a GPU, float32 on a CPU),
         * {@code float16} or {@code float32}. bfloat16 checkpoints are converted; bfloat16 compute is refused
         * (see {@code dev.ponder.model.Precision}).
         */
        @WithDefault("auto")
        String dtype();

        /**
         * What runs cached forward passes: {@code auto} (the Java kernel for float32 models of at most 50M parameters
         * on a CPU, torch otherwise), {@code torch} or {@code java} (see {@code dev.ponder.model.Kernel}).
         */
        @WithDefault("auto")
        String kernel();

        /** Run one short search after loading, so the first request does not pay for warm-up. */
        @WithDefault("true")
        boolean warmUp();
    }

    /** Defaults and bounds of a search request. */
    interface Search {
        /** Largest searchBudget a request may ask for. */
        @WithDefault("64")
        int maxBudget();

        /** Budget of a request that names none. */
        @WithDefault("4")
        int defaultBudget();

        /** Strategy of a request that names none. */
        @WithDefault("auto")
        String defaultStrategy();

        /** Most generated tokens per chain when a request names no maxTokens. */
        @WithDefault("512")
        int defaultMaxTokens();

        /** Largest maxTokens a request may ask for. */
        @WithDefault("4096")
        int maxTokens();

        /** Most tokens in one reasoning step. */
        @WithDefault("256")
        int maxStepTokens();

        /** Most steps in one chain explored by step-level strategies. */
        @WithDefault("64")
        int maxDepth();

        /** Sampling temperature of a request that names none. */
        @WithDefault("0.7")
        double defaultTemperature();

        /**
         * Sibling proposals of one expansion sample without replacement, a token at a time, while the tokens their
         * siblings have not drawn hold at least this much of the distribution (0: each proposal samples on its own).
         */
        @WithDefault("0.1")
        double distinctSiblings();

        /** Time a search may run before it ends with its best chain so far; unset: no deadline. */
        Optional<Duration> deadline();

        /** Longest deadline a request may ask for ({@code deadlineMs}); a request can only shorten {@link #deadline()}. */
        @WithDefault("PT10M")
        Duration maxRequestDeadline();
    }

    /** The engine's paged KV cache and batching. */
    interface EngineSettings {
        /** KV slots per block. */
        @WithDefault("16")
        int blockSize();

        /** Memory for keys and values, in MiB. */
        @WithName("kv-budget-mb")
        @WithDefault("256")
        long kvBudgetMb();

        /** Most tokens one forward pass computes. */
        @WithDefault("2048")
        int maxBatchTokens();

        /** Most sequences in one forward pass. */
        @WithDefault("256")
        int maxBatchSequences();
    }

    /** How the model is asked to reason. */
    interface Reasoning {
        /** Replaces every other system prompt (the checkpoint's ponder.json and the architecture default). */
        Optional<String> systemPrompt();

        /** Replaces the self-check question appended to a chain. */
        Optional<String> selfCheckSuffix();

        /**
         * Replaces how many tokens the model may write after the self-check question before its verdict (0: the
         * verdict at once; the checkpoint's ponder.json {@code selfCheck.reasoningTokens} otherwise).
         */
        Optional<Integer> selfCheckReasoningTokens();

        /**
         * Replaces the fresh-context answer check's user message (the checkpoint's ponder.json {@code answerCheck.prompt}):
         * {@code {problem}} is the last question asked, {@code {answer}} a final answer; {@code none} turns the check off.
         */
        Optional<String> answerCheckPrompt();

        /** Replaces how many tokens the answer check may write before its verdict (ponder.json {@code answerCheck.reasoningTokens}). */
        Optional<Integer> answerCheckReasoningTokens();

        /**
         * Defaults per architecture (the {@code architectures} entry of config.json), used when the
         * checkpoint has no ponder.json prompt: {@code ponder.reasoning.architecture."X".system-prompt}.
         */
        @WithName("architecture")
        Map<String, ArchitecturePrompts> architectures();
    }

    /** Prompt defaults of one architecture. */
    interface ArchitecturePrompts {
        Optional<String> systemPrompt();
    }

    /** Admission control. */
    interface Limits {
        /** Searches running at once; more wait in the queue. */
        @WithDefault("8")
        int maxConcurrent();

        /** Searches waiting for a slot; beyond this a request gets 429. */
        @WithDefault("32")
        int maxQueued();

        /** Asks one WebSocket connection may have running at once; one more gets an {@code overloaded} error. */
        @WithDefault("4")
        int maxAsksPerConnection();

        /**
         * Asks one API key may have running at once over every connection and endpoint; one more gets 429
         * ({@code overloaded}). Applies only when {@link PonderConfig#apiKeys()} are configured.
         */
        @WithDefault("16")
        int maxAsksPerKey();

        /**
         * The longest an accepted search may wait in the queue for a slot; then it ends with 429 ({@code overloaded}).
         * Unset: no limit.
         */
        Optional<Duration> maxQueueWait();

        /** Largest request body in characters (prompt and messages together). */
        @WithDefault("200000")
        int maxPromptChars();
    }

    /**
     * Fault injection for tests and drills, off by default. A search whose prompt contains {@link #failTrigger()}
     * has its {@link #failAtCall()}-th model call fail, as a crashed forward pass or a lost worker would; one
     * whose prompt contains {@link #slowTrigger()} has each model call delayed by {@link #callDelay()}.
     */
    interface Faults {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("[[fail]]")
        String failTrigger();

        /** Which model call of a failing search fails (1: the first). */
        @WithDefault("1")
        int failAtCall();

        @WithDefault("[[slow]]")
        String slowTrigger();

        /** Extra latency of each model call of a slow search. */
        @WithDefault("PT0.2S")
        Duration callDelay();
    }

    /** Graceful shutdown. */
    interface Shutdown {
        /**
         * How long running asks may take to finish once shutdown begins (new asks get 503 meanwhile); asks
         * still running then end with an {@code error} (503) before the model is closed.
         */
        @WithDefault("PT30S")
        Duration drainTimeout();
    }

    /** The OpenAI-compatible API's search presets (see docs/api.md). */
    interface OpenAi {
        /**
         * Searches listed by {@code GET /v1/models} as {@code <model>:<preset>}, each {@code <strategy>-<budget>} with
         * the strategy by name or short name (greedy, bon, wbon, sc, beam, mcts, auto). Presets above
         * {@code ponder.search.max-budget} are left out. Any such id is accepted in {@code model}, listed or not.
         */
        @WithDefault("greedy-1,bon-8,sc-16,beam-16,mcts-16,sc-64,beam-64")
        List<String> modelPresets();

        /** The search each OpenAI {@code reasoning_effort} asks for, as a preset; budgets are capped at the max budget. */
        ReasoningEffort reasoningEffort();
    }

    /**
     * {@code reasoning_effort} to search: {@code <strategy>-<budget>} each. Above minimal, {@code auto}: on the
     * Game-of-24 benchmark it solves 72 and 85 of 100 at budgets 8 and 64, where beam solves 50 and 74
     * (docs/eval/game24.md).
     */
    interface ReasoningEffort {
        @WithDefault("greedy-1")
        String minimal();

        @WithDefault("auto-4")
        String low();

        @WithDefault("auto-8")
        String medium();

        @WithDefault("auto-32")
        String high();
    }

    /** Server-sent event streams. */
    interface Streams {
        /** A comment line ({@code : keep-alive}) is sent after this long without any other event; 0 turns it off. */
        @WithDefault("PT15S")
        Duration keepAlive();
    }

    /** Running as a control plane in front of model workers (see docs/deployment.md). */
    interface Cluster {
        /**
         * The model workers' base URLs ({@code http://host:port}). Set: this JVM is a control plane and sends
         * every search to a worker; unset: the model runs in this JVM. {@code PONDER_CLUSTER_WORKERS=u1,u2}.
         */
        Optional<List<URI>> workers();

        /**
         * Resolve each worker host to all its addresses, each one a worker (a Kubernetes headless Service
         * lists its pods this way); false: each URL is one worker.
         */
        @WithDefault("false")
        boolean resolveAllAddresses();

        /** How often workers are asked for their load and health (and host names resolved again). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Longest wait for a worker to accept a connection or answer a poll. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** The token presented to workers ({@code Authorization: Bearer}); must match their {@code ponder.worker.token}. */
        Optional<String> workerToken();
    }

    /** Serving model work to control planes over {@code /worker/v1/*}. */
    interface Worker {
        /** Accept control planes' sessions; off: {@code /worker/v1/*} answers 404 and refuses sessions. */
        @WithDefault("false")
        boolean enabled();

        /** The token a control plane must present; unset: any caller that reaches the port may use the worker. */
        Optional<String> token();
    }
}

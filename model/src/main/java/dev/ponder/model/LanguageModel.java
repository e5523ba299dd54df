package dev.ponder.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.ponder.model.checkpoint.WeightsLoader;
import dev.ponder.model.tokenizer.ChatMessage;
import dev.ponder.model.tokenizer.ChatTemplate;
import dev.ponder.model.tokenizer.Tokenizer;
import dev.ponder.model.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A checkpoint directory as Hugging Face ships it, loaded: configuration, weights (as a
 * {@link Transformer}), tokenizer, chat template, generation defaults and ponder's prompt profile.
 * Immutable once loaded; per-sequence state lives in the engine.
 */
public record LanguageModel(String name, Path dir, ModelConfig config, Transformer transformer,
                            Tokenizer tokenizer, ChatTemplate chatTemplate, GenerationConfig generation,
                            PromptProfile profile, NDManager manager) implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LanguageModel.class);

    /** Loads {@code dir} in float32 on the default device (the GPU when the engine has one). */
    public static LanguageModel load(Path dir) {
        return load(dir, DataType.FLOAT32);
    }

    public static LanguageModel load(Path dir, DataType dtype) {
        if (!Files.isDirectory(dir)) {
            throw ModelException.file(dir, "is not a checkpoint directory");
        }
        long t0 = System.nanoTime();
        ModelConfig config = HfConfig.read(dir.resolve("config.json"));
        var tok = Tokenizers.load(dir);
        if (tok.tokenizer().vocabSize() > config.vocabSize()) {
            throw ModelException.field(dir.resolve("config.json"), "vocab_size", "(" + config.vocabSize()
                    + ") is smaller than the tokenizer's vocabulary (" + tok.tokenizer().vocabSize() + ")");
        }
        GenerationConfig gen = GenerationConfig.read(dir.resolve("generation_config.json"), tok.tokenizer().eosId());
        NDManager manager = NDManager.newBaseManager();
        try {
            Transformer transformer = new Transformer(config, WeightsLoader.load(dir, config, manager, dtype));
            PromptProfile profile = PromptProfile.read(dir, PromptProfile.forArchitecture(config.architecture()));
            String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            LOG.infof("Loaded %s (%s, %,d parameters, %d layers, d=%d) on %s in %d ms", name, config.architecture(),
                    config.parameterCount(), config.numLayers(), config.hiddenSize(), manager.getDevice(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new LanguageModel(name, dir, config, transformer, tok.tokenizer(), tok.template(), gen, profile, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The prompt for {@code messages} through the chat template, ready for the assistant's reply. */
    public String renderChat(List<ChatMessage> messages) {
        if (chatTemplate == null) {
            StringBuilder sb = new StringBuilder();
            messages.forEach(m -> sb.append(m.content()).append('\n'));
            return sb.toString();
        }
        return chatTemplate.render(messages, true);
    }

    /** Token ids of a rendered prompt (bos prepended when the checkpoint asks for it and the template did not). */
    public int[] encodePrompt(String rendered) {
        int[] ids = tokenizer.encode(rendered);
        if (tokenizer.addBosToken() && tokenizer.bosId() >= 0 && (ids.length == 0 || ids[0] != tokenizer.bosId())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = tokenizer.bosId();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            return withBos;
        }
        return ids;
    }

    /**
     * The tokens of the fresh-context check of an answer to {@code problem} (the user message of the profile's
     * {@link PromptProfile.AnswerCheck}, alone in the conversation), one function per problem; null when the profile
     * has no answer check.
     */
    public java.util.function.Function<String, int[]> answerCheckPrompt(String problem) {
        PromptProfile.AnswerCheck check = profile.answerCheck();
        if (check == null) {
            return null;
        }
        return answer -> encodePrompt(renderChat(List.of(ChatMessage.user(check.message(problem, answer)))));
    }

    /** The same model with its cached passes on {@code kernel} ({@link Transformer#withKernel}). */
    public LanguageModel withKernel(Kernel kernel) {
        return new LanguageModel(name, dir, config, transformer.withKernel(kernel), tokenizer, chatTemplate, generation,
                profile, manager);
    }

    /** The same model on the kernel the service would pick for it ({@link Kernel#configured}): for command-line tools. */
    public LanguageModel withConfiguredKernel() {
        return withKernel(Kernel.configured(transformer.dtype(), config));
    }

    public LanguageModel withProfile(PromptProfile p) {
        return new LanguageModel(name, dir, config, transformer, tokenizer, chatTemplate, generation, p, manager);
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}

package dev.ponder.model.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Loads the tokenizer and chat template of a Hugging Face checkpoint directory. */
public final class Tokenizers {
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_MODEL = "tokenizer.model";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";
    public static final String CHAT_TEMPLATE_JSON = "chat_template.json";

    private Tokenizers() {
    }

    /**
     * Picks {@code tokenizer.json} (run by the Hugging Face tokenizers library) when present, else the
     * SentencePiece {@code tokenizer.model} (the slow tokenizer InternLM3 uses); reads tokenizer_config.json
     * if present for added tokens, special tokens and add_bos_token; takes the chat template from
     * chat_template.jinja, else chat_template.json, else tokenizer_config.json.
     */
    public static LoadedTokenizer load(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            throw new TokenizerException(checkpointDir + ": checkpoint directory does not exist");
        }
        // 1. tokenizer_config.json (optional)
        Path configFile = checkpointDir.resolve(TOKENIZER_CONFIG);
        TokenizerConfig config = Files.exists(configFile) ? TokenizerConfig.read(configFile) : TokenizerConfig.empty();
        // 2. the tokenizer itself
        Path json = checkpointDir.resolve(TOKENIZER_JSON);
        Path model = checkpointDir.resolve(TOKENIZER_MODEL);
        Tokenizer tokenizer;
        if (Files.exists(json)) {
            tokenizer = new HfTokenizer(json, config);
        } else if (Files.exists(model)) {
            tokenizer = SentencePieceTokenizer.create(model, config);
        } else {
            throw new TokenizerException(checkpointDir + ": no tokenizer found (neither " + TOKENIZER_JSON
                    + " nor " + TOKENIZER_MODEL + ")");
        }
        // 3. chat template, rendered with the special token strings
        try {
            String source = chatTemplateSource(checkpointDir, config);
            ChatTemplate template = source == null ? null : new ChatTemplate(source, templateTokens(tokenizer));
            return new LoadedTokenizer(tokenizer, template, tokenizer.specialTokens(), checkpointDir);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static String chatTemplateSource(Path dir, TokenizerConfig config) {
        Path jinja = dir.resolve(CHAT_TEMPLATE_JINJA);
        if (Files.exists(jinja)) {
            try {
                return Files.readString(jinja);
            } catch (IOException e) {
                throw new TokenizerException(jinja + ": cannot read: " + e.getMessage(), e);
            }
        }
        Path json = dir.resolve(CHAT_TEMPLATE_JSON);
        if (Files.exists(json)) {
            String t = TokenizerConfig.templateOf(TokenizerConfig.readJson(json).path("chat_template"),
                    json.toString(), "chat_template");
            if (t == null) {
                throw new TokenizerException(json + ": field chat_template is missing");
            }
            return t;
        }
        return config.chatTemplate();
    }

    /** bos_token, eos_token, pad_token, unk_token as the template sees them (undefined where there is none). */
    private static Map<String, String> templateTokens(Tokenizer t) {
        SpecialTokens s = t.specialTokens();
        Map<String, String> m = new HashMap<>();
        m.put("bos_token", s.hasBos() ? t.tokenText(s.bos()) : null);
        m.put("eos_token", s.hasEos() ? t.tokenText(s.eos()) : null);
        m.put("pad_token", s.hasPad() ? t.tokenText(s.pad()) : null);
        m.put("unk_token", s.hasUnk() ? t.tokenText(s.unk()) : null);
        return m;
    }
}

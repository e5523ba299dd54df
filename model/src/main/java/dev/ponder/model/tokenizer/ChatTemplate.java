package dev.ponder.model.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template ({@code chat_template} of tokenizer_config.json, or chat_template.jinja)
 * rendered with Jinjava the way {@code apply_chat_template} renders it with Jinja2: {@code trim_blocks} and
 * {@code lstrip_blocks} on, one trailing newline of the template source dropped ({@code keep_trailing_newline}
 * off), variables {@code messages}, {@code add_generation_prompt} and the special token strings
 * ({@code bos_token}, {@code eos_token}, ...), the function {@code raise_exception(msg)} and a {@code tojson}
 * filter that writes JSON as Python's {@code json.dumps} does.
 */
public final class ChatTemplate {
    private final String source;
    private final String compiledSource;
    private final Map<String, String> specialTokens;
    private final Jinjava jinjava;

    /**
     * @param source        the template text
     * @param specialTokens variables such as {@code bos_token -> "<s>"}; null values are left undefined
     */
    public ChatTemplate(String source, Map<String, String> specialTokens) {
        if (source == null || source.isBlank()) {
            throw new TokenizerException("chat template is empty");
        }
        this.source = source;
        this.compiledSource = dropOneTrailingNewline(source);
        Map<String, String> tokens = new LinkedHashMap<>();
        specialTokens.forEach((k, v) -> {
            if (v != null) {
                tokens.put(k, v);
            }
        });
        this.specialTokens = Map.copyOf(tokens);
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFilter(new ToJsonFilter());
    }

    /** A template with {@code bos_token} and {@code eos_token} set (either may be null). */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        Map<String, String> tokens = new HashMap<>();
        tokens.put("bos_token", bosToken);
        tokens.put("eos_token", eosToken);
        return new ChatTemplate(source, tokens);
    }

    public String source() {
        return source;
    }

    /** The special-token variables this template is rendered with. */
    public Map<String, String> specialTokens() {
        return specialTokens;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages.stream().map(ChatMessage::toMap).toList(), addGenerationPrompt, Map.of());
    }

    /**
     * Renders messages given as maps (extra keys such as {@code name} or {@code tool_calls} pass through)
     * with extra variables (e.g. {@code tools}) added to the context.
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt,
                         Map<String, ?> extraVariables) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.putAll(extraVariables);
        List<Map<String, Object>> copies = new ArrayList<>();
        for (Map<String, ?> m : messages) {
            copies.add(new LinkedHashMap<>(m));
        }
        context.put("messages", copies);
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = jinjava.renderForResult(compiledSource, context);
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() != TemplateError.ErrorType.FATAL) {
                continue;
            }
            for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                if (t instanceof RaisedException r) {
                    throw new TokenizerException("chat template raised an exception: " + r.getMessage());
                }
            }
            throw new TokenizerException("chat template failed at line " + e.getLineno() + ": " + e.getMessage());
        }
        return result.getOutput();
    }

    /** Jinja2's lexer drops a single trailing newline unless keep_trailing_newline is set. */
    private static String dropOneTrailingNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("\n") || s.endsWith("\r")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Bound to {@code raise_exception(msg)} in templates. */
    public static Object raiseException(String message) {
        throw new RaisedException(message);
    }

    /** What {@code raise_exception} throws inside Jinjava; reported as a {@link TokenizerException}. */
    static final class RaisedException extends RuntimeException {
        RaisedException(String message) {
            super(message);
        }
    }

    /** {@code x | tojson} and {@code x | tojson(indent=2)}, as Hugging Face defines the filter. */
    static final class ToJsonFilter implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PythonJson.dumps(var, args.length > 0 && args[0] != null ? Integer.parseInt(args[0].trim()) : -1);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.get("indent");
            if (indent == null && args.length > 0) {
                indent = args[0];
            }
            int n = indent instanceof Number num ? num.intValue() : indent == null ? -1 : Integer.parseInt(indent.toString());
            return PythonJson.dumps(var, n);
        }
    }
}

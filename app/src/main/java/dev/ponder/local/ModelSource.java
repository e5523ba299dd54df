package dev.ponder.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ponder.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the checkpoint comes from: a directory named in configuration, or a checkpoint packaged on the class
 * path (inside the jar), copied out to a temporary directory because the loader memory-maps files.
 */
public final class ModelSource {

    /** The files of a Hugging Face checkpoint ponder reads; shards are added from the index. */
    static final List<String> CHECKPOINT_FILES = List.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
            "chat_template.jinja", "chat_template.json", "ponder.json", "model.safetensors",
            "model.safetensors.index.json");

    private ModelSource() {
    }

    /** The checkpoint directory: {@code configured} when present, else {@code classpathDir} extracted. */
    public static Path resolve(Optional<Path> configured, String classpathDir) {
        if (configured.isPresent()) {
            Path dir = configured.get().toAbsolutePath();
            if (!Files.isDirectory(dir)) {
                throw new ModelException("ponder.model.path: " + dir + " is not a directory");
            }
            return dir;
        }
        try {
            // the checkpoint keeps its own directory name, which becomes the model's name
            Path parent = Files.createTempDirectory("ponder-model-");
            parent.toFile().deleteOnExit();
            String trimmed = classpathDir.replaceAll("/+$", "");
            Path target = Files.createDirectory(parent.resolve(trimmed.substring(trimmed.lastIndexOf('/') + 1)));
            target.toFile().deleteOnExit();
            return extract(Thread.currentThread().getContextClassLoader(), classpathDir, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the embedded model", e);
        }
    }

    /** Copies the checkpoint at {@code classpathDir} on the class path into {@code target}. */
    public static Path extract(ClassLoader loader, String classpathDir, Path target) {
        String base = classpathDir.endsWith("/") ? classpathDir : classpathDir + "/";
        if (loader.getResource(base + "config.json") == null) {
            throw new ModelException("no model configured (ponder.model.path / PONDER_MODEL_PATH) and no embedded model at "
                    + "classpath:" + base + "config.json");
        }
        // 1. the fixed file names, then 2. the shards the index names
        Set<String> names = new LinkedHashSet<>(CHECKPOINT_FILES);
        names.addAll(shards(loader, base + "model.safetensors.index.json"));
        for (String name : names) {
            try (InputStream in = loader.getResourceAsStream(base + name)) {
                if (in != null) {
                    Path file = target.resolve(name);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract classpath:" + base + name, e);
            }
        }
        return target;
    }

    private static Set<String> shards(ClassLoader loader, String indexResource) {
        Set<String> shards = new LinkedHashSet<>();
        try (InputStream in = loader.getResourceAsStream(indexResource)) {
            if (in != null) {
                JsonNode map = new ObjectMapper().readTree(in).path("weight_map");
                map.forEach(file -> shards.add(file.asText()));
            }
        } catch (IOException e) {
            throw new ModelException("classpath:" + indexResource + ": malformed JSON: " + e.getMessage(), e);
        }
        return shards;
    }
}

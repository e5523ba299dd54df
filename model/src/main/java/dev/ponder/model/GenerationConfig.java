package dev.ponder.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The defaults of {@code generation_config.json}: which tokens end a reply, and sampling defaults.
 *
 * @param eosIds      every id that ends generation (a single id or a list in the file)
 * @param bosId       -1 when not given
 * @param temperature the checkpoint's default temperature (1.0 when not given)
 * @param topP        1.0 when not given
 * @param topK        0 when not given
 */
public record GenerationConfig(List<Integer> eosIds, int bosId, double temperature, double topP, int topK) {

    public static GenerationConfig read(Path file, int fallbackEos) {
        if (!Files.isRegularFile(file)) {
            return new GenerationConfig(fallbackEos >= 0 ? List.of(fallbackEos) : List.of(), -1, 1.0, 1.0, 0);
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw ModelException.file(file, "malformed JSON: " + e.getMessage());
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode e = n.get("eos_token_id");
        if (e != null && e.isArray()) {
            e.forEach(x -> eos.add(x.asInt()));
        } else if (e != null && e.isInt()) {
            eos.add(e.asInt());
        } else if (e != null && !e.isNull()) {
            throw ModelException.field(file, "eos_token_id", "must be an integer or a list of integers, is " + e);
        }
        if (fallbackEos >= 0 && !eos.contains(fallbackEos)) {
            eos.add(fallbackEos);
        }
        return new GenerationConfig(List.copyOf(eos), n.path("bos_token_id").asInt(-1),
                n.path("temperature").asDouble(1.0), n.path("top_p").asDouble(1.0), n.path("top_k").asInt(0));
    }

    public boolean isEos(int id) {
        return eosIds.contains(id);
    }
}

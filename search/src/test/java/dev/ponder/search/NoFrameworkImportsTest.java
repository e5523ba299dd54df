package dev.ponder.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The search library stays plain Java + Mutiny: no file under search/ may import Quarkus, DJL, Jakarta
 * or JBoss classes. Works whether the tests run from the repository root or from search/.
 */
class NoFrameworkImportsTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?(io\\.quarkus|ai\\.djl|jakarta|org\\.jboss)\\b.*");

    @Test
    void noFrameworkImports() throws IOException, URISyntaxException {
        Path searchDir = locateSearchDir();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(searchDir)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !searchDir.relativize(p).startsWith("target"))
                    .toList();
        }
        assertTrue(sources.size() >= 20, "expected the library's sources under " + searchDir + ", found " + sources);
        assertTrue(sources.stream().anyMatch(p -> p.endsWith("NoFrameworkImportsTest.java")), "scans the tests too");
        List<String> offending = new ArrayList<>();
        for (Path file : sources) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (FORBIDDEN.matcher(lines.get(i)).matches()) {
                    offending.add(searchDir.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offending, "framework imports in search/");
    }

    @Test
    void thePatternCatchesWhatItShould() {
        assertTrue(FORBIDDEN.matcher("import io.quarkus.runtime.Startup;").matches());
        assertTrue(FORBIDDEN.matcher("  import static ai.djl.ndarray.NDArrays.add;").matches());
        assertTrue(FORBIDDEN.matcher("import jakarta.inject.Inject;").matches());
        assertTrue(FORBIDDEN.matcher("import org.jboss.logging.Logger;").matches());
        assertTrue(!FORBIDDEN.matcher("import io.smallrye.mutiny.Uni;").matches());
        assertTrue(!FORBIDDEN.matcher("import java.util.List; // not jakarta").matches());
    }

    /** The search/ directory: found from the working directory or from where this class was compiled to. */
    private static Path locateSearchDir() throws URISyntaxException {
        List<Path> starts = new ArrayList<>();
        starts.add(Paths.get("").toAbsolutePath());
        starts.add(Paths.get(NoFrameworkImportsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                if (Files.isDirectory(d.resolve("search/src/main/java/dev/ponder/search"))) {
                    return d.resolve("search");
                }
                if (d.getFileName() != null && d.getFileName().toString().equals("search")
                        && Files.isDirectory(d.resolve("src/main/java/dev/ponder/search"))) {
                    return d;
                }
            }
        }
        throw new AssertionError("cannot find the search/ directory from " + starts);
    }
}

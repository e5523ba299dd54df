package dev.ponder.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pinned supply chain: every image in a rendered overlay and every base image by digest, every file a
 * Dockerfile downloads checked against a sha256. Placeholders (an all-zero digest, a REPLACE-WITH checksum) are
 * allowed only where the project cannot know the value; they make the pull or the build fail, never run unpinned.
 */
class SupplyChainTest {

    static final Pattern DIGEST = Pattern.compile("@sha256:([0-9a-f]{64})$");
    static final String ZERO = "0".repeat(64);
    /** The images this project builds: their digests exist only once an operator pushes them. */
    static final Set<String> OWN_IMAGES = Set.of("ponder", "ponder-worker", "ponder-control");
    static final Path IMAGES = Path.of("../k8s/images");

    static Stream<String> overlays() {
        return ManifestPolicyTest.overlays();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageInARenderedOverlayIsPinnedByDigest(String overlay) {
        List<String> images = Rendering.overlay(overlay).workloads().stream().flatMap(Rendering.Workload::allContainers)
                .map(Container::getImage).toList();
        assertFalse(images.isEmpty());
        for (String image : images) {
            Matcher m = DIGEST.matcher(image);
            assertTrue(m.find(), overlay + ": image '" + image + "' is not pinned by digest");
            if (m.group(1).equals(ZERO)) {
                assertTrue(OWN_IMAGES.contains(repositoryName(image)),
                        overlay + ": only the project's own images may carry the placeholder digest: " + image);
            }
        }
    }

    @Test
    void everyDockerfileBaseIsPinnedByDigest() throws IOException {
        List<Path> dockerfiles = dockerfiles();
        assertFalse(dockerfiles.isEmpty());
        for (Path f : dockerfiles) {
            String text = Files.readString(f);
            List<String> froms = text.lines().filter(l -> l.startsWith("FROM ")).toList();
            assertFalse(froms.isEmpty(), f.toString());
            for (String from : froms) {
                String ref = resolveArgs(from.split("\\s+")[1], text);
                assertTrue(DIGEST.matcher(ref).find(), f + ": base '" + ref + "' is not pinned by digest");
            }
        }
    }

    @Test
    void everyFileADockerfileDownloadsIsCheckedAgainstASha256() throws IOException {
        int downloads = 0;
        for (Path f : dockerfiles()) {
            for (String run : runInstructions(Files.readString(f))) {
                // a curl or wget command (not the package of that name in an apt-get install list)
                if (run.matches("(?s).*\\b(curl|wget)\\s+(-|\"|\\$|https?://).*")) {
                    downloads++;
                    assertTrue(run.matches("(?s).*\\bsha256sum -c\\b.*"), f + ": a download without a sha256 check:\n" + run);
                }
            }
            assertFalse(Files.readString(f).lines().anyMatch(l -> l.matches("ADD\\s+https?://.*") && !l.contains("--checksum=sha256:")),
                    f + ": ADD of a URL without --checksum");
        }
        assertTrue(downloads > 0, "the worker base downloads libtorch: the check above must have seen it");
    }

    @Test
    void theJibBaseImageIsPinnedByDigest() throws IOException {
        Matcher m = Pattern.compile("<quarkus.jib.base-jvm-image>([^<]+)</quarkus.jib.base-jvm-image>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find());
        assertTrue(DIGEST.matcher(m.group(1)).find(), m.group(1));
        assertFalse(m.group(1).contains(ZERO), "a third-party base carries its real digest");
    }

    @Test
    void theChecksAboveRejectATagAndAnUncheckedDownload() {
        assertFalse(DIGEST.matcher("registry.example.com/ponder/ponder-worker:0.1.0").find());
        assertEquals(1, runInstructions("FROM x\nRUN curl -fsSL $U -o /tmp/a \\\n && unzip /tmp/a\nUSER 1").size());
        assertEquals("img@sha256:" + ZERO, resolveArgs("img@${D}", "ARG D=sha256:" + ZERO + "\nFROM img@${D}"));
        assertEquals("ponder-worker", repositoryName("registry.example.com:5000/ponder/ponder-worker@sha256:" + ZERO));
    }

    static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> s = Files.walk(IMAGES)) {
            return s.filter(p -> p.getFileName().toString().equals("Dockerfile")).sorted().toList();
        }
    }

    /** The RUN instructions with their continuation lines joined. */
    static List<String> runInstructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : dockerfile.lines().toList()) {
            if (current == null && line.startsWith("RUN ")) {
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(line).append('\n');
                if (!line.endsWith("\\")) {
                    out.add(current.toString());
                    current = null;
                }
            }
        }
        return out;
    }

    /** Replaces ${NAME} with the default of {@code ARG NAME=...} in the Dockerfile. */
    static String resolveArgs(String ref, String dockerfile) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(ref);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher arg = Pattern.compile("(?m)^ARG " + m.group(1) + "=(\\S+)").matcher(dockerfile);
            m.appendReplacement(out, Matcher.quoteReplacement(arg.find() ? arg.group(1) : m.group()));
        }
        return m.appendTail(out).toString();
    }

    static String repositoryName(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        return name.substring(name.lastIndexOf('/') + 1);
    }
}

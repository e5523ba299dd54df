package dev.ponder.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization under {@code k8s/} with {@code kubectl kustomize}, the same renderer that
 * {@code kubectl apply -k} uses. A missing kubectl is a failure, never a skipped test: the manifests
 * are only checked if they are rendered.
 */
final class Kustomize {

    /** The k8s/ folder of this checkout (Maven runs tests in the project's base directory). */
    static final Path K8S = Path.of("../k8s").toAbsolutePath().normalize();

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The multi-document YAML of {@code k8s/<relativeDir>}, rendered once per test run. */
    static String render(String relativeDir) {
        return RENDERED.computeIfAbsent(relativeDir, dir -> render("kubectl", K8S.resolve(dir)));
    }

    /** Runs {@code <kubectl> kustomize <dir>} and returns its standard output. */
    static String render(String kubectl, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("no kustomization folder " + dir);
        }
        Process process;
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            process = new ProcessBuilder(List.of(kubectl, "kustomize", dir.toString()))
                    .redirectError(errors.toFile())
                    .start();
            // Read stdout fully before waiting, so a large rendering cannot block the pipe.
            String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(kubectl + " kustomize " + dir + " did not finish in 120 s");
            }
            String stderr = Files.readString(errors);
            Files.deleteIfExists(errors);
            if (process.exitValue() != 0) {
                throw new AssertionError(kubectl + " kustomize " + dir + " failed (exit " + process.exitValue()
                        + "):\n" + stderr);
            }
            return yaml;
        } catch (IOException e) {
            throw new AssertionError("'" + kubectl + "' could not be run (" + e.getMessage() + "). The k8s/ tests need"
                    + " kubectl with its built-in kustomize on the PATH (Debian: apt-get install kubectl from the"
                    + " Kubernetes apt repository, or any kubectl >= 1.27).", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        }
    }
}

package dev.ponder.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ponder.cluster.Frame;
import dev.ponder.http.Json;
import dev.ponder.reason.Message;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control plane is built without the model runtime, and its protocol frames survive the wire. */
class ClassPathTest {

    @Test
    void noModelRuntimeOnTheClassPath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        assertTrue(entries.size() > 10, "a real class path: " + entries);
        for (String e : entries) {
            String name = e.toLowerCase();
            assertFalse(name.contains("djl") || name.contains("pytorch") || name.contains("tokenizers")
                    || name.contains("jinjava"), "model runtime on the control plane's class path: " + e);
        }
        for (String c : List.of("ai.djl.ndarray.NDArray", "ai.djl.pytorch.engine.PtEngine",
                "dev.ponder.engine.Engine", "dev.ponder.model.Transformer", "dev.ponder.local.LocalBackend",
                "dev.ponder.worker.WorkerSocket")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(c), c + " must not be loadable");
        }
    }

    @Test
    void framesRoundTripThroughJson() throws Exception {
        var sampling = new Frame.WireSampling(0.7, -3L, 64, 512, "\n");
        List<Frame> frames = List.of(
                new Frame.Open(List.of(new Message("user", "Use 4 9 10 13 to make 24.")), 256),
                new Frame.Propose(1, new int[] {0, 3}, 4, sampling),
                new Frame.SelfCheck(2, List.of(new int[] {0}, new int[] {0, 3})),
                new Frame.CheckAnswers(4, List.of("(10 - 4) * (13 - 9)", "24")),
                new Frame.Complete(3, new int[] {}, sampling),
                new Frame.Cancel(3),
                new Frame.Release(new int[] {0, 3}),
                new Frame.Opened("ponder-tiny", "<s>user ...", 41, 256, "\n"),
                new Frame.Opened("ponder-tiny", "<s>user ...", 41, 256, "\n", true),
                new Frame.Steps(1, List.of(new Frame.WireStep(7, "13 - 9 = 4 (left: 4 4 10)\n", new int[] {5, 6},
                        -0.1234567890123, false, null))),
                new Frame.Scores(2, List.of(0.25, 0.9999999999)),
                new Frame.Failed(null, dev.ponder.http.ProblemDetail.unavailable("loading")));
        for (Frame f : frames) {
            String json = Json.write(f);
            Frame back = Json.bind(Json.tree(json), Frame.class);
            assertEquals(f.getClass(), back.getClass(), json);
            assertEquals(json, Json.write(back), "the same frame after a round trip");
        }
        assertTrue(Json.write(frames.get(1)).contains("\"type\":\"propose\""), Json.write(frames.get(1)));
        var step = ((Frame.Steps) frames.get(9)).steps().get(0);
        assertEquals(step.step(), ((Frame.Steps) Json.bind(Json.tree(Json.write(frames.get(9))), Frame.class))
                .steps().get(0).step(), "a step, log-probability included, is the same step after the wire");
    }
}

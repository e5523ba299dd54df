package dev.ponder.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void lineHasTheBarTheCountTheDetailsAndTheTimes() {
        assertEquals("[######..................] 25/100 | loss 1.2346 | 0m05s elapsed, 1h01m left",
                ProgressBar.line(null, 25, 100, "loss 1.2346", 5.4, 3690));
        assertEquals("beam@8                 [########################] 8/8 | 0m12s elapsed, 0m00s left",
                ProgressBar.line("beam@8", 8, 8, null, 12, 0));
        assertEquals("[########################] 0/0 | 0m00s elapsed, 0m00s left", ProgressBar.line(null, 0, 0, "", 0, 0));
    }

    @Test
    void timeLeftGoesAtTheAverageRate() {
        assertEquals(0, ProgressBar.leftAtAverageRate(10, 0, 10));
        assertEquals(30, ProgressBar.leftAtAverageRate(10, 1, 4), 1e-9);
        assertEquals(0, ProgressBar.leftAtAverageRate(10, 4, 4));
        assertEquals("0m59s", ProgressBar.hms(59));
        assertEquals("12m30s", ProgressBar.hms(750));
        assertEquals("2h05m", ProgressBar.hms(7500));
    }

    @Test
    void onATerminalTheLineIsRedrawnAndKeptWhenAskedOrDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 10);
        bar.update(null, 1, 3, null, 1, 2, false);
        bar.update(null, 2, 3, null, 2, 1, true);
        bar.update(null, 3, 3, null, 3, 0, false);
        assertEquals("\r" + ProgressBar.line(null, 1, 3, null, 1, 2)
                + "\r" + ProgressBar.line(null, 2, 3, null, 2, 1) + "\n"
                + "\r" + ProgressBar.line(null, 3, 3, null, 3, 0) + "\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void elsewhereAFullLineEveryNKeptLinesAndTheLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 2);
        for (int done = 1; done <= 5; done++) {
            bar.update("x", done, 5, null, done, 5 - done, done == 1);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);   // 1 (kept), 2, 4 (every 2), 5 (the last)
        assertEquals(ProgressBar.line("x", 1, 5, null, 1, 4), lines[0]);
        assertEquals(ProgressBar.line("x", 2, 5, null, 2, 3), lines[1]);
        assertEquals(ProgressBar.line("x", 4, 5, null, 4, 1), lines[2]);
        assertEquals(ProgressBar.line("x", 5, 5, null, 5, 0), lines[3]);
    }
}

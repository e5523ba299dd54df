package dev.ponder.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared chart: XChart underneath, log axes when asked, one size and palette, PNG out. */
class ChartTest {

    @TempDir
    Path tmp;

    @Test
    void writesAPngOfTheSharedSizeWithTheSeriesAndReferencesDrawn() throws Exception {
        Path png = tmp.resolve("sub/chart.png");
        new Chart("t", "x", "y", true)
                .add(new Chart.Series("a", List.of(new double[] {1, 0.1}, new double[] {64, 0.4})))
                .reference("anchor", 0.74)
                .write(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Chart.WIDTH, image.getWidth());
        assertEquals(Chart.HEIGHT, image.getHeight());
        boolean seriesColour = false;
        for (int x = 0; x < image.getWidth() && !seriesColour; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xffffff) == Chart.PALETTE[0].getRGB() - 0xff000000) {
                    seriesColour = true;
                    break;
                }
            }
        }
        assertTrue(seriesColour, "the first series is drawn in the palette's first colour");
    }

    @Test
    void logAxesAreSetOnTheXChartStyler() {
        var chart = new Chart("t", "x", "y", true).logY()
                .add(new Chart.Series("a", List.of(new double[] {1, 10}, new double[] {1000, 100000}))).build();
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        var linear = new Chart("t", "x", "y", false).add(new Chart.Series("a", List.of(new double[] {0, 0}))).build();
        assertFalse(linear.getStyler().isXAxisLogarithmic());
        assertEquals(0.0, linear.getStyler().getYAxisMin());
    }

    @Test
    void tickNumbersArePlain() {
        assertEquals("1", Chart.plainNumber(1));
        assertEquals("1,000", Chart.plainNumber(1000));
        assertEquals("2.5", Chart.plainNumber(2.5));
    }
}

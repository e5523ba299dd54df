package dev.ponder.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A small line chart written as PNG with java.awt (headless): log-scale x, linear y, a legend, reference lines. */
public final class LinePlot {

    public record Series(String name, List<double[]> points) {
    }

    public record Reference(String name, double y) {
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private double yMin = 0;
    private double yMax = 1;
    private java.util.function.DoubleFunction<String> yFormat = y -> String.format(Locale.ROOT, "%.0f%%", y * 100);

    public LinePlot(String title, String xLabel, String yLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
    }

    public LinePlot add(Series s) {
        series.add(s);
        return this;
    }

    public LinePlot reference(String name, double y) {
        references.add(new Reference(name, y));
        return this;
    }

    public LinePlot yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** How y tick labels read (default: a fraction as a percentage). */
    public LinePlot yFormat(java.util.function.DoubleFunction<String> format) {
        yFormat = format;
        return this;
    }

    public void write(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 900;
        int h = 560;
        int left = 80;
        int right = 220;
        int top = 50;
        int bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMin = Math.min(xMin, tx(p[0]));
                xMax = Math.max(xMax, tx(p[0]));
            }
        }
        if (xMin == xMax) {
            xMin -= 1;
            xMax += 1;
        }
        double pad = (xMax - xMin) * 0.04;
        xMin -= pad;
        xMax += pad;
        int pw = w - left - right;
        int ph = h - top - bottom;
        // axes, grid and ticks
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double y = yMin + (yMax - yMin) * i / 5;
            int py = top + ph - (int) (ph * (y - yMin) / (yMax - yMin));
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left, py, left + pw, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(yFormat.apply(y), left - 45, py + 4);
        }
        for (double x : ticks(xMin, xMax)) {
            int px = left + (int) (pw * (tx(x) - xMin) / (xMax - xMin));
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, top, px, top + ph);
            g.setColor(Color.DARK_GRAY);
            String label = x >= 1000 && x % 1000 == 0 ? String.format(Locale.ROOT, "%.0fk", x / 1000)
                    : x >= 1000 ? String.format(Locale.ROOT, "%.1fk", x / 1000) : String.format(Locale.ROOT, "%.0f", x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, top + ph + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, top - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(xLabel, left + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, h - 25);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yLabel, -(top + ph / 2) - g.getFontMetrics().stringWidth(yLabel) / 2, 22);
        gy.dispose();
        // reference lines
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        int ly = top + 10;
        for (Reference r : references) {
            int py = top + ph - (int) (ph * (r.y() - yMin) / (yMax - yMin));
            g.setColor(Color.GRAY);
            g.drawLine(left, py, left + pw, py);
            g.drawString(r.name(), left + pw - g.getFontMetrics().stringWidth(r.name()) - 4, py - 4);
        }
        // series
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color c = PALETTE[i % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2.2f));
            int[] xs = new int[s.points().size()];
            int[] ys = new int[s.points().size()];
            for (int j = 0; j < xs.length; j++) {
                double[] p = s.points().get(j);
                xs[j] = left + (int) (pw * (tx(p[0]) - xMin) / (xMax - xMin));
                ys[j] = top + ph - (int) (ph * (p[1] - yMin) / (yMax - yMin));
            }
            g.drawPolyline(xs, ys, xs.length);
            if (xs.length <= 40) {   // markers only where points are few enough to read
                for (int j = 0; j < xs.length; j++) {
                    g.fillOval(xs[j] - 4, ys[j] - 4, 8, 8);
                }
            }
            g.fillRect(left + pw + 20, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), left + pw + 44, ly - 3);
            ly += 22;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private double tx(double x) {
        return logX ? Math.log(Math.max(x, 1e-9)) / Math.log(2) : x;
    }

    private List<Double> ticks(double min, double max) {
        List<Double> out = new ArrayList<>();
        if (logX) {
            for (int e = (int) Math.ceil(min); e <= Math.floor(max); e++) {
                out.add(Math.pow(2, e));
            }
            if (out.size() > 10) {
                List<Double> thin = new ArrayList<>();
                for (int i = 0; i < out.size(); i += 2) {
                    thin.add(out.get(i));
                }
                return thin;
            }
        } else {
            // round steps of 1, 2 or 5 times a power of ten
            double raw = (max - min) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 2 ? mag : raw / mag < 5 ? 2 * mag : 5 * mag;
            for (double x = Math.ceil(min / step) * step; x <= max; x += step) {
                out.add(Math.abs(x) < step * 1e-9 ? 0.0 : x);   // no "-0" label
            }
        }
        return out;
    }
}

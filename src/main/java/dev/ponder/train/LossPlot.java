package dev.ponder.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws the loss curve of a history.csv (train loss per step, validation loss per evaluation) as a PNG, headless. */
public final class LossPlot {

    private LossPlot() {
    }

    public static void write(Path historyCsv, Path png, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<double[]> train = new ArrayList<>();
        List<double[]> val = new ArrayList<>();
        List<String> lines = Files.readAllLines(historyCsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            train.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
            if (!f[2].isEmpty()) {
                val.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[2])});
            }
        }
        int w = 800;
        int h = 480;
        int left = 60;
        int right = 20;
        int top = 40;
        int bottom = 50;
        double maxStep = train.get(train.size() - 1)[0];
        double maxLoss = Math.ceil(train.stream().mapToDouble(p -> p[1]).max().orElse(1));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // axes and grid: loss on a linear scale from 0 to the largest train loss
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 5; i++) {
            int y = top + (h - top - bottom) * i / 5;
            g.drawLine(left, y, w - right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.1f", maxLoss * (5 - i) / 5), 20, y + 4);
            g.setColor(new Color(230, 230, 230));
        }
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 4; i++) {
            int x = left + (w - left - right) * i / 4;
            g.drawString(String.valueOf(Math.round(maxStep * i / 4)), x - 10, h - bottom + 18);
        }
        g.drawLine(left, h - bottom, w - right, h - bottom);
        g.drawLine(left, top, left, h - bottom);
        g.drawString("step", w / 2, h - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        plot(g, train, new Color(70, 120, 200, 150), 1f, maxStep, maxLoss, left, right, top, bottom, w, h);
        plot(g, val, new Color(220, 80, 40), 2.5f, maxStep, maxLoss, left, right, top, bottom, w, h);
        g.setColor(new Color(70, 120, 200));
        g.drawString("train loss (per step)", w - 200, top + 16);
        g.setColor(new Color(220, 80, 40));
        g.drawString("validation loss", w - 200, top + 32);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void plot(Graphics2D g, List<double[]> pts, Color c, float width, double maxX, double maxY,
                             int left, int right, int top, int bottom, int w, int h) {
        g.setColor(c);
        g.setStroke(new BasicStroke(width));
        int[] xs = new int[pts.size()];
        int[] ys = new int[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xs[i] = left + (int) Math.round((w - left - right) * pts.get(i)[0] / maxX);
            ys[i] = top + (int) Math.round((h - top - bottom) * (1 - Math.min(pts.get(i)[1], maxY) / maxY));
        }
        g.drawPolyline(xs, ys, pts.size());
    }

    /** {@code LossPlot <history.csv> <out.png> [title]}. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? args[2] : "ponder-tiny training loss");
    }
}

package dev.ponder.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart drawn by XChart and written as PNG (headless), with one look for every chart the project commits:
 * training loss, eval accuracy, benchmark and load curves. Linear axes get XChart's round ticks; a logarithmic
 * axis (for quantities that span decades: search budgets, tokens) is labelled at its decades. Reference lines
 * are dashed and named in the legend.
 */
public final class Chart {

    public record Series(String name, List<double[]> points) {
    }

    public record Reference(String name, double y) {
    }

    static final int WIDTH = 1060;
    static final int HEIGHT = 560;
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf)};
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private boolean logY;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private Double yMin = 0.0;
    private Double yMax = 1.0;
    private DoubleFunction<String> yFormat = y -> String.format(Locale.ROOT, "%.0f%%", y * 100);

    public Chart(String title, String xLabel, String yLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    public Chart reference(String name, double y) {
        references.add(new Reference(name, y));
        return this;
    }

    public Chart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** A logarithmic y axis over the data (for a quantity spanning decades); drops the fixed y range. */
    public Chart logY() {
        logY = true;
        yMin = null;
        yMax = null;
        return this;
    }

    public Chart yFormat(DoubleFunction<String> format) {
        yFormat = format;
        return this;
    }

    /** The XChart chart, styled; {@link #write} renders it. */
    XYChart build() {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.GRAY);
        st.setPlotGridLinesColor(new Color(0xe0e0e0));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendLayout(Styler.LegendLayout.Vertical);
        st.setLegendBorderColor(new Color(0xc0c0c0));
        st.setSeriesColors(PALETTE);
        st.setMarkerSize(5);
        st.setAntiAlias(true);
        st.setXAxisLogarithmic(logX);
        st.setYAxisLogarithmic(logY);
        st.setYAxisMin(yMin);
        st.setYAxisMax(yMax);
        st.setYAxisTickLabelsFormattingFunction(yFormat::apply);
        st.setXAxisTickLabelsFormattingFunction(Chart::plainNumber);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        int i = 0;
        for (Series s : series) {
            double[] x = s.points().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = s.points().stream().mapToDouble(p -> p[1]).toArray();
            for (double v : x) {
                xMin = Math.min(xMin, v);
                xMax = Math.max(xMax, v);
            }
            XYSeries xy = chart.addSeries(s.name(), x, y);
            xy.setLineColor(PALETTE[i % PALETTE.length]);
            xy.setMarkerColor(PALETTE[i % PALETTE.length]);
            xy.setMarker(x.length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            xy.setLineWidth(2f);
            i++;
        }
        for (Reference r : references) {
            XYSeries line = chart.addSeries(r.name(), new double[] {xMin, xMax}, new double[] {r.y(), r.y()});
            line.setLineColor(Color.DARK_GRAY);
            line.setLineStyle(DASHED);
            line.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    public void write(Path png) throws IOException {
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        String name = png.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(build(), base, BitmapEncoder.BitmapFormat.PNG);
    }

    /** 1, 2.5, 1000, 1e6 as 1, 2.5, 1,000, 1,000,000: no trailing zeros, thousands grouped. */
    static String plainNumber(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
    }
}

package org.opforge.cli.bench;

import org.opforge.api.io.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.opforge.api.training.EpochReport;
import org.opforge.tensor.Tensor;

/**
 * The report's PNG plots, drawn with XChart off screen: loss curves, predicted / true / error
 * fields of test samples (heat maps for 2-D fields, lines for 1-D), and error against resolution.
 * Every file is written atomically.
 */
public final class Plots {
    static {
        // no display on benchmark machines; must be set before the first AWT class loads
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] FIELD = {new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140),
        new Color(94, 201, 98), new Color(253, 231, 37)};
    private static final Color[] ERROR = {new Color(33, 102, 172), new Color(247, 247, 247), new Color(178, 24, 43)};
    /** Largest grid drawn per axis; finer fields are strided down for the picture. */
    private static final int MAX_CELLS = 64;

    static {
        // ImageIO would buffer each PNG in a temporary file, which a signal during the write leaves behind
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Plots() {}

    /**
     * Training and validation loss per epoch, and the model's further validation measures
     * ({@link EpochReport#metrics()}, e.g. DGNO's {@code input_relative_l2}), on a log axis.
     *
     * @return false when there is nothing positive and finite to draw
     */
    public static boolean loss(List<EpochReport> history, String title, Path png) {
        Map<String, List<double[]>> series = new java.util.LinkedHashMap<>();
        for (EpochReport r : history) {
            point(series, "train", r.epoch(), r.trainLoss());
            point(series, "validation", r.epoch(), r.validationLoss());
            r.metrics().forEach((k, v) -> point(series, "validation " + k, r.epoch(), v));
        }
        if (series.isEmpty()) return false;
        XYChart c = new XYChartBuilder().width(560).height(360).title(title).xAxisTitle("epoch").yAxisTitle("loss").build();
        style(c);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
        }
        c.getStyler().setYAxisLogarithmic(hi / lo > 10);
        series.forEach((name, s) -> c.addSeries(name, s.stream().mapToDouble(p -> p[0]).toArray(), s.stream().mapToDouble(p -> p[1]).toArray())
                .setMarker(s.size() > 40 ? SeriesMarkers.NONE : name.equals("train") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND));
        save(c, png);
        return true;
    }

    /** Adds (epoch, value) to the named series when the value is positive and finite (a log axis can draw it). */
    private static void point(Map<String, List<double[]>> series, String name, int epoch, double value) {
        if (Double.isFinite(value) && value > 0) series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {epoch, value});
    }

    /**
     * One row per test sample: true field, predicted field, error (predicted - true). Fields with
     * more than two grid axes show their last 2-D slice (the final time step, the last channel).
     *
     * @return false when the evaluation kept no samples
     */
    static boolean fields(Tensor predicted, Tensor truth, String title, Path png) {
        if (predicted == null || truth == null || predicted.size(0) == 0) return false;
        int k = predicted.size(0);
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double[][] p = slice2d(predicted, i), y = slice2d(truth, i);
            double[][] e = new double[p.length][p[0].length];
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, emax = 0;
            for (int r = 0; r < p.length; r++) {
                for (int c = 0; c < p[0].length; c++) {
                    e[r][c] = p[r][c] - y[r][c];
                    lo = Math.min(lo, Math.min(p[r][c], y[r][c]));
                    hi = Math.max(hi, Math.max(p[r][c], y[r][c]));
                    emax = Math.max(emax, Math.abs(e[r][c]));
                }
            }
            if (!(hi > lo)) hi = lo + 1e-12;
            if (!(emax > 0)) emax = 1e-12;
            String s = "sample " + i + ": ";
            if (p.length == 1) {
                charts.add(line(s + "true and predicted", y[0], p[0]));
                charts.add(line(s + "error", e[0], null));
            } else {
                // one colour scale for true and predicted; the error's is symmetric about zero
                String range = String.format(Locale.ROOT, " [%.3g, %.3g]", lo, hi);
                charts.add(heat(s + "true" + range, y, lo, hi, FIELD));
                charts.add(heat(s + "predicted" + range, p, lo, hi, FIELD));
                charts.add(heat(s + String.format(Locale.ROOT, "error [%.2g, %.2g]", -emax, emax), e, -emax, emax, ERROR));
            }
        }
        int cols = truthRank(truth) == 1 ? 2 : 3;
        AtomicFiles.writeStream(png, out -> BitmapEncoder.saveBitmap(charts, k, cols, out, BitmapEncoder.BitmapFormat.PNG));
        return true;
    }

    /**
     * One series per operator: a metric against points per side of the test grid.
     *
     * @param series operator label -> (points -> metric value), values need not be positive
     */
    static boolean resolution(String title, String metric, Map<String, SortedMap<Integer, Double>> series, Path png) {
        boolean positive = true, any = false;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (SortedMap<Integer, Double> s : series.values()) {
            for (double v : s.values()) {
                any = true;
                positive &= v > 0;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!any) return false;
        XYChart c = new XYChartBuilder().width(640).height(360).title(title).xAxisTitle("points per side of the test grid")
                .yAxisTitle(metric).build();
        style(c);
        // beside the plot: inside it the legend hides the points at the highest error
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        // a log axis only labels decades: use it when the values span more than one
        c.getStyler().setYAxisLogarithmic(positive && hi / lo > 10);
        for (Map.Entry<String, SortedMap<Integer, Double>> e : series.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            e.getValue().forEach((k, v) -> { x.add((double) k); y.add(v); });
            XYSeries s = c.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        save(c, png);
        return true;
    }

    private static int truthRank(Tensor t) {
        return t.dim() - 1 == 1 ? 1 : 2;
    }

    /** Sample {@code i} as rows x columns; a 1-D field is one row. Leading grid axes take their last index. */
    private static double[][] slice2d(Tensor t, int i) {
        Tensor s = t.slice(0, i, i + 1);
        while (s.dim() > 3) s = s.slice(1, s.size(1) - 1, s.size(1)).squeeze(1);
        int rows = s.dim() == 3 ? s.size(1) : 1;
        int cols = s.size(s.dim() - 1);
        double[] v = s.mul(1.0).toDoubleArray();
        int rs = Math.max(1, (rows + MAX_CELLS - 1) / MAX_CELLS), cs = Math.max(1, (cols + MAX_CELLS - 1) / MAX_CELLS);
        if (rows == 1) cs = 1;
        double[][] out = new double[(rows + rs - 1) / rs][(cols + cs - 1) / cs];
        for (int r = 0; r < out.length; r++) {
            for (int c = 0; c < out[0].length; c++) out[r][c] = v[r * rs * cols + c * cs];
        }
        return out;
    }

    private static HeatMapChart heat(String title, double[][] v, double lo, double hi, Color[] colors) {
        HeatMapChart c = new HeatMapChartBuilder().width(340).height(340).title(title).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        c.getStyler().setRangeColors(colors);
        c.getStyler().setMin(lo);
        c.getStyler().setMax(hi);
        c.getStyler().setPiecewise(false);
        c.getStyler().setShowValue(false);
        c.getStyler().setDrawBorder(false);
        c.getStyler().setXAxisTicksVisible(false);
        c.getStyler().setYAxisTicksVisible(false);
        c.getStyler().setAxisTitlesVisible(false);
        // the colour range is in the title: XChart's heat-map legend takes a third of the width
        c.getStyler().setLegendVisible(false);
        int rows = v.length, cols = v[0].length;
        List<Integer> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int j = 0; j < cols; j++) xs.add(j);
        for (int i = 0; i < rows; i++) ys.add(i);
        List<Number[]> data = new ArrayList<>(rows * cols);
        // row 0 at the top, as arrays print
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) data.add(new Number[] {j, rows - 1 - i, v[i][j]});
        c.addSeries(title, xs, ys, data);
        return c;
    }

    private static XYChart line(String title, double[] a, double[] b) {
        XYChart c = new XYChartBuilder().width(540).height(320).title(title).xAxisTitle("grid point").build();
        style(c);
        double[] x = new double[a.length];
        for (int i = 0; i < x.length; i++) x[i] = i;
        c.addSeries(b == null ? "predicted - true" : "true", x, a).setMarker(SeriesMarkers.NONE);
        if (b != null) c.addSeries("predicted", x, b).setMarker(SeriesMarkers.NONE);
        return c;
    }

    private static void style(XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        c.getStyler().setXAxisDecimalPattern("#");
        // fewer, wider-spaced ticks: integer epochs and grid indices otherwise crowd the axis
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        c.getStyler().setYAxisDecimalPattern("0.0##E0");
    }

    private static void save(Chart<?, ?> chart, Path png) {
        AtomicFiles.writeStream(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}

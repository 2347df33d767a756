package dev.moe.runtime.report;

import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.ModelResult;
import dev.moe.runtime.evaluation.Calibration;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The report's charts, drawn by XChart and encoded as PNG. */
final class Charts {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;
    /** Small charts, two to a row on the page. */
    static final int SMALL_WIDTH = 370;

    static {
        // Reports are written on servers and in CI: never look for a display.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** @param repeats one has no spread: the title then does not promise one */
    static byte[] accuracy(List<ModelResult> results, int repeats) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(repeats > 1 ? "Test accuracy (mean ± std over " + repeats + " repeats)" : "Test accuracy (one repeat)")
                .xAxisTitle("model").yAxisTitle("accuracy").build();
        chart.getStyler().setLegendVisible(false);
        // Zoomed to the values (with a margin): on a 0-1 axis differences of 0.01-0.03 cannot be seen.
        double low = results.stream().mapToDouble(r -> r.accuracy() - r.std()).min().orElse(0);
        double high = results.stream().mapToDouble(r -> r.accuracy() + r.std()).max().orElse(1);
        double margin = Math.max(0.01, (high - low) * 0.15);
        chart.getStyler().setYAxisMin(Math.max(0.0, Math.floor((low - margin) * 100) / 100));
        chart.getStyler().setYAxisMax(Math.min(1.0, Math.ceil((high + margin) * 100) / 100));
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        // Points with whiskers, not bars: on an axis that does not start at 0 a bar's length would mislead.
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        chart.addSeries("accuracy", results.stream().map(ModelResult::model).toList(),
                results.stream().map(r -> (Number) r.accuracy()).toList(),
                results.stream().map(r -> (Number) r.std()).toList());
        return png(chart);
    }

    /** The mixture minus each model of {@code shown}, paired over the repeats, ± one standard error. */
    static byte[] pairedDifferences(List<EvaluationReport.Comparison> shown, int repeats) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT - 60)
                .title(repeats > 1 ? "Mixture minus model: accuracy, paired over repeats (± 1 s.e.; above 0: moe is better)"
                        : "Mixture minus model: accuracy on the same rows (one repeat, no s.e.; above 0: moe is better)")
                .xAxisTitle("compared with").yAxisTitle("moe − model accuracy").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(12f));
        chart.getStyler().setYAxisDecimalPattern("+0.000;-0.000");
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        double extent = shown.stream().mapToDouble(c -> Math.abs(c.accuracyDifference()) + c.accuracyStandardError()).max().orElse(0.01);
        extent = Math.max(0.01, extent * 1.15);
        chart.getStyler().setYAxisMin(-extent);
        chart.getStyler().setYAxisMax(extent);
        chart.addSeries("difference", shown.stream().map(c -> c.model() + (c.kind().equals("expert") ? " (best expert)" : "")).toList(),
                shown.stream().map(c -> (Number) c.accuracyDifference()).toList(),
                shown.stream().map(c -> (Number) c.accuracyStandardError()).toList());
        return png(chart);
    }

    /**
     * The heat map's colours, pale to mid blue: the counts are printed in black on every cell, and on the dark navy
     * it ended in before, the largest counts (the diagonal, the ones that matter) could hardly be read.
     */
    static final Color[] CONFUSION_COLOURS = {new Color(0xeaf2fb), new Color(0x9ecae1), new Color(0x4292c6)};

    static byte[] confusion(List<String> labels, int[][] counts, int repeats) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT + 120)
                .title(repeats > 1 ? "Mixture confusion matrix (summed over " + repeats + " repeats)" : "Mixture confusion matrix")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(false);
        // White for zero (cells with no count are left out), then pale to mid blue.
        chart.getStyler().setRangeColors(CONFUSION_COLOURS);
        chart.getStyler().setValueFontColor(Color.BLACK);
        // XChart draws the first y category at the bottom: the true labels are given bottom-up so that they read
        // top to bottom, and the diagonal runs from top left to bottom right.
        int n = labels.size();
        List<String> yLabels = new ArrayList<>(labels);
        java.util.Collections.reverse(yLabels);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                if (counts[t][p] != 0) {
                    cells.add(new Number[] {p, n - 1 - t, counts[t][p]});
                }
            }
        }
        if (cells.isEmpty()) {
            cells.add(new Number[] {0, n - 1, 0});
        }
        chart.addSeries("count", labels, yLabels, cells);
        return png(chart);
    }

    /**
     * With sparse routing, the share of rows routed to each expert beside its mean gate weight; with dense routing
     * (every row goes to every expert, so the share is always 1) only the mean gate weight.
     */
    static byte[] utilization(List<EvaluationReport.ExpertRouting> routing, double fairShare) {
        boolean dense = isDense(routing);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(dense ? "Mean gate weight per expert (dense routing: every row goes to every expert)"
                        : String.format(java.util.Locale.ROOT, "Expert utilization on the test rows (fair share k/E = %.2f)", fairShare))
                .xAxisTitle("expert").yAxisTitle(dense ? "mean gate weight" : "share").build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendVisible(!dense);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<String> experts = routing.stream().map(EvaluationReport.ExpertRouting::expert).toList();
        chart.addSeries("mean gate weight", experts, routing.stream().map(r -> (Number) r.meanWeight()).toList());
        if (!dense) {
            chart.addSeries("rows routed to it", experts, routing.stream().map(r -> (Number) r.share()).toList());
        }
        return png(chart);
    }

    /** Every expert got every row (share 1): routing was dense. */
    static boolean isDense(List<EvaluationReport.ExpertRouting> routing) {
        return !routing.isEmpty() && routing.stream().allMatch(r -> r.share() > 0.9999);
    }

    static byte[] gateWeights(Map<String, List<Float>> weights) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Distribution of gate weights per expert (first repeat's test rows)").xAxisTitle("gate weight").yAxisTitle("rows").build();
        // Side by side, not overlapped: translucent bars drawn over each other blur into one another.
        chart.getStyler().setOverlapped(false);
        // Short, level labels: rotated ones ran off the chart's left edge.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<String> bins = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            bins.add(String.format(java.util.Locale.ROOT, "%.1f–%.1f", b / 10.0, (b + 1) / 10.0));
        }
        for (Map.Entry<String, List<Float>> e : weights.entrySet()) {
            Histogram h = new Histogram(e.getValue(), 10, 0.0, 1.0);
            chart.addSeries(e.getKey(), bins, h.getyAxisData());
        }
        return png(chart);
    }

    /**
     * @param newtonSteps the product's fit, whose history is its Newton steps (exact, no epochs, no early stopping),
     *                    not a gate's epochs
     * @param denseWarmup the epochs routed densely before the strategy took over (marked: the loss jumps there), or 0
     */
    static byte[] loss(List<Double> lossPerEpoch, int bestEpoch, boolean newtonSteps, int denseWarmup) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(newtonSteps ? "Product's fit: loss per Newton step (first repeat)" : "Gate training loss (first repeat)")
                .xAxisTitle(newtonSteps ? "Newton steps taken (0: the start)" : "epoch").yAxisTitle("mixture negative log-likelihood").build();
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        // Round epoch ticks (1, 2 or 5 times a power of ten, about eight of them) on an axis from 0: XChart's own
        // ticks for integer data ran together into one string of digits.
        int epochs = Math.max(1, lossPerEpoch.size());
        double step = niceStep(epochs / 8.0);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.ceil(epochs / step) * step);
        chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(40, (WIDTH - 120) / 9));
        chart.getStyler().setXAxisDecimalPattern("#0");
        double[] x = new double[lossPerEpoch.size()];
        double[] y = new double[lossPerEpoch.size()];
        // A gate's loss is recorded after each epoch (1, 2, ...); the product's at its start and after each step (0, 1, ...).
        int first = newtonSteps ? 0 : 1;
        for (int i = 0; i < x.length; i++) {
            x[i] = i + first;
            y[i] = lossPerEpoch.get(i);
        }
        XYSeries training = chart.addSeries("training loss", x.length == 0 ? new double[] {0} : x, y.length == 0 ? new double[] {0} : y);
        training.setMarker(SeriesMarkers.NONE);
        // XChart puts the ticks of equally spaced x values (epochs 1, 2, 3...) at every n-th value, which gave
        // 1, 14, 27... and, with more epochs, labels that ran into each other. One invisible point between two
        // epochs makes it use its round-number ticks instead.
        XYSeries spacer = chart.addSeries(" ", new double[] {0.5}, new double[] {y.length == 0 ? 0 : y[0]});
        spacer.setMarker(SeriesMarkers.NONE);
        spacer.setLineStyle(SeriesLines.NONE);
        spacer.setShowInLegend(false);
        if (denseWarmup > 0 && denseWarmup < y.length) {
            double low = java.util.Arrays.stream(y).min().orElse(0);
            double high = java.util.Arrays.stream(y).max().orElse(1);
            XYSeries warmup = chart.addSeries("dense warm-up ends (epoch " + denseWarmup + ")",
                    new double[] {denseWarmup + 0.5, denseWarmup + 0.5}, new double[] {low, high});
            warmup.setMarker(SeriesMarkers.NONE);
            warmup.setLineStyle(SeriesLines.DASH_DASH);
            warmup.setLineColor(Color.GRAY);
        }
        if (bestEpoch >= 1 && bestEpoch <= y.length) {
            XYSeries best = chart.addSeries(newtonSteps ? "the fit (after " + (bestEpoch - 1) + " steps)" : "epoch kept (" + bestEpoch + ")",
                    new double[] {bestEpoch - 1 + first}, new double[] {y[bestEpoch - 1]});
            best.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            best.setMarker(SeriesMarkers.DIAMOND);
            best.setMarkerColor(Color.RED);
        }
        return png(chart);
    }

    /**
     * One model's reliability diagram: per confidence bin, its mean confidence against how often it was right there,
     * each point labelled with its rows; the diagonal is a perfectly calibrated model.
     */
    static byte[] reliability(String model, Calibration calibration) {
        XYChart chart = new XYChartBuilder().width(SMALL_WIDTH).height(SMALL_WIDTH)
                .title(String.format(java.util.Locale.ROOT, "%s (ECE %.3f)", model, calibration.expectedCalibrationError()))
                .xAxisTitle("confidence (probability of its answer)").yAxisTitle("accuracy").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        XYSeries diagonal = chart.addSeries("calibrated", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineStyle(SeriesLines.DASH_DASH);
        diagonal.setLineColor(Color.GRAY);
        List<Calibration.Bin> bins = calibration.bins();
        double[] x = bins.stream().mapToDouble(Calibration.Bin::meanConfidence).toArray();
        double[] y = bins.stream().mapToDouble(Calibration.Bin::accuracy).toArray();
        XYSeries points = chart.addSeries(model, x.length == 0 ? new double[] {0} : x, y.length == 0 ? new double[] {0} : y);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setLineColor(new Color(0x2171b5));
        points.setMarkerColor(new Color(0x2171b5));
        for (Calibration.Bin bin : bins) {
            // The rows behind each point: a bin of 3 rows says little, one of 300 a lot.
            AnnotationText count = new AnnotationText(String.valueOf(bin.rows()), bin.meanConfidence(),
                    Math.min(0.97, bin.accuracy() + 0.05), false);
            chart.addAnnotation(count);
        }
        return png(chart);
    }

    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(1, raw))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

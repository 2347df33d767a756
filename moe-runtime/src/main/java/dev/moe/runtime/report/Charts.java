package dev.moe.runtime.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The report's charts, drawn by XChart and encoded as PNG. */
final class Charts {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;

    static {
        // Reports are written on servers and in CI: never look for a display.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static byte[] accuracy(List<ModelResult> results) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Test accuracy (mean ± std over repeats)")
                .xAxisTitle("model").yAxisTitle("accuracy").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.addSeries("accuracy", results.stream().map(ModelResult::model).toList(),
                results.stream().map(r -> (Number) r.accuracy()).toList(),
                results.stream().map(r -> (Number) r.std()).toList());
        return png(chart);
    }

    static byte[] confusion(List<String> labels, int[][] counts) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT + 120)
                .title("Mixture confusion matrix (summed over repeats)").xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(false);
        // White for zero (cells with no count are left out), then pale to dark blue.
        chart.getStyler().setRangeColors(new Color[] {new Color(0xeaf2fb), new Color(0x6baed6), new Color(0x08306b)});
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
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        List<String> bins = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            bins.add(String.format(java.util.Locale.ROOT, "%.2f–%.2f", b / 10.0, (b + 1) / 10.0));
        }
        for (Map.Entry<String, List<Float>> e : weights.entrySet()) {
            Histogram h = new Histogram(e.getValue(), 10, 0.0, 1.0);
            chart.addSeries(e.getKey(), bins, h.getyAxisData());
        }
        return png(chart);
    }

    static byte[] loss(List<Double> lossPerEpoch) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Gate training loss (first repeat)")
                .xAxisTitle("epoch").yAxisTitle("mixture negative log-likelihood").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        double[] x = new double[lossPerEpoch.size()];
        double[] y = new double[lossPerEpoch.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = lossPerEpoch.get(i);
        }
        chart.addSeries("loss", x.length == 0 ? new double[] {0} : x, y.length == 0 ? new double[] {0} : y);
        return png(chart);
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

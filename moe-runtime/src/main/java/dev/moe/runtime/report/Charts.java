package dev.moe.runtime.report;

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
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < labels.size(); t++) {
            for (int p = 0; p < labels.size(); p++) {
                cells.add(new Number[] {p, t, counts[t][p]});
            }
        }
        chart.addSeries("count", labels, labels, cells);
        return png(chart);
    }

    static byte[] utilization(List<EvaluationReport.ExpertRouting> routing, double fairShare) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(java.util.Locale.ROOT, "Expert utilization on the test rows (fair share k/E = %.2f)", fairShare))
                .xAxisTitle("expert").yAxisTitle("share").build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<String> experts = routing.stream().map(EvaluationReport.ExpertRouting::expert).toList();
        chart.addSeries("mean gate weight", experts, routing.stream().map(r -> (Number) r.meanWeight()).toList());
        chart.addSeries("rows routed to it", experts, routing.stream().map(r -> (Number) r.share()).toList());
        return png(chart);
    }

    static byte[] gateWeights(Map<String, List<Float>> weights) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Distribution of gate weights per expert (first repeat's test rows)").xAxisTitle("gate weight").yAxisTitle("rows").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideN);
        for (Map.Entry<String, List<Float>> e : weights.entrySet()) {
            Histogram h = new Histogram(e.getValue(), 10, 0.0, 1.0);
            chart.addSeries(e.getKey(), h.getxAxisData(), h.getyAxisData());
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

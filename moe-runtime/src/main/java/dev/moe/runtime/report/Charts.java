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
        List<String> models = shortNames(results.stream().map(ModelResult::model).toList());
        int rotation = labelRotation(models, 20);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + labelDepth(models, rotation))
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
        chart.getStyler().setXAxisLabelRotation(rotation);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        // Points with whiskers, not bars: on an axis that does not start at 0 a bar's length would mislead.
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        chart.addSeries("accuracy", models,
                results.stream().map(r -> (Number) r.accuracy()).toList(),
                results.stream().map(r -> (Number) r.std()).toList());
        return png(chart);
    }

    /** The mixture minus each model of {@code shown}, paired over the repeats, ± one standard error. */
    static byte[] pairedDifferences(List<EvaluationReport.Comparison> shown, int repeats) {
        List<String> names = shortNames(shown.stream().map(EvaluationReport.Comparison::model).toList());
        List<String> compared = java.util.stream.IntStream.range(0, shown.size())
                .mapToObj(i -> names.get(i) + (shown.get(i).kind().equals("expert") ? " (best expert)" : "")).toList();
        int rotation = labelRotation(compared, 0);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT - 60 + labelDepth(compared, rotation))
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
        chart.getStyler().setXAxisLabelRotation(rotation);
        chart.addSeries("difference", compared,
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
        // Taller with many labels: 26 rows in 500 pixels left 15 pixels a row.
        int height = Math.max(HEIGHT + 120, 160 + 22 * labels.size());
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(height)
                .title(repeats > 1 ? "Mixture confusion matrix (summed over " + repeats + " repeats)" : "Mixture confusion matrix")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setXAxisLabelRotation(labelRotation(shortNames(labels), 20));
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(false);
        // White for zero (cells with no count are left out), then pale to mid blue.
        chart.getStyler().setRangeColors(CONFUSION_COLOURS);
        chart.getStyler().setValueFontColor(Color.BLACK);
        // Counts, not measures: "123", not "123.0" (the colour scale's ends).
        chart.getStyler().setHeatMapValueDecimalPattern("#0");
        int largest = java.util.Arrays.stream(counts).flatMapToInt(java.util.Arrays::stream).max().orElse(0);
        int longest = shortNames(labels).stream().mapToInt(String::length).max().orElse(1);
        chart.getStyler().setValueFont(valueFont(chart.getStyler().getValueFont(), String.valueOf(largest),
                (WIDTH - 200 - 8.0 * longest) / labels.size(), (height - 150.0) / labels.size()));
        // XChart draws the first y category at the bottom: the true labels are given bottom-up so that they read
        // top to bottom, and the diagonal runs from top left to bottom right.
        int n = labels.size();
        List<String> shown = shortNames(labels);
        List<String> yLabels = new ArrayList<>(shown);
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
        chart.addSeries("count", shown, yLabels, cells);
        return png(chart);
    }

    /**
     * {@code font} at the largest size (at most its own, at least 7) at which {@code text} fits a cell of about
     * {@code cellWidth} by {@code cellHeight} pixels: with 26 labels the confusion matrix's three-digit counts ran into
     * their neighbours.
     */
    static java.awt.Font valueFont(java.awt.Font font, String text, double cellWidth, double cellHeight) {
        java.awt.font.FontRenderContext context = new java.awt.font.FontRenderContext(null, true, true);
        java.awt.Font sized = font;
        for (float size = font.getSize2D(); size >= 7; size--) {
            sized = font.deriveFont(size);
            java.awt.geom.Rectangle2D bounds = sized.getStringBounds(text, context);
            if (bounds.getWidth() <= cellWidth - 4 && sized.getLineMetrics(text, context).getAscent() <= cellHeight - 2) {
                return sized;
            }
        }
        return sized;
    }

    /**
     * With sparse routing, the share of rows routed to each expert beside its mean gate weight; with dense routing
     * (every row goes to every expert, so the share is always 1) only the mean gate weight.
     */
    static byte[] utilization(List<EvaluationReport.ExpertRouting> routing, double fairShare) {
        boolean dense = isDense(routing);
        List<String> experts = shortNames(routing.stream().map(EvaluationReport.ExpertRouting::expert).toList());
        int rotation = labelRotation(experts, 0);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT + labelDepth(experts, rotation))
                .title(dense ? "Mean gate weight per expert (dense routing: every row goes to every expert)"
                        : String.format(java.util.Locale.ROOT, "Expert utilization on the test rows (fair share k/E = %.2f)", fairShare))
                .xAxisTitle("expert").yAxisTitle(dense ? "mean gate weight" : "share").build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendVisible(!dense);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(rotation);
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
        List<String> names = shortNames(new ArrayList<>(weights.keySet()));
        int i = 0;
        for (List<Float> expertWeights : weights.values()) {
            Histogram h = new Histogram(expertWeights, 10, 0.0, 1.0);
            chart.addSeries(names.get(i++), bins, h.getyAxisData());
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
                .xAxisTitle("confidence (probability of its answer)").yAxisTitle("accuracy").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.setTitle(titleWithin(model, String.format(java.util.Locale.ROOT, " (ECE %.3f)", calibration.expectedCalibrationError()),
                chart.getStyler().getChartTitleFont(), SMALL_WIDTH - 20));
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
        // XChart spaces the ticks by the x values when they are evenly spaced (the diagonal's 0 and 1 and one bin at 1.0
        // gave an axis with only "0.0" and "1.0"): one invisible point off that spacing keeps its round ticks.
        XYSeries spacer = chart.addSeries(" ", new double[] {0.013}, new double[] {0});
        spacer.setMarker(SeriesMarkers.NONE);
        spacer.setLineStyle(SeriesLines.NONE);
        // The rows behind each point (a bin of 3 rows says little, one of 300 a lot), each placed clear of the lines.
        List<double[]> at = countPositions(bins);
        for (int b = 0; b < bins.size(); b++) {
            chart.addAnnotation(new AnnotationText(String.valueOf(bins.get(b).rows()), at.get(b)[0], at.get(b)[1], false));
        }
        return png(chart);
    }

    /** A row count's size on the reliability diagram, in the axes' units (0-1 each way; the plot is about 290 px square). */
    static final double COUNT_HEIGHT = 0.05;
    static final double DIGIT_WIDTH = 0.026;
    /** A marker's half size, in the axes' units. */
    static final double MARKER = 0.017;

    /**
     * Where each bin's row count goes on the reliability diagram: the centre of its text, beside its point and clear,
     * where the plot allows, of the model's line, the diagonal, every point and every count already placed. A count
     * written just above its point (as before) sat on the line wherever the line rose steeply, and on its own point
     * at an accuracy of 1.
     */
    static List<double[]> countPositions(List<Calibration.Bin> bins) {
        List<java.awt.geom.Line2D> lines = new ArrayList<>();
        lines.add(new java.awt.geom.Line2D.Double(0, 0, 1, 1));
        List<java.awt.geom.Rectangle2D> taken = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            Calibration.Bin bin = bins.get(b);
            if (b > 0) {
                lines.add(new java.awt.geom.Line2D.Double(bins.get(b - 1).meanConfidence(), bins.get(b - 1).accuracy(),
                        bin.meanConfidence(), bin.accuracy()));
            }
            taken.add(new java.awt.geom.Rectangle2D.Double(bin.meanConfidence() - MARKER, bin.accuracy() - MARKER, 2 * MARKER, 2 * MARKER));
        }
        List<double[]> out = new ArrayList<>();
        for (Calibration.Bin bin : bins) {
            double w = DIGIT_WIDTH * String.valueOf(bin.rows()).length() + 0.01;
            double h = COUNT_HEIGHT;
            double dy = h / 2 + MARKER + 0.008;
            double dx = w / 2 + MARKER + 0.008;
            // Above, below, then to either side and the corners: the first one clear of everything wins.
            double[][] offsets = {{0, dy}, {0, -dy}, {-dx, 0}, {dx, 0}, {-dx, dy}, {dx, -dy}, {dx, dy}, {-dx, -dy}};
            double[] best = null;
            int bestClashes = Integer.MAX_VALUE;
            for (double[] o : offsets) {
                double x = bin.meanConfidence() + o[0];
                double y = bin.accuracy() + o[1];
                java.awt.geom.Rectangle2D box = new java.awt.geom.Rectangle2D.Double(x - w / 2, y - h / 2, w, h);
                if (box.getMinX() < -0.03 || box.getMaxX() > 1.03 || box.getMinY() < -0.03 || box.getMaxY() > 1.03) {
                    continue; // outside the plot
                }
                // Another count or a point hidden is worse than a line crossed.
                int clashes = 0;
                for (java.awt.geom.Rectangle2D r : taken) {
                    clashes += r.intersects(box) ? 10 : 0;
                }
                for (java.awt.geom.Line2D line : lines) {
                    clashes += line.intersects(box) ? 1 : 0;
                }
                if (clashes < bestClashes) {
                    best = new double[] {x, y};
                    bestClashes = clashes;
                }
                if (clashes == 0) {
                    break;
                }
            }
            out.add(best);
            taken.add(new java.awt.geom.Rectangle2D.Double(best[0] - w / 2, best[1] - h / 2, w, h));
        }
        return out;
    }

    /**
     * The angle for a category axis's labels: {@code usual} where each label has room beside the next, else 45
     * degrees, or 90 where even that is too tight. Ten 40-character expert ids written level ran into one string.
     */
    static int labelRotation(List<String> labels, int usual) {
        if (labels.isEmpty()) {
            return usual;
        }
        double room = (WIDTH - 120.0) / labels.size();
        double longest = labels.stream().mapToInt(String::length).max().orElse(0) * 7.5 + 12;
        // Level labels need their length across; sloped ones stand clear of each other by room * sin(angle), which must
        // hold a line of text (16 px).
        if (longest <= room || usual > 0 && room * Math.sin(Math.toRadians(usual)) >= 16) {
            return usual;
        }
        return room * Math.sin(Math.toRadians(45)) >= 16 ? 45 : 90;
    }

    /** How much taller a chart is made for labels at {@code rotation}: their slope's depth, so the plot keeps its height. */
    static int labelDepth(List<String> labels, int rotation) {
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        return rotation == 0 ? 0 : (int) Math.max(0, longest * 7.5 * Math.sin(Math.toRadians(rotation)) - 40);
    }

    /** The longest name a chart writes whole; the tables beside the charts give every name in full. */
    static final int NAME_WIDTH = 24;

    /**
     * Names as a chart's axis or legend writes them: one longer than {@link #NAME_WIDTH} characters loses its middle
     * ("expert-00-wi…forty-chars": ids differ at either end). A label of 68 characters squeezed the confusion matrix
     * into a corner and ran off the chart; 40-character expert ids ran off the left edge. Where two would then read
     * the same, all are left whole.
     */
    static List<String> shortNames(List<String> names) {
        List<String> out = names.stream().map(n -> n.length() <= NAME_WIDTH ? n
                : n.substring(0, NAME_WIDTH - 12) + "…" + n.substring(n.length() - 11)).toList();
        return new java.util.HashSet<>(out).size() == new java.util.HashSet<>(names).size() ? out : names;
    }

    /**
     * {@code name + suffix}, the name cut short with "…" where the whole would be wider than {@code width} pixels in
     * {@code font}: a 40-character expert id ran the reliability diagram's title, its ECE included, off the chart.
     */
    static String titleWithin(String name, String suffix, java.awt.Font font, int width) {
        java.awt.font.FontRenderContext context = new java.awt.font.FontRenderContext(null, true, true);
        String shown = name;
        while (font.getStringBounds(shown + suffix, context).getWidth() > width && shown.length() > 1) {
            shown = name.substring(0, shown.endsWith("…") ? shown.length() - 2 : shown.length() - 1) + "…";
        }
        return shown + suffix;
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

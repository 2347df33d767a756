package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.evaluation.Calibration;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartsTest {

    /**
     * The confusion matrix prints every count in black: on its darkest cell (the largest count, on the diagonal) the
     * figure must still read, at WCAG's 4.5:1 contrast for text. Measured on the picture, not on the palette's code.
     */
    @Test
    void theConfusionMatrixsCountsReadOnItsDarkestCell() throws Exception {
        byte[] png = Charts.confusion(List.of("build wind float", "build wind non-float", "headlamps"),
                new int[][] {{170, 35, 2}, {56, 160, 6}, {4, 10, 69}}, 10);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        // Each cell is one flat colour over thousands of pixels; text and its anti-aliasing are a few pixels a shade.
        Map<Integer, Integer> pixels = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16 & 0xff;
                int b = rgb & 0xff;
                if (b > r + 20) { // the blues of the heat map, not the greys and whites around it
                    pixels.merge(rgb, 1, Integer::sum);
                }
            }
        }
        double darkest = pixels.entrySet().stream().filter(e -> e.getValue() >= 1000).mapToDouble(e -> luminance(e.getKey()))
                .min().orElseThrow();
        double contrast = (darkest + 0.05) / 0.05; // against black text
        assertTrue(contrast >= 4.5, "black on the darkest cell has a contrast of " + contrast + ":1");
    }

    /** WCAG 2's relative luminance of an sRGB colour. */
    private static double luminance(int rgb) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = (rgb >> (16 - 8 * i) & 0xff) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /**
     * Each reliability diagram's row counts are clear of the model's line, the diagonal, every point and each other,
     * and inside the plot: on the calibrations of a glass run (a spike to 1.0, runs that rise with the diagonal, points
     * at 0 and 1, a single bin at confidence 1) where the counts, written just above each point, sat on the lines.
     */
    @Test
    void theReliabilityDiagramsCountsAreClearOfTheLinesPointsAndEachOther() {
        double[][][] models = {
            {{0.262, 0.0, 1}, {0.369, 1.0, 2}, {0.454, 0.167, 12}, {0.552, 0.467, 15}, {0.649, 0.556, 9}, {0.752, 0.636, 11},
                {0.861, 0.72, 25}, {0.951, 0.925, 53}},
            {{0.358, 0.0, 4}, {0.46, 0.357, 14}, {0.558, 0.5, 14}, {0.649, 0.5, 22}, {0.746, 0.8, 10}, {0.854, 0.812, 32},
                {0.957, 0.938, 32}},
            {{0.373, 1.0, 1}, {0.46, 0.444, 9}, {0.537, 0.222, 9}, {0.64, 0.625, 8}, {0.771, 0.455, 11}, {0.843, 0.667, 15},
                {0.969, 0.853, 75}},
            {{0.381, 0.25, 4}, {0.447, 0.25, 8}, {0.548, 0.4, 15}, {0.658, 0.833, 18}, {0.759, 0.438, 16}, {0.87, 0.824, 17},
                {0.955, 0.92, 5000}},
            {{0.27, 0.2, 35}, {0.355, 0.388, 103}, {0.45, 0.542, 107}, {0.544, 0.595, 111}, {0.644, 0.716, 67},
                {0.75, 0.861, 79}, {0.855, 0.807, 57}, {0.932, 0.943, 35}},
            {{1.0, 0.672, 128}},
        };
        for (double[][] model : models) {
            List<Calibration.Bin> bins = new ArrayList<>();
            for (double[] b : model) {
                bins.add(new Calibration.Bin(Math.floor(b[0] * 10) / 10, Math.floor(b[0] * 10) / 10 + 0.1, (int) b[2], b[0], b[1]));
            }
            List<double[]> at = Charts.countPositions(bins);
            assertEquals(bins.size(), at.size());
            List<Line2D> lines = new ArrayList<>(List.of(new Line2D.Double(0, 0, 1, 1)));
            List<Rectangle2D> boxes = new ArrayList<>();
            for (int i = 0; i < bins.size(); i++) {
                Calibration.Bin b = bins.get(i);
                if (i > 0) {
                    lines.add(new Line2D.Double(bins.get(i - 1).meanConfidence(), bins.get(i - 1).accuracy(), b.meanConfidence(), b.accuracy()));
                }
                boxes.add(new Rectangle2D.Double(b.meanConfidence() - Charts.MARKER, b.accuracy() - Charts.MARKER, 2 * Charts.MARKER,
                        2 * Charts.MARKER));
            }
            for (int i = 0; i < bins.size(); i++) {
                double w = Charts.DIGIT_WIDTH * String.valueOf(bins.get(i).rows()).length();
                Rectangle2D count = new Rectangle2D.Double(at.get(i)[0] - w / 2, at.get(i)[1] - Charts.COUNT_HEIGHT / 2, w,
                        Charts.COUNT_HEIGHT);
                String what = "count " + bins.get(i).rows() + " at " + at.get(i)[0] + ", " + at.get(i)[1];
                assertTrue(count.getMinX() >= -0.03 && count.getMaxX() <= 1.03 && count.getMinY() >= -0.03 && count.getMaxY() <= 1.03,
                        what + " is outside the plot");
                for (Line2D line : lines) {
                    assertTrue(!line.intersects(count), what + " lies on a line from " + line.getP1() + " to " + line.getP2());
                }
                for (Rectangle2D other : boxes) {
                    assertTrue(!other.intersects(count), what + " covers a point or another count");
                }
                boxes.add(count);
            }
        }
        // And drawn: a picture of the chart's size.
        byte[] png = Charts.reliability("moe", Calibration.of(new dev.moe.runtime.evaluation.Reliability(
                new int[] {0, 0, 1, 2, 12, 15, 9, 11, 25, 53}, new int[] {0, 0, 0, 2, 2, 7, 5, 7, 18, 49},
                new double[] {0, 0, 0.262, 0.738, 5.45, 8.28, 5.84, 8.27, 21.5, 50.4})));
        assertTrue(png.length > 5_000);
    }

    /** A reliability diagram's title keeps its ECE on the chart: a long model name is cut short, a short one left whole. */
    @Test
    void aLongModelNameIsCutShortInTheReliabilityTitleNotItsEce() {
        java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13);
        java.awt.font.FontRenderContext context = new java.awt.font.FontRenderContext(null, true, true);
        String title = Charts.titleWithin("logistic-regression-expert-with-a-long-id", " (ECE 0.123)", font, 350);
        assertTrue(title.startsWith("logistic-regression-") && title.endsWith("… (ECE 0.123)"), title);
        assertTrue(font.getStringBounds(title, context).getWidth() <= 350, title);
        assertTrue(font.getStringBounds(title.replace("…", "xx"), context).getWidth() > 350, "cut no shorter than it must be: " + title);
        assertEquals("moe (ECE 0.010)", Charts.titleWithin("moe", " (ECE 0.010)", font, 350));
    }

    /** Charts write a long name without its middle, at most 24 characters; short names, or names that would clash, whole. */
    @Test
    void chartsShortenLongNamesKeepingBothEnds() throws Exception {
        List<String> ids = List.of("expert-00-with-an-identifier-forty-chars", "expert-01-with-an-identifier-forty-chars", "knn");
        List<String> shown = Charts.shortNames(ids);
        assertEquals(List.of("expert-00-wi…forty-chars", "expert-01-wi…forty-chars", "knn"), shown);
        assertTrue(shown.stream().allMatch(n -> n.length() <= Charts.NAME_WIDTH), shown.toString());
        // These two differ only in their middle: shortened they would read as one.
        List<String> clash = List.of("a-very-long-name-that-differs-X-only-in-the-middle", "a-very-long-name-that-differs-Y-only-in-the-middle");
        assertEquals(clash, Charts.shortNames(clash));
        // The confusion matrix of labels of 68 characters keeps its plot: wider than it is tall, not squeezed into a corner.
        String long1 = "Iris virginica, the one with the really long descriptive label name";
        byte[] png = Charts.confusion(List.of("\"versicolor\" & friends", "<b>setosa</b>", long1),
                new int[][] {{43, 0, 0}, {0, 47, 0}, {4, 0, 41}}, 3);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        // The heat map's cells are its only blue pixels: the width of the blue region is the plot's.
        int left = image.getWidth();
        int right = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth() * 3 / 4; x++) { // the colour scale on the right left out
                int rgb = image.getRGB(x, y);
                if ((rgb & 0xff) > (rgb >> 16 & 0xff) + 20) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        assertTrue(right - left > image.getWidth() / 3, "the heat map is " + (right - left) + " px wide of " + image.getWidth());
    }

    /** With 26 labels each count fits its cell: the font shrinks until the largest count is narrower than a cell. */
    @Test
    void aConfusionMatrixOf26LabelsHasCountsThatFitTheirCells() throws Exception {
        java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 16);
        java.awt.font.FontRenderContext context = new java.awt.font.FontRenderContext(null, true, true);
        java.awt.Font small = Charts.valueFont(font, "123", 22, 20);
        assertTrue(small.getSize2D() < 16 && small.getStringBounds("123", context).getWidth() <= 18, "size " + small.getSize2D());
        assertEquals(16f, Charts.valueFont(font, "9", 60, 40).getSize2D(), "a cell with room keeps the font");
        // Drawn: 26 labels, counts up to 123, on a chart taller than the 500 pixels of a few labels.
        List<String> letters = new ArrayList<>();
        int[][] counts = new int[26][26];
        for (int i = 0; i < 26; i++) {
            letters.add(String.valueOf((char) ('A' + i)));
            counts[i][i] = 100 + i;
            counts[i][(i + 1) % 26] = 3;
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Charts.confusion(letters, counts, 2)));
        assertTrue(image.getHeight() >= 26 * 22, "height " + image.getHeight());
    }

    /** Level or gently sloped labels where they have room; steeper where they would run into each other. */
    @Test
    void categoryLabelsAreRotatedWhenTheyWouldRunIntoEachOther() {
        assertEquals(0, Charts.labelRotation(List.of("logistic", "cart", "knn", "xgboost", "mlp"), 0));
        assertEquals(20, Charts.labelRotation(List.of("logistic", "cart", "knn", "uniform", "stacking", "tribuo-ensemble", "moe"), 20));
        List<String> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add("expert-0" + i + "-wi…forty-chars");
        }
        assertEquals(45, Charts.labelRotation(ten, 0));
        List<String> many = new ArrayList<>(ten);
        many.addAll(ten.stream().map(n -> n.replace("expert", "expart")).toList());
        many.addAll(ten.stream().map(n -> n.replace("expert", "exqert")).toList());
        assertEquals(90, Charts.labelRotation(many, 20));
    }
}

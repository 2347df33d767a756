package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

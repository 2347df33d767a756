package dev.moe.experts.onnx;

import dev.moe.api.FloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The rows a fixture was fed and the probabilities PyTorch (or numpy) gave on them, as make_models.py wrote them. */
record Expected(FloatMatrix features, FloatMatrix probabilities) {

    static Expected read(Path csv, int featureColumns) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int rows = lines.size() - 1;
        int columns = lines.get(0).split(",").length;
        FloatMatrix x = FloatMatrix.zeros(rows, featureColumns);
        FloatMatrix p = FloatMatrix.zeros(rows, columns - featureColumns);
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int c = 0; c < columns; c++) {
                float v = Float.parseFloat(cells[c]);
                if (c < featureColumns) {
                    x.set(r, c, v);
                } else {
                    p.set(r, c - featureColumns, v);
                }
            }
        }
        return new Expected(x, p);
    }
}

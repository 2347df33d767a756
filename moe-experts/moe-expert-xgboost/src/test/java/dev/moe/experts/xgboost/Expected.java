package dev.moe.experts.xgboost;

import dev.moe.api.FloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The rows a fixture was fed (its header names them: the model's feature_names, or f0..) and the probabilities XGBoost
 * gave on them, as examples/xgboost/make_models.py wrote them; "nan" is a missing value.
 */
record Expected(List<String> names, FloatMatrix features, FloatMatrix probabilities) {

    static Expected read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        int classes = (int) Arrays.stream(header).filter(h -> h.matches("p\\d+")).count();
        int width = header.length - classes;
        int rows = lines.size() - 1;
        FloatMatrix x = FloatMatrix.zeros(rows, width);
        FloatMatrix p = FloatMatrix.zeros(rows, classes);
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int c = 0; c < header.length; c++) {
                float v = cells[c].equals("nan") ? Float.NaN : Float.parseFloat(cells[c]);
                if (c < width) {
                    x.set(r, c, v);
                } else {
                    p.set(r, c - width, v);
                }
            }
        }
        return new Expected(List.of(header).subList(0, width), x, p);
    }
}

package dev.moe.runtime.scoring;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one output format of a prediction, for every engine:
 * <pre>
 * predicted,probability,p:LABEL1,...,p:LABELn,weight:EXPERT1,...,weight:EXPERTm
 * </pre>
 * {@code predicted} is the most probable label (the first on ties), {@code probability} its probability, then every
 * label's probability and every expert's routing weight (0 for an expert the strategy did not choose for that row).
 * Numbers are written as the shortest decimal that reads back as the same float.
 */
public final class PredictionFormat {

    private PredictionFormat() {
    }

    /** The output's column names, in order. */
    public static List<String> columns(List<String> labelNames, List<String> expertIds) {
        List<String> columns = new ArrayList<>();
        columns.add("predicted");
        columns.add("probability");
        labelNames.forEach(label -> columns.add("p:" + label));
        expertIds.forEach(id -> columns.add("weight:" + id));
        return columns;
    }

    /** The CSV header line, with its line break. */
    public static String header(List<String> labelNames, List<String> expertIds) {
        StringBuilder h = new StringBuilder();
        for (String column : columns(labelNames, expertIds)) {
            h.append(h.length() == 0 ? "" : ",").append(cell(column));
        }
        return h.append('\n').toString();
    }

    /**
     * Row {@code r} of a block's prediction as cells: the label, then the numbers, as floats or, with {@code text},
     * as {@link #number} writes them.
     */
    public static Object[] cells(List<String> labelNames, MixtureModel.Prediction prediction, int r, boolean text) {
        FloatMatrix p = prediction.probabilities();
        FloatMatrix w = prediction.weights();
        Object[] cells = new Object[2 + p.columns() + w.columns()];
        int best = p.argMaxOfRow(r);
        cells[0] = labelNames.get(best);
        cells[1] = value(p.get(r, best), text);
        for (int j = 0; j < p.columns(); j++) {
            cells[2 + j] = value(p.get(r, j), text);
        }
        for (int k = 0; k < w.columns(); k++) {
            cells[2 + p.columns() + k] = value(w.get(r, k), text);
        }
        return cells;
    }

    /** Appends row {@code r} of a block's prediction as one CSV line. */
    public static void appendCsvRow(StringBuilder line, List<String> labelNames, MixtureModel.Prediction prediction, int r) {
        FloatMatrix p = prediction.probabilities();
        FloatMatrix w = prediction.weights();
        int best = p.argMaxOfRow(r);
        line.append(cell(labelNames.get(best))).append(',').append(number(p.get(r, best)));
        for (int j = 0; j < p.columns(); j++) {
            line.append(',').append(number(p.get(r, j)));
        }
        for (int k = 0; k < w.columns(); k++) {
            line.append(',').append(number(w.get(r, k)));
        }
        line.append('\n');
    }

    private static Object value(float v, boolean text) {
        return text ? number(v) : (Object) v;
    }

    /** The shortest decimal that reads back as the same float; plain 0 and 1 for the common exact values. */
    public static String number(float v) {
        if (v == 0f) {
            return "0";
        }
        if (v == 1f) {
            return "1";
        }
        return Float.toString(v).toLowerCase(Locale.ROOT);
    }

    /** A CSV field, quoted when it holds a comma, a quote, a line break or surrounding spaces. */
    public static String cell(String s) {
        boolean quote = !s.isEmpty() && (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1)));
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}

package dev.moe.experts.xgboost;

/**
 * XGBoost's trees flattened into arrays, evaluated batch-first: a tile of rows at a time, each tree over the whole
 * tile, so that the tree and the tile's rows stay in the cache. A split sends a value below its threshold left, a
 * missing value (NaN) to the child the tree chose in training, as XGBoost does; all in float, in XGBoost's order (base
 * margin, then the trees in turn), so the margins agree with XGBoost's to the last bit or so.
 */
final class Forest {

    /** Rows per tile: a tile's features and margins fit in the first-level cache for any usual width. */
    private static final int TILE = 64;

    /** Per node: the feature it splits on, or -1 for a leaf. */
    private final int[] feature;
    /** Per node: its threshold, or a leaf's value (weighted already for dart). */
    private final float[] value;
    private final int[] left;
    private final int[] right;
    /** Per node: the child a missing value goes to. */
    private final int[] missing;
    /** Per tree: its root's node index, and the output group (class) it adds to. */
    private final int[] roots;
    private final int[] groups;

    Forest(int[] feature, float[] value, int[] left, int[] right, int[] missing, int[] roots, int[] groups) {
        this.feature = feature;
        this.value = value;
        this.left = left;
        this.right = right;
        this.missing = missing;
        this.roots = roots;
        this.groups = groups;
    }

    int trees() {
        return roots.length;
    }

    int nodes() {
        return feature.length;
    }

    /**
     * The margins of {@code rows} rows of a row-major block.
     *
     * @param x       the rows, {@code columns} values each
     * @param base    the base margin of each group
     * @return rows x groups, row-major
     */
    float[] margins(float[] x, int rows, int columns, float[] base) {
        int width = base.length;
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(base, 0, out, r * width, width);
        }
        for (int first = 0; first < rows; first += TILE) {
            int last = Math.min(rows, first + TILE);
            for (int t = 0; t < roots.length; t++) {
                int root = roots[t];
                int group = groups[t];
                for (int r = first; r < last; r++) {
                    int offset = r * columns;
                    int n = root;
                    int f;
                    while ((f = feature[n]) >= 0) {
                        float v = x[offset + f];
                        n = v < value[n] ? left[n] : v >= value[n] ? right[n] : missing[n];
                    }
                    out[r * width + group] += value[n];
                }
            }
        }
        return out;
    }
}

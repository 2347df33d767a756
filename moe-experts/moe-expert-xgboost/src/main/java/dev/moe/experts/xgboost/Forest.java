package dev.moe.experts.xgboost;

/**
 * XGBoost's trees flattened into one array, evaluated batch-first: a tile of rows at a time, each tree over the whole
 * tile, one level of the tree for every row of the tile before the next level, so that the rows' walks are independent
 * work the processor overlaps. Each node is four ints (its feature, its left child, its threshold as an ordered int,
 * the step a missing value takes); the right child follows the left one. A leaf is its own left child with a threshold
 * above every value, so every walk takes the tree's depth in steps, without a test for leaves. A split sends a value
 * below its threshold left (compared as floats compare: the ordered ints keep that order), a missing value (NaN) to
 * the child the tree chose in training, as XGBoost does; leaves summed in float, in XGBoost's order (base margin, then
 * the trees in turn), so the margins agree with XGBoost's to the last bit or so.
 */
final class Forest {

    /** Rows per tile: a tile's features and margins fit in the first-level cache for any usual width. */
    private static final int TILE = 64;

    /** Ints per node. */
    static final int STRIDE = 4;

    /**
     * Per node: feature (0 for a leaf), left child's node index, threshold as an ordered int ({@link #ordered}), the
     * missing value's step (0 left, 1 right).
     */
    private final int[] nodes;
    /** Per node: a leaf's value (weighted already for dart). */
    private final float[] leaf;
    /** Per tree: its root's node index, its depth, and the output group (class) it adds to. */
    private final int[] roots;
    private final int[] depths;
    private final int[] groups;

    Forest(int[] nodes, float[] leaf, int[] roots, int[] depths, int[] groups) {
        this.nodes = nodes;
        this.leaf = leaf;
        this.roots = roots;
        this.depths = depths;
        this.groups = groups;
    }

    /**
     * A float's bits as an int that orders as the floats do (for all but NaN; -0 as a negative number below +0, so
     * callers add +0f first, which turns -0 into +0 as float comparison treats them alike).
     */
    static int ordered(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** A missing value (NaN) in {@link #ordered} form: no number maps to it (only a NaN's bits would). */
    static final int MISSING = Integer.MIN_VALUE;

    /** A leaf's threshold in {@link #ordered} form: above every value, so a walk stays at the leaf. */
    static final int LEAF_THRESHOLD = Integer.MAX_VALUE;

    int trees() {
        return roots.length;
    }

    int nodes() {
        return leaf.length;
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
        int[] node = nodes;
        int[] at = new int[TILE];
        int[] tile = new int[TILE * columns];
        for (int first = 0; first < rows; first += TILE) {
            int count = Math.min(TILE, rows - first);
            // The tile's values as ordered ints once, a missing one as MISSING, instead of at every step.
            for (int j = 0, o = first * columns; j < count * columns; j++) {
                float v = x[o + j];
                tile[j] = v != v ? MISSING : ordered(v + 0f);
            }
            for (int t = 0; t < roots.length; t++) {
                java.util.Arrays.fill(at, 0, count, roots[t]);
                for (int level = depths[t]; level > 0; level--) {
                    for (int i = 0; i < count; i++) {
                        int k = at[i] * STRIDE;
                        int v = tile[i * columns + node[k]];
                        // Right (1) when v >= threshold, by the sign of a long difference: no branch to mispredict.
                        int step = v == MISSING ? node[k + 3] : 1 - (int) (((long) v - node[k + 2]) >>> 63);
                        at[i] = node[k + 1] + step;
                    }
                }
                int group = groups[t];
                for (int i = 0; i < count; i++) {
                    out[(first + i) * width + group] += leaf[at[i]];
                }
            }
        }
        return out;
    }
}

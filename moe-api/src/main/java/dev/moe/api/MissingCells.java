package dev.moe.api;

import java.util.Locale;
import java.util.Set;

/**
 * How moe reads a missing cell: blank, {@code NA}, {@code N/A}, {@code NaN}, {@code null}, {@code none}, {@code ?} or
 * {@code .} (SAS's and Stata's mark), in any case. One list for every reader: moe's CSV reader (a gap in a numeric
 * column is refused, in a categorical one it encodes as none of the column's levels) and the matching of an expert's
 * feature names (a Tribuo model's level for a missing cell, {@code column@NA}). In the API so that a provider reading
 * cells itself reads them as moe does.
 */
public final class MissingCells {

    private MissingCells() {
    }

    /** The spellings, lower case. */
    private static final Set<String> SPELLINGS = Set.of("", "na", "n/a", "nan", "null", "none", "?", ".");

    /**
     * Whether a cell is one of the spellings of a missing value.
     *
     * @param cell a cell's text; the spaces around it do not count
     * @return whether it marks a missing value
     */
    public static boolean isMissing(String cell) {
        return SPELLINGS.contains(cell.strip().toLowerCase(Locale.ROOT));
    }
}

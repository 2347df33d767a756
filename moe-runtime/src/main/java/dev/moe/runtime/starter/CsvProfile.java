package dev.moe.runtime.starter;

import dev.moe.api.MissingCells;
import dev.moe.runtime.data.CsvSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each column of a CSV file holds, read once through moe's own CSV reader (so a file moe cannot read fails here
 * with the same line): how many cells are missing, how many are numbers as a feature must be, how many distinct
 * values there are (counted up to {@link #DISTINCT_CAP}), and while they are that few, each value's count.
 *
 * @param file    the file read
 * @param rows    its data rows (blank lines skipped)
 * @param columns one profile per header column, in order
 * @param firstDecimalComma the first cell written with a decimal comma (a ';' file's, read as a number), or null
 * @param firstThousandsPoint a ';' file's first cell written as 35.000, or null
 *                ({@link CsvSource.Rows#firstThousandsPoint})
 */
public record CsvProfile(Path file, long rows, List<Column> columns, String firstDecimalComma,
                         CsvSource.Cell firstThousandsPoint) {

    /**
     * Distinct values are counted up to this many per column: past it a column is no set of categories a one-hot
     * encoding suits, and the counts of a wide file's every column stay small.
     */
    static final int DISTINCT_CAP = 1_000;

    /**
     * One column.
     *
     * @param name     its header name
     * @param missing  cells that are one of moe's missing spellings (blank, NA, ?, ...)
     * @param numbers  cells that are numbers as a numeric feature's must be (decimals, finite)
     * @param integers of those, the whole numbers
     * @param min      the least number (NaN when none)
     * @param max      the greatest number (NaN when none)
     * @param sum      the sum of the numbers
     * @param distinct distinct non-missing values, counted up to {@link #DISTINCT_CAP}
     * @param counts   each non-missing value's count while there are at most {@link #DISTINCT_CAP} of them, else empty
     * @param missingSpellings the missing cells by their text as written (spaces around stripped: "", "NA", "None")
     * @param dates    cells that are a date or a date and time as files write them (2012-01-31, 2012-01-31T08:00,
     *                 1/31/2012, 31.01.2012)
     * @param firstDate the first of those in the file, or null
     * @param formattedNumbers cells that are numbers as a spreadsheet shows them, which moe does not read as numbers:
     *                 with a comma (0,9167; 12,500), or a percent or currency sign (12%, $1,234.00, 1.234,00 €)
     * @param firstFormattedNumber the first of those in the file, or null
     */
    public record Column(String name, long missing, long numbers, long integers, double min, double max, double sum, int distinct,
                         Map<String, Long> counts, Map<String, Long> missingSpellings, long dates, String firstDate,
                         long formattedNumbers, String firstFormattedNumber) {

        /**
         * This column read as a label: moe's reader takes every cell but a blank one as a label ({@code NA} and
         * {@code None} are classes of their own there), so only blank cells stay missing, and the other spellings of a
         * missing cell ({@code missingSpellings}, by their text) count as values.
         */
        public Column asLabel() {
            return asLabel(Set.of(""));
        }

        /** As {@link #asLabel()}, with the cells {@code none} (as written, {@code ""}: blank) missing ({@code data.unlabelled}). */
        public Column asLabel(Set<String> none) {
            long blank = 0;
            Map<String, Long> values = new HashMap<>(counts);
            Map<String, Long> missing = new HashMap<>();
            for (Map.Entry<String, Long> e : missingSpellings.entrySet()) {
                if (none.contains(e.getKey())) {
                    blank += e.getValue();
                    missing.put(e.getKey(), e.getValue());
                } else {
                    values.merge(e.getKey(), e.getValue(), Long::sum);
                }
            }
            boolean capped = distinctCapped() || values.size() >= DISTINCT_CAP;
            return new Column(name, blank, numbers, integers, min, max, sum, capped ? Math.max(distinct, DISTINCT_CAP) : values.size(),
                    capped ? Map.of() : Map.copyOf(values), Map.copyOf(missing), dates, firstDate, formattedNumbers, firstFormattedNumber);
        }

        /** Cells that are neither missing nor numbers: text. */
        public long text(long rows) {
            return rows - missing - numbers;
        }

        /** Whether {@link #distinct} stopped counting (and {@link #counts} is empty). */
        public boolean distinctCapped() {
            return distinct >= DISTINCT_CAP;
        }

        /**
         * Whether every cell is a whole number and together they are the numbers from the least to the greatest, each
         * once (a row number or index: n whole numbers spanning n values whose sum is that of the range).
         */
        public boolean rowNumbers(long rows) {
            return rows >= 20 && missing == 0 && integers == rows && max - min + 1 == rows
                    && sum == (min + max) * rows / 2.0;
        }
    }

    /**
     * Reads the whole file.
     *
     * @throws dev.moe.runtime.MoeException naming the file and line where moe's CSV reader would refuse it
     */
    public static CsvProfile read(Path file) {
        try (CsvSource.Rows rows = CsvSource.Rows.open(file)) {
            List<String> header = rows.header();
            int n = header.size();
            int[] all = new int[n];
            for (int j = 0; j < n; j++) {
                all[j] = j;
            }
            Tally[] tallies = new Tally[n];
            for (int j = 0; j < n; j++) {
                tallies[j] = new Tally();
            }
            long count = 0;
            CsvSource.Block block;
            while ((block = rows.next(8192, new int[0], -1, all)) != null) {
                for (int j = 0; j < n; j++) {
                    for (String cell : block.text()[j]) {
                        tallies[j].add(cell);
                    }
                }
                count += block.rows();
            }
            List<Column> columns = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                columns.add(tallies[j].column(header.get(j)));
            }
            return new CsvProfile(file, count, List.copyOf(columns), rows.firstDecimalComma(), rows.firstThousandsPoint());
        }
    }

    /** The column of that name, or null. */
    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /** An English month's name or its first three letters (Sept too). */
    private static final String MONTH = "(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april"
            + "|june|july|august|september|october|november|december)";

    /**
     * A date, with a time or not, as spreadsheets and databases write one: year first (ISO 8601, 2012/01/31), year
     * last (1/31/2012, 31.01.2012; 31-01-12 is left out: too near a code), or with the month's name (31-Jan-2012,
     * 31 Jan 2012, Jan 31, 2012).
     */
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile(
            "\\s*(\\d{4}([-/.])\\d{1,2}\\2\\d{1,2}|\\d{1,2}([-/.])\\d{1,2}\\3\\d{4}"
                    + "|\\d{1,2}([- ])" + MONTH + "\\4\\d{2}(\\d{2})?|" + MONTH + " \\d{1,2},? \\d{4})"
                    + "([T ]\\d{1,2}:\\d{2}(:\\d{2}([.,]\\d+)?)?\\s*([AaPp][Mm])?\\s*(Z|[+-]\\d{2}:?\\d{2})?)?\\s*");

    /** A number with a percent or currency sign before or after it, as a spreadsheet shows a formatted cell. */
    private static final java.util.regex.Pattern SIGNED = java.util.regex.Pattern.compile(
            "[-+]?\\s*[$\u20ac\u00a3\u00a5]?\\s*([-+]?[0-9][0-9.,]*)\\s*[%$\u20ac\u00a3\u00a5]?");

    /** Whether the cell (stripped) is a number written with '%' or a currency sign: 12%, $1,234.00, 1.234,00 €. */
    static boolean signedNumber(String cell) {
        String c = cell.strip();
        java.util.regex.Matcher m = SIGNED.matcher(c);
        return m.matches() && c.length() > m.group(1).length() + (c.startsWith("-") || c.startsWith("+") ? 1 : 0)
                && (CsvSource.isFeatureNumber(m.group(1)) || CsvSource.isCommaNumber(m.group(1)));
    }

    private static final class Tally {
        long missing;
        long numbers;
        long integers;
        double min = Double.NaN;
        double max = Double.NaN;
        double sum;
        final HashMap<String, Long> counts = new HashMap<>();
        // Each spelling of a missing cell as written ("NA", "None", ""): a label column reads them as labels.
        final HashMap<String, Long> missingSpellings = new HashMap<>();
        boolean capped;
        long dates;
        String firstDate;
        long formattedNumbers;
        String firstFormattedNumber;

        void add(String cell) {
            if (MissingCells.isMissing(cell)) {
                missing++;
                missingSpellings.merge(cell.strip(), 1L, Long::sum);
                return;
            }
            if (CsvSource.isFeatureNumber(cell)) {
                numbers++;
                double v = Double.parseDouble(cell);
                if (v == Math.rint(v)) {
                    integers++;
                }
                min = Double.isNaN(min) ? v : Math.min(min, v);
                max = Double.isNaN(max) ? v : Math.max(max, v);
                sum += v;
            } else if (DATE.matcher(cell).matches()) {
                dates++;
                firstDate = firstDate == null ? cell.strip() : firstDate;
            } else if (CsvSource.isCommaNumber(cell) || signedNumber(cell)) {
                formattedNumbers++;
                firstFormattedNumber = firstFormattedNumber == null ? cell.strip() : firstFormattedNumber;
            }
            if (!capped) {
                counts.merge(cell, 1L, Long::sum);
                capped = counts.size() >= DISTINCT_CAP;
            }
        }

        Column column(String name) {
            return new Column(name, missing, numbers, integers, min, max, sum, counts.size(), capped ? Map.of() : Map.copyOf(counts),
                    Map.copyOf(missingSpellings), dates, firstDate, formattedNumbers, firstFormattedNumber);
        }
    }
}

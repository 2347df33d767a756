package dev.moe.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared corpus of odd CSV files ({@code src/test/resources/csv-corpus}): {@code accept-*} files must be read
 * with the rows below, {@code refuse-*} files refused with the line below. moe-spark's {@code CsvCorpusEnginesTest}
 * runs the same files through both engines and requires the same answer from each.
 */
class CsvCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/csv-corpus");

    /** Rows of each accepted file, and its first row's four features. */
    static final Map<String, Integer> ACCEPTED_ROWS = Map.ofEntries(
            Map.entry("accept-quoted-comma.csv", 3), Map.entry("accept-doubled-quotes.csv", 2), Map.entry("accept-crlf.csv", 3),
            Map.entry("accept-bom.csv", 2), Map.entry("accept-quoted-values.csv", 2), Map.entry("accept-blank-lines.csv", 2),
            Map.entry("accept-spaces.csv", 2), Map.entry("accept-stray-quote.csv", 2), Map.entry("accept-gzip.csv.gz", 3),
            Map.entry("accept-unnamed-index.csv", 2), Map.entry("accept-semicolons.csv", 3), Map.entry("accept-tabs.tsv", 3),
            Map.entry("accept-decimal-comma.csv", 2), Map.entry("accept-r-write-csv2.csv", 3),
            Map.entry("accept-windows-1252.csv", 2));

    static final Map<String, String> REFUSALS = Map.ofEntries(
            Map.entry("refuse-unterminated-quote.csv", "line 3: a quoted field is never closed (a \" without its closing \")"),
            Map.entry("refuse-short-row.csv", "line 3: 4 fields, the header has 5"),
            Map.entry("refuse-long-row.csv", "line 3: 6 fields, the header has 5"),
            Map.entry("refuse-not-a-number.csv", "line 3, column 'feature1': not a number: 'abc'"),
            Map.entry("refuse-decimal-comma.csv", "line 3, column 'feature1': not a number: '0,25' (a decimal comma? moe reads"
                    + " numbers with a decimal point: '0.25')"),
            Map.entry("refuse-thousands.csv", "line 3, column 'feature1': not a number: '1.234,5' (thousands separators? moe reads"
                    + " numbers without them: '1234.5')"),
            Map.entry("refuse-empty-label.csv", "line 3: empty label"),
            Map.entry("refuse-nan.csv", "line 3, column 'feature2': a missing value ('NaN')"),
            Map.entry("refuse-line-break-in-quotes.csv", "line 2, column 'note': a line break inside a quoted field; moe reads one record per line"),
            Map.entry("refuse-header-only.csv", "no data rows after the header"),
            Map.entry("refuse-empty.csv", "the file is empty (expected a header row)"),
            Map.entry("refuse-missing-feature.csv", "no column 'feature3'"),
            Map.entry("refuse-unknown-label.csv", "label '7'"),
            Map.entry("refuse-empty-value.csv", "line 2, column 'feature3': a missing value ('')"),
            Map.entry("refuse-zip.zip", "a zip file"),
            Map.entry("refuse-workbook.xlsx", "a spreadsheet workbook (.xlsx), not a CSV file: save the sheet as CSV (UTF-8)"
                    + " from the spreadsheet, and give that file"),
            Map.entry("refuse-workbook.xls", "a spreadsheet workbook (Excel 97-2003), not a CSV file"),
            Map.entry("refuse-arff.arff", "an ARFF file (Weka's format: @relation, @attribute, @data), not a CSV file: save it as CSV"
                    + " with a header row (Weka's Explorer: Save..., CSV; or java -cp weka.jar weka.core.converters.CSVSaver -i"
                    + " refuse-arff.arff -o refuse-arff.csv), and give that file"),
            Map.entry("refuse-arff-named.csv", "an ARFF file (Weka's format"),
            // Read as Windows-1252 (Excel's CSV on Windows): the label is 'café', which no expert knows.
            Map.entry("refuse-latin1-label.csv", "label 'caf\u00e9' is known to no expert"),
            Map.entry("refuse-not-windows-1252.csv", "line 3: byte 0x81 is neither UTF-8 nor Windows-1252 text"));

    static List<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.getFileName().toString().matches("(accept|refuse)-.*")).sorted().toList();
        }
    }

    /** Reads a corpus file as the local engine's evaluation does: the four seed features and the label, by name. */
    static int read(Path file) {
        try (CsvSource.Rows rows = CsvSource.Rows.open(file)) {
            List<String> header = rows.header();
            int[] features = new int[4];
            for (int k = 0; k < 4; k++) {
                features[k] = header.indexOf("feature" + k);
                if (features[k] < 0) {
                    throw new MoeException(file + ": no column 'feature" + k + "' in the header");
                }
            }
            int total = 0;
            for (CsvSource.Block b = rows.next(2, features, header.indexOf("label")); b != null; b = rows.next(2, features, header.indexOf("label"))) {
                for (String label : b.labels()) {
                    if (!List.of("0", "1", "2").contains(label)) {
                        throw new MoeException(file + ": label '" + label + "' is known to no expert");
                    }
                }
                total += b.rows();
            }
            if (total == 0) {
                throw new MoeException(file + ": no data rows after the header");
            }
            return total;
        }
    }

    @Test
    void everyFileOfTheCorpusIsAcceptedOrRefusedAsListed() throws IOException {
        List<Path> files = corpus();
        assertEquals(ACCEPTED_ROWS.size() + REFUSALS.size(), files.size(), "every corpus file has an expectation");
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith("accept-")) {
                assertEquals(ACCEPTED_ROWS.get(name), read(file), name);
            } else {
                MoeException e = assertThrows(MoeException.class, () -> read(file), name);
                String expected = REFUSALS.get(name);
                assertEquals(true, e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected),
                        name + ": " + e.getMessage());
                assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
            }
        }
    }

    @Test
    void quotesEscapesAndTheByteOrderMarkAreReadAsRfc4180Says() {
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-bom.csv"))) {
            assertEquals("feature0", rows.header().get(0));
        }
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-doubled-quotes.csv"))) {
            CsvSource.Block b = rows.next(10, new int[] {0}, 5);
            assertEquals(List.of("he said \"hi\"", "\""), b.labels());
        }
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-quoted-comma.csv"))) {
            CsvSource.Block b = rows.next(10, new int[] {1, 2}, 6);
            assertEquals(List.of("a, b", "plain", "c,d,e"), b.labels());
            assertEquals(0.5f, b.features().get(0, 0));
            assertEquals(List.of(2, 3, 4).stream().mapToInt(Integer::intValue).boxed().toList(),
                    java.util.Arrays.stream(b.lines()).boxed().toList());
        }
        // A ';' file's quoted ';' is text, and its commas are no separators.
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-semicolons.csv"))) {
            CsvSource.Block b = rows.next(10, new int[] {1, 2}, 6);
            assertEquals(List.of("a; b", "plain", "c,d"), b.labels());
            assertEquals(0.25f, b.features().get(1, 1));
        }
    }

    @Test
    void aSemicolonFilesDecimalCommasAreReadAsPointsInEveryColumn() {
        // Excel's CSV in a German or French locale: ';' between fields, a comma before the decimals, 1,5E-03 for small ones.
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-decimal-comma.csv"))) {
            assertEquals(true, rows.decimalComma());
            CsvSource.Block b = rows.next(10, new int[] {0, 1, 3}, -1, new int[] {2});
            assertEquals(0.5f, b.features().get(0, 0));
            assertEquals(0.25f, b.features().get(1, 1));
            assertEquals(0.0015f, b.features().get(1, 2));
            assertEquals(List.of("-0.5", "1"), List.of(b.text()[0])); // a categorical column's text says the same
        }
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-quoted-comma.csv"))) {
            assertEquals(false, rows.decimalComma());
        }
        // R's write.csv2: every name quoted, ';' between them; it failed at the first ';' after a quoted name.
        try (CsvSource.Rows rows = CsvSource.Rows.open(CORPUS.resolve("accept-r-write-csv2.csv"))) {
            assertEquals(List.of("", "feature0", "feature1", "feature2", "feature3", "label"), rows.header());
            CsvSource.Block b = rows.next(10, new int[] {4}, 5);
            assertEquals(0.5f, b.features().get(2, 0));
        }
        assertEquals(';', CsvSource.Rows.separatorOfLine("\"\";\"a,b\";\"c\""));
        assertEquals('\t', CsvSource.Rows.separatorOfLine("\"x;y\"\ta\tb"));
        assertEquals(',', CsvSource.Rows.separatorOfLine("a;b,c;d"));
        assertEquals(',', CsvSource.Rows.separatorOfLine("\"a;b\""));
        assertEquals("0.25", CsvSource.pointed("0,25"));
        assertEquals("-.5e-3", CsvSource.pointed("-,5e-3"));
        // Only numbers: a list, a name and an English thousands separator with a point are left as they are.
        for (String cell : List.of("a,b", "1,2,3", "Smith, J", "1,234.5", "1,", "")) {
            assertEquals(cell, CsvSource.pointed(cell));
        }
        float fast = Decimals.parse("-12,75".toCharArray(), 0, 6, true);
        assertEquals(-12.75f, fast);
        assertEquals(true, Float.isNaN(Decimals.parse("-12,75".toCharArray(), 0, 6, false)));
        assertEquals(true, Float.isNaN(Decimals.parse("1,2.5".toCharArray(), 0, 5, true))); // one decimal mark only
    }

    @Test
    void theDecimalFastPathGivesFloatParseFloatsBits() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            String s = String.format(java.util.Locale.ROOT, "%." + random.nextInt(0, 11) + "f", (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-3, 8)));
            float fast = Decimals.parse(s.toCharArray(), 0, s.length());
            if (!Float.isNaN(fast)) {
                assertEquals(Float.floatToIntBits(Float.parseFloat(s)), Float.floatToIntBits(fast), s);
            }
        }
        assertEquals(true, Float.isNaN(Decimals.parse("1e5".toCharArray(), 0, 3)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Decimals.parse("-0".toCharArray(), 0, 2)));
    }
}

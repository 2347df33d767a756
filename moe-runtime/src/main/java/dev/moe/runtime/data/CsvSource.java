package dev.moe.runtime.data;

import dev.moe.api.FloatMatrix;
import dev.moe.api.NearestName;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.io.ZipSignature;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A CSV file with a header row: one label column (named by {@code data.label}, default {@code label}),
 * every other column a numeric feature. Errors name the file, line and column. Labels are ordered
 * numerically when they all are numbers, otherwise alphabetically.
 */
public final class CsvSource implements DataSource {

    public static final String NAME = "csv";

    @Override
    public Dataset load(MoeConfig.DataConfig config, Path baseDirectory, long seed) {
        if (config.path() == null) {
            throw new MoeException("data.path is required for the csv source");
        }
        if (config.rows() != null && config.rows() < 3) {
            throw new MoeException("data.rows must be at least 3, got " + config.rows());
        }
        Path file = baseDirectory.resolve(config.path()).normalize();
        if (!Files.exists(file)) {
            throw new MoeException("data.path: data file not found: " + file); // the key, for the config's line
        }
        if (Files.isDirectory(file)) {
            throw new MoeException("data.path: " + file + " is a folder, not a CSV file");
        }
        Dataset data;
        try {
            data = read(file, config.labelOrDefault(), config.ignore(), config.categorical(), config.fill(), config.unlabelled());
        } catch (NotANumber e) {
            if (e.decimalComma()) {
                throw e;
            }
            // In a config's run, a text column is most often an id or a name, or categories: say how to use it.
            throw new MoeException(e.getMessage() + "; if '" + e.column() + "' is not a feature, add it to data.ignore in the config "
                    + "(data: { ignore: [" + e.column() + "] }); if its values are categories, add it to data.categorical "
                    + "(data: { categorical: [" + e.column() + "] })", e);
        }
        // rows: a seeded random sample, to try a large file quickly; a new sample for every repeat's seed.
        if (config.rows() != null && config.rows() < data.rows()) {
            int[] sample = java.util.Arrays.copyOf(
                    dev.moe.gating.nn.Permutations.shuffled(data.rows(), new java.util.SplittableRandom(seed ^ 0x5DEECE66DL)), config.rows());
            java.util.Arrays.sort(sample);
            return data.subset(sample);
        }
        return data;
    }

    public static Dataset read(Path file, String labelColumn) {
        return read(file, labelColumn, List.of());
    }

    /**
     * The file's rows, every column but the label and the {@code ignore}d ones a numeric feature.
     *
     * A label column or an ignored one that the header lacks is reported at its config key ({@code data.label: ...}),
     * for the config's line; problems of the file's own start with the file.
     *
     * @param ignore columns dropped before parsing (an id, a name); each must be in the header, and not the label
     * @throws NotANumber when a feature column holds text, naming the file, line and column
     */
    public static Dataset read(Path file, String labelColumn, List<String> ignore) {
        return read(file, labelColumn, ignore, List.of());
    }

    /**
     * As {@link #read(Path, String, List)}, with the {@code categorical} columns kept as text ({@link Dataset#text()}),
     * to be encoded once the rows a model is fitted on are known ({@link CategoricalEncoding#fit}).
     *
     * @param categorical columns read as text; each must be in the header, not the label and not ignored; {@code [all]}
     *                    names every column but the label and the ignored ones
     */
    public static Dataset read(Path file, String labelColumn, List<String> ignore, List<String> categorical) {
        return read(file, labelColumn, ignore, categorical, List.of());
    }

    /**
     * As {@link #read(Path, String, List, List)}, with the {@code fill} columns' missing cells read as NaN
     * ({@link Dataset#filled()}), to be filled once the rows a model is fitted on are known; text that is not a number
     * is refused in them as in any numeric column.
     *
     * @param fill numeric columns with gaps; each must be in the header, and not the label, ignored or categorical;
     *             {@code [all]} names every numeric feature column
     */
    public static Dataset read(Path file, String labelColumn, List<String> ignore, List<String> categorical, List<String> fill) {
        return read(file, labelColumn, ignore, categorical, fill, List.of());
    }

    /**
     * As {@link #read(Path, String, List, List, List)}, with the rows whose label cell is one of {@code unlabelled}
     * left out before their features are checked, and counted ({@link Dataset#unlabelled()}).
     *
     * @param unlabelled label cells (stripped) that mean "no label"; {@code ""} names a blank one
     */
    public static Dataset read(Path file, String labelColumn, List<String> ignore, List<String> categorical, List<String> fill,
                               List<String> unlabelled) {
        try (Rows reader = Rows.open(file).leavingOut(unlabelled)) {
            List<String> columns = reader.header();
            int labelIndex = columns.indexOf(labelColumn);
            if (labelIndex < 0) {
                String near = NearestName.didYouMean(labelColumn, columns);
                // No near name: the label is most often the last column (a UCI file's "Type", "class").
                String lastColumn = near.isEmpty() && columns.size() > 1
                        ? "; if the label is the last column, say data.label: " + columns.get(columns.size() - 1) : "";
                throw new MoeException("data.label: no label column '" + labelColumn + "'" + near + " in the header of " + file
                        + " (" + String.join(", ", columns) + ")" + lastColumn);
            }
            java.util.Set<Integer> ignored = new java.util.HashSet<>();
            for (String name : ignore) {
                int j = columns.indexOf(name);
                if (j < 0) {
                    throw new MoeException("data.ignore names column '" + name + "', which " + file + " does not have"
                            + NearestName.didYouMean(name, columns) + "; its columns: " + String.join(", ", columns));
                }
                if (j == labelIndex) {
                    throw new MoeException("data.ignore names '" + name + "', the label column; a run needs its labels");
                }
                for (int k = j; k < columns.size(); k++) {
                    if (columns.get(k).equals(name)) {
                        ignored.add(k); // every column of that name: a doubled id column is ignored twice
                    }
                }
            }
            // pandas' to_csv and R's write.csv write their row index under an empty name: read as a feature, the row order
            // (often sorted by label) leaked into the model. So an unnamed column is read only when named, and left out
            // only when data.ignore says "" (its name as the header gives it), never silently.
            for (int j = 0; j < columns.size(); j++) {
                if (columns.get(j).isEmpty() && !ignored.contains(j)) {
                    throw new MoeException(file + ": column " + (j + 1) + " of the header has no name (a row index written by"
                            + " pandas or R? a trailing comma?); leave it out with data.ignore: [\"\"], or give it a name");
                }
            }
            // A doubled name would be two features of one name (or a second label read as a feature): say so here.
            java.util.Set<String> named = new java.util.HashSet<>();
            for (int j = 0; j < columns.size(); j++) {
                if (!ignored.contains(j) && !named.add(columns.get(j))) {
                    throw new MoeException(file + ": column '" + columns.get(j) + "' appears twice in the header; give each column"
                            + " its own name (or name it in data.ignore)");
                }
            }
            java.util.Set<Integer> text = new java.util.HashSet<>();
            boolean every = categorical.equals(List.of(MoeConfig.DataConfig.ALL)) && !columns.contains(MoeConfig.DataConfig.ALL);
            // Checked here, with the header: a file with a column named 'all' may list it beside others.
            if (categorical.size() > 1 && categorical.contains(MoeConfig.DataConfig.ALL) && !columns.contains(MoeConfig.DataConfig.ALL)) {
                throw new MoeException("data.categorical: 'all' stands alone (every column but the label and data.ignore); got it"
                        + " beside other names, and " + file + " has no column 'all'");
            }
            for (String name : categorical) {
                int j = columns.indexOf(name);
                if (every) {
                    break;
                }
                if (j < 0) {
                    throw new MoeException("data.categorical names column '" + name + "', which " + file + " does not have"
                            + NearestName.didYouMean(name, columns) + "; its columns: " + String.join(", ", columns));
                }
                if (j == labelIndex || ignored.contains(j)) {
                    throw new MoeException("data.categorical names '" + name + "', " + (j == labelIndex
                            ? "the label column; labels are read as text already" : "which data.ignore also names"));
                }
                text.add(j);
            }
            java.util.Set<Integer> gaps = new java.util.HashSet<>();
            boolean fillEvery = fill.equals(List.of(MoeConfig.DataConfig.ALL)) && !columns.contains(MoeConfig.DataConfig.ALL);
            if (fill.size() > 1 && fill.contains(MoeConfig.DataConfig.ALL) && !columns.contains(MoeConfig.DataConfig.ALL)) {
                throw new MoeException("data.fill: 'all' stands alone (every numeric feature column); got it beside other"
                        + " names, and " + file + " has no column 'all'");
            }
            if (fillEvery && every) {
                throw new MoeException("data.fill: [all] with data.categorical: [all] leaves no numeric column to fill");
            }
            for (String name : fillEvery ? List.<String>of() : fill) {
                int j = columns.indexOf(name);
                if (j < 0) {
                    throw new MoeException("data.fill names column '" + name + "', which " + file + " does not have"
                            + NearestName.didYouMean(name, columns) + "; its columns: " + String.join(", ", columns));
                }
                if (j == labelIndex || ignored.contains(j) || every || text.contains(j)) {
                    throw new MoeException("data.fill names '" + name + "', " + (j == labelIndex
                            ? "the label column; a row without its label cannot be filled in"
                            : ignored.contains(j) ? "which data.ignore also names" : "which data.categorical also names;"
                            + " a categorical column's missing cells encode as none of its levels already"));
                }
                gaps.add(j);
            }
            List<String> featureNames = new ArrayList<>();
            List<String> filledNames = new ArrayList<>();
            List<String> textNames = new ArrayList<>();
            List<Integer> textPositions = new ArrayList<>();
            List<Integer> numeric = new ArrayList<>();
            List<Integer> textColumns = new ArrayList<>();
            for (int j = 0; j < columns.size(); j++) {
                if (j != labelIndex && !ignored.contains(j)) {
                    if (every || text.contains(j)) {
                        textPositions.add(featureNames.size() + textNames.size());
                        textNames.add(columns.get(j));
                        textColumns.add(j);
                    } else {
                        numeric.add(j);
                        featureNames.add(columns.get(j));
                        if (fillEvery || gaps.contains(j)) {
                            filledNames.add(columns.get(j));
                        }
                    }
                }
            }
            int[] featureColumns = numeric.stream().mapToInt(Integer::intValue).toArray();
            if (featureNames.isEmpty() && textNames.isEmpty() && !ignored.isEmpty()) {
                throw new MoeException(file + ": no feature columns left besides the label and data.ignore");
            }
            boolean[] fillable = new boolean[featureColumns.length];
            for (int k = 0; k < fillable.length; k++) {
                fillable[k] = filledNames.contains(featureNames.get(k));
            }
            Block all = reader.next(Integer.MAX_VALUE, featureColumns, labelIndex, textColumns.stream().mapToInt(Integer::intValue).toArray(),
                    fillable);
            if (all == null) {
                throw new MoeException(file + ": no data rows after the header" + (reader.unlabelled() == null ? ""
                        : " but the " + reader.unlabelled().rows() + " without a label (data.unlabelled)"));
            }
            List<String> rawLabels = all.labels();
            List<String> labelNames = orderedLabels(rawLabels);
            if (labelNames.size() < 2) {
                throw new MoeException(file + ": column '" + labelColumn + "' holds one class only ('" + labelNames.get(0)
                        + "' on all " + all.rows() + " rows); a classifier needs at least two");
            }
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < labelNames.size(); i++) {
                index.put(labelNames.get(i), i);
            }
            int[] labels = new int[all.rows()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = index.get(rawLabels.get(i));
            }
            TextColumns cells = textNames.isEmpty() ? null : new TextColumns(textNames,
                    textPositions.stream().mapToInt(Integer::intValue).toArray(), all.text());
            return new Dataset(file.getFileName().toString(), all.features(), labels, featureNames, labelNames, cells, filledNames,
                    reader.unlabelled());
        }
    }

    /**
     * A block of rows read by {@link Rows#next}.
     *
     * @param features  rows x the requested columns, in the requested order
     * @param labels    each row's label cell, or an empty list when no label column was requested
     * @param lines     each row's line number in the file (1 is the header), for messages
     * @param text      {@code text[k][row]}: the cells of the k-th requested text column, stripped; empty when none
     */
    public record Block(FloatMatrix features, List<String> labels, int[] lines, String[][] text) {

        public Block(FloatMatrix features, List<String> labels, int[] lines) {
            this(features, labels, lines, new String[0][]);
        }

        public int rows() {
            return features.rows();
        }
    }

    /**
     * Streams a CSV file a block of rows at a time, with the checks and messages of {@link #read}: ragged rows,
     * non-numeric and non-finite values, empty labels, each naming the file, line and column. Only the requested
     * columns are parsed; every row's field count is checked all the same. Not thread-safe.
     *
     * <p>The file is RFC 4180 CSV, parsed by Jackson's CSV parser: fields in double quotes may hold commas, line
     * breaks and doubled quotes ({@code ""}); lines end in LF or CRLF; a UTF-8 byte order mark is skipped; an
     * unterminated quote is an error. Blank lines are skipped, and spaces around a field are ignored. {@code -} reads
     * standard input.
     */
    public static final class Rows implements AutoCloseable {

        private static final CsvFactory CSV = new CsvFactory();

        private final Path file;
        private final CsvParser parser;
        private List<String> header = List.of();
        private int lineNumber = 1;
        /**
         * One String per distinct label or category cell: a file's rows repeat a few values, and a String per row was
         * most of what reading held (3M rows: a 300-400 MB peak, of 48 MB of features). Capped for columns that do not
         * repeat.
         */
        private final HashMap<String, String> distinct = new HashMap<>();
        /** Label cells that mean "no label" ({@code data.unlabelled}): their rows are left out, and counted. */
        private java.util.Set<String> unlabelled = java.util.Set.of();
        private final Unlabelled.Counter leftOut = new Unlabelled.Counter();
        /**
         * Whether the file is separated by ';': a spreadsheet's export where the comma is the decimal mark (Excel in
         * German, French, ...), so a cell such as {@code 0,25} is read as 0.25 ({@link CsvSource#pointed}).
         */
        private boolean decimalComma;
        /** The first text cell read so far that had a decimal comma, as written, or null ({@link #firstDecimalComma}). */
        private String firstDecimalComma;
        /** The first text cell of a ';' file written as 35.000 ({@link #firstThousandsPoint}), or null. */
        private Cell firstThousandsPoint;
        /** Where the file stops being UTF-8, when it is read as Windows-1252 instead ({@link #notUtf8}), else null. */
        private dev.moe.runtime.io.Utf8.Invalid notUtf8;

        private Rows(Path file, CsvParser parser) {
            this.file = file;
            this.parser = parser;
        }

        /**
         * Opens the file and reads its header row.
         *
         * @throws MoeException naming the file when it is missing, unreadable or empty
         */
        public static Rows open(Path file) {
            CsvParser parser = null;
            dev.moe.runtime.io.Utf8.Invalid notUtf8 = null;
            try {
                InputStream in;
                if (file.toString().equals("-")) {
                    in = new FilterInputStream(System.in) {
                        @Override
                        public void close() {
                            // standard input stays open for whoever comes next
                        }
                    };
                } else {
                    if (file.toString().isEmpty()) {
                        throw new MoeException("the data file's path is empty; give a CSV file"); // else the current folder
                    }
                    if (Files.isDirectory(file)) {
                        throw new MoeException(file + ": is a folder, not a CSV file");
                    }
                    in = Files.newInputStream(file);
                }
                in = dev.moe.runtime.io.Gzip.decompressed(new java.io.BufferedInputStream(in, 1 << 16));
                in.mark(dev.moe.runtime.io.Workbook.LENGTH);
                byte[] head = in.readNBytes(dev.moe.runtime.io.Workbook.LENGTH);
                in.reset();
                String notCsv = dev.moe.runtime.io.Workbook.refusal(file.toString(), String.valueOf(file.getFileName()), head);
                if (notCsv == null) {
                    // By its name before its first line is parsed: an ARFF comment may hold what a CSV parser refuses.
                    notCsv = dev.moe.runtime.io.Arff.refusal(file.toString(), String.valueOf(file.getFileName()), null);
                }
                if (notCsv != null) {
                    in.close();
                    throw new MoeException(notCsv);
                }
                if (ZipSignature.opens(head)) {
                    in.close();
                    throw new MoeException((file.toString().equals("-") ? "standard input" : file.toString())
                            + ": a zip file (a saved mixture?), not a CSV file; a saved mixture is given"
                            + " with -m");
                }
                // Excel saves a plain CSV file in the Windows code page (1252 in Western Europe and the Americas): a file
                // that is not UTF-8 is read as that, and said so. One pass over the bytes first, since the parser's own
                // UTF-8 decoder fails only where it meets the first such byte, after rows were read. Standard input
                // cannot be read twice, and a UTF-16 or UTF-32 file (its first bytes say so) is the parser's to read.
                notUtf8 = readAsWindows1252(file);
                // The separator from the header line as written: a spreadsheet's export with ';' (where the comma is the
                // decimal mark) or a TSV file is read with its own. (The header was parsed with ',' first and read again
                // when it was one column; R's write.csv2 header, "";"survived";"age", failed at the ';' after "".)
                char separator = separatorOfLine(headerLine(in));
                parser = parser(in, separator, notUtf8 != null);
                Rows rows = new Rows(file, parser);
                List<String> header = new ArrayList<>();
                if (parser.nextToken() != JsonToken.START_ARRAY || !rows.nextRecord(header)
                        || header.stream().allMatch(String::isEmpty)) {
                    throw new MoeException(file + ": the file is empty (expected a header row)");
                }
                String arff = dev.moe.runtime.io.Arff.refusal(file.toString(), String.valueOf(file.getFileName()), header.get(0));
                if (arff != null) {
                    throw new MoeException(arff);
                }
                rows.header = List.copyOf(header);
                rows.decimalComma = separator == ';';
                rows.notUtf8 = notUtf8;
                if (notUtf8 != null && WARNED_WINDOWS_1252.add(file.toAbsolutePath().normalize())) {
                    LOG.warn("{}: {}: read as Windows-1252, the code page Excel saves a CSV file in on Windows", file, notUtf8.describe());
                }
                return rows;
            } catch (NoSuchFileException e) {
                throw new MoeException("data file not found: " + file);
            } catch (java.io.CharConversionException e) {
                closeQuietly(parser);
                throw notUtf8(file);
            } catch (java.nio.charset.CharacterCodingException e) {
                closeQuietly(parser);
                throw notWindows1252(file);
            } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
                closeQuietly(parser);
                throw tooLong(file, 1);
            } catch (IOException e) {
                closeQuietly(parser);
                throw new MoeException("cannot read data file " + file + ": " + dev.moe.runtime.io.Gzip.describe(e));
            } catch (RuntimeException e) {
                closeQuietly(parser);
                throw e;
            }
        }

        /** How far into the header line its separator is looked for. */
        static final int SNIFF_BYTES = 1 << 20;

        /** A file's every open, after the first, reads it as Windows-1252 without saying so again (a run reads it per repeat). */
        private static final java.util.Set<Path> WARNED_WINDOWS_1252 = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvSource.class);

        /**
         * Where the file stops being UTF-8, when moe reads it as Windows-1252 (Excel's plain CSV on Windows), else null: a
         * regular file (gzip or not) that is not UTF-8 and does not start as UTF-16 or UTF-32 does. Both engines ask this.
         */
        public static dev.moe.runtime.io.Utf8.Invalid readAsWindows1252(Path file) {
            if (OutputTarget.isDash(file) || !Files.isRegularFile(file)) {
                return null;
            }
            ScannedFile key;
            try {
                key = new ScannedFile(file.toAbsolutePath().normalize(), Files.size(file), Files.getLastModifiedTime(file));
            } catch (IOException e) {
                return null; // the reader that follows says what is wrong with the file
            }
            // A run opens its file once per repeat: the same bytes are scanned once.
            return SCANNED.computeIfAbsent(key, k -> java.util.Optional.ofNullable(scan(file))).orElse(null);
        }

        /** A file as it was when scanned: a changed size or time scans it again. */
        private record ScannedFile(Path file, long size, java.nio.file.attribute.FileTime modified) {
        }

        private static final java.util.Map<ScannedFile, java.util.Optional<dev.moe.runtime.io.Utf8.Invalid>> SCANNED =
                new java.util.concurrent.ConcurrentHashMap<>();

        private static dev.moe.runtime.io.Utf8.Invalid scan(Path file) {
            try (InputStream in = dev.moe.runtime.io.Gzip.decompressed(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                if (unicodeSignature(in.readNBytes(4))) {
                    return null;
                }
            } catch (IOException e) {
                return null;
            }
            return dev.moe.runtime.io.Utf8.firstInvalid(file);
        }

        /** Whether the first bytes say UTF-16 or UTF-32 (a byte order mark, or a zero byte), as Jackson's detection has it. */
        private static boolean unicodeSignature(byte[] head) {
            if (head.length >= 2 && ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF
                    || (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE)) {
                return true;
            }
            for (int i = 0; i < Math.min(4, head.length); i++) {
                if (head[i] == 0) {
                    return true;
                }
            }
            return false;
        }

        /**
         * A parser of the stream: UTF-8 (or UTF-16 and UTF-32, known by their first bytes) as Jackson detects it, or
         * Windows-1252, whose five unassigned bytes are refused rather than read as U+FFFD.
         */
        private static CsvParser parser(InputStream in, char separator, boolean windows1252) throws IOException {
            CsvParser parser = windows1252
                    ? CSV.createParser(new java.io.InputStreamReader(in, java.nio.charset.Charset.forName("windows-1252").newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)))
                    : CSV.createParser(in);
            parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(separator));
            return parser;
        }

        /**
         * The first line's bytes (to its first line break outside double quotes, at most {@link #SNIFF_BYTES}) as
         * Latin-1, one char per byte: enough to count its ASCII separators and quotes in UTF-8 and UTF-16 alike. The
         * stream is left where it was.
         */
        private static String headerLine(InputStream in) throws IOException {
            in.mark(SNIFF_BYTES);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            boolean quoted = false;
            for (int b = in.read(), n = 0; b >= 0 && n < SNIFF_BYTES; b = in.read(), n++) {
                if (b == '\n' && !quoted) {
                    break;
                }
                quoted ^= b == '"';
                line.write(b);
            }
            in.reset();
            return line.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        /**
         * The separator of a header line as written: ',' when it holds a comma outside double quotes, else ';' or a tab
         * (the one it holds more of outside quotes), else ','. Both engines read a file's first line so.
         */
        public static char separatorOfLine(String line) {
            long commas = 0;
            long semicolons = 0;
            long tabs = 0;
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted) {
                    commas += c == ',' ? 1 : 0;
                    semicolons += c == ';' ? 1 : 0;
                    tabs += c == '\t' ? 1 : 0;
                }
            }
            return commas > 0 || semicolons == 0 && tabs == 0 ? ',' : semicolons > tabs ? ';' : '\t';
        }

        public Path file() {
            return file;
        }

        /** Where the file stops being UTF-8 when it is read as Windows-1252 (Excel's CSV on Windows), else null. */
        public dev.moe.runtime.io.Utf8.Invalid notUtf8() {
            return notUtf8;
        }

        /** Whether the file's numbers may have a decimal comma: it is separated by ';' ({@link CsvSource#pointed}). */
        public boolean decimalComma() {
            return decimalComma;
        }

        /**
         * The first cell read so far as a label or as text that had a decimal comma, as written ({@code 0,9167}), or null:
         * for init to say how it read the file (a numeric feature's cells take a faster path and are not looked at).
         */
        public String firstDecimalComma() {
            return firstDecimalComma;
        }

        /**
         * The first cell of a ';' file read as a label or as text that is written as {@code 35.000} (a point and groups of
         * three digits), or null. Beside decimal commas such a point is most likely a thousands separator, which moe reads
         * as a decimal point: for init to warn.
         */
        public Cell firstThousandsPoint() {
            return firstThousandsPoint;
        }

        /**
         * Leaves out, from here on, every row whose label cell (stripped) is one of {@code texts} ({@code ""}: a blank
         * one), before its features are checked; {@link #unlabelled()} counts them.
         */
        public Rows leavingOut(java.util.Collection<String> texts) {
            this.unlabelled = java.util.Set.copyOf(texts);
            return this;
        }

        /** The rows left out so far for their label ({@link #leavingOut}), or null when none was. */
        public Unlabelled unlabelled() {
            return leftOut.result();
        }

        /** The header's column names, in order. */
        public List<String> header() {
            return header;
        }

        /**
         * The next record's fields into {@code cells} (cleared first), skipping blank lines; false at the end.
         * Sets {@link #lineNumber} to the line the record starts on.
         */
        private boolean nextRecord(List<String> cells) throws IOException {
            while (true) {
                cells.clear();
                try {
                    JsonToken t = parser.nextToken();
                    if (t != JsonToken.START_ARRAY) {
                        return false;
                    }
                    int line = -1;
                    while (parser.nextToken() == JsonToken.VALUE_STRING) {
                        if (line < 0) {
                            line = parser.currentTokenLocation().getLineNr();
                        }
                        cells.add(parser.getText().strip());
                    }
                    if (line > 0) {
                        lineNumber = line;
                    }
                } catch (JsonParseException e) {
                    throw malformed(e);
                }
                if (!(cells.size() == 1 && cells.get(0).isEmpty())) {
                    return true; // a blank line is one empty field: skipped
                }
            }
        }

        /**
         * The next rows, at most {@code maxRows} of them (blank lines skipped), or null at the end of the file.
         *
         * @param featureColumns header indices of the columns to parse as numbers, in the order wanted
         * @param labelColumn    header index of a label column to keep as text (must not be empty), or -1
         */
        public Block next(int maxRows, int[] featureColumns, int labelColumn) {
            return next(maxRows, featureColumns, labelColumn, new int[0]);
        }

        /**
         * As {@link #next(int, int[], int)}, with the cells of the {@code textColumns} kept as text (categorical
         * columns: any value, a missing one included, is the encoding's to judge).
         */
        public Block next(int maxRows, int[] featureColumns, int labelColumn, int[] textColumns) {
            return next(maxRows, featureColumns, labelColumn, textColumns, null);
        }

        /**
         * As {@link #next(int, int[], int, int[])}, with a missing cell (blank, NA, ?, ...) of a {@code fillable} feature
         * read as NaN, for the encoding to fill; text that is not a number is refused there as anywhere.
         *
         * @param fillable for each of the {@code featureColumns}, whether its gaps are allowed; null: none is
         */
        public Block next(int maxRows, int[] featureColumns, int labelColumn, int[] textColumns, boolean[] fillable) {
            int f = featureColumns.length;
            int columns = header.size();
            // What each column of a row is: a feature's slot (>= 0), the label (-2), or ignored (-1).
            int[] role = new int[columns];
            Arrays.fill(role, -1);
            for (int k = 0; k < f; k++) {
                role[featureColumns[k]] = k;
            }
            if (labelColumn >= 0) {
                role[labelColumn] = -2;
            }
            for (int k = 0; k < textColumns.length; k++) {
                role[textColumns[k]] = -3 - k;
            }
            int capacity = Math.min(maxRows, 1024);
            String[][] text = new String[textColumns.length][capacity];
            float[] values = new float[capacity * Math.max(1, f)];
            int[] lines = new int[capacity];
            List<String> labels = new ArrayList<>();
            int rows = 0;
            try {
                while (rows < maxRows) {
                    JsonToken t = parser.nextToken();
                    if (t != JsonToken.START_ARRAY) {
                        break;
                    }
                    if (rows == lines.length) {
                        int grown = (int) Math.min(Math.max(2L * lines.length, 1), Integer.MAX_VALUE - 8);
                        if (grown == rows) {
                            throw new MoeException(file + ": more than " + rows + " rows: too many to hold in memory at once");
                        }
                        lines = Arrays.copyOf(lines, grown);
                        values = Arrays.copyOf(values, Math.multiplyExact(grown, Math.max(1, f)));
                        for (int k = 0; k < text.length; k++) {
                            text[k] = Arrays.copyOf(text[k], grown);
                        }
                    }
                    int j = 0;
                    int line = -1;
                    String label = null;
                    boolean firstEmpty = false;
                    MoeException deferred = null; // a bad value counts only once the row's field count is right
                    int base = rows * f;
                    while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                        if (line < 0) {
                            line = parser.currentTokenLocation().getLineNr();
                            firstEmpty = parser.getTextLength() == 0;
                        }
                        if (j < columns) {
                            int r = role[j];
                            if (r >= 0) {
                                float v = Decimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(),
                                        decimalComma);
                                if (Float.isNaN(v)) {
                                    // Only here: a cell with a line break never takes the fast path. Stripped, "2\n"
                                    // would read as 2, while Spark (and any line-based reader) splits the record there.
                                    if (deferred == null && hasLineBreak(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())) {
                                        deferred = lineBreak(line, header.get(j));
                                    }
                                    try {
                                        String cell = cell(j);
                                        v = fillable != null && fillable[r] && dev.moe.api.MissingCells.isMissing(cell)
                                                ? Float.NaN : parse(cell, file, line, header.get(j));
                                    } catch (MoeException e) {
                                        deferred = deferred == null ? e : deferred;
                                    }
                                }
                                values[base + r] = v;
                            } else if (r == -2) {
                                label = shared(cell(j));
                            } else if (r <= -3) {
                                text[-3 - r][rows] = shared(cell(j));
                            }
                            if (r < 0 && deferred == null && hasLineBreak(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())) {
                                deferred = lineBreak(line, header.get(j));
                            }
                        }
                        j++;
                    }
                    lineNumber = line > 0 ? line : lineNumber + 1;
                    if (j == 1 && firstEmpty) {
                        continue; // a blank line is one empty field: skipped
                    }
                    if (j != columns) {
                        throw new MoeException(file + ": line " + lineNumber + ": " + j + " fields, the header has " + columns);
                    }
                    if (deferred != null && !(labelColumn >= 0 && unlabelled.contains(label))) {
                        throw deferred;
                    }
                    if (labelColumn >= 0) {
                        if (unlabelled.contains(label)) {
                            // Left out whole: its cells were read but no value of theirs is checked or kept.
                            leftOut.add(label, lineNumber);
                            continue;
                        }
                        if (label.isEmpty()) {
                            throw new MoeException(file + ": line " + lineNumber + ": empty label (rows without a label:"
                                    + " data.unlabelled: [\"\"] leaves them out)");
                        }
                        labels.add(label);
                    }
                    lines[rows] = lineNumber;
                    rows++;
                }
            } catch (JsonParseException e) {
                throw malformed(e);
            } catch (java.io.CharConversionException e) {
                throw notUtf8(file);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw notWindows1252(file);
            } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
                throw tooLong(file, lineNumber + 1);
            } catch (IOException e) {
                throw new MoeException("cannot read data file " + file + ": " + dev.moe.runtime.io.Gzip.describe(e));
            } catch (ArithmeticException e) {
                throw new MoeException(file + ": too many rows and columns to hold in memory at once");
            }
            if (rows == 0) {
                return null;
            }
            for (int k = 0; k < text.length; k++) {
                text[k] = Arrays.copyOf(text[k], rows);
            }
            return new Block(new FloatMatrix(rows, f, Arrays.copyOf(values, rows * f)), List.copyOf(labels),
                    Arrays.copyOf(lines, rows), text);
        }

        /**
         * The current cell (of header column {@code column}), stripped, its decimal comma a point in a ';' file: the same
         * text in every column.
         */
        private String cell(int column) throws IOException {
            String cell = parser.getText().strip();
            if (!decimalComma) {
                return cell;
            }
            String read = pointed(cell);
            if (firstDecimalComma == null && read != cell) { // pointed gives the cell itself when it is no such number
                firstDecimalComma = cell;
            }
            if (firstThousandsPoint == null && read == cell && cell.indexOf('.') > 0 && THOUSANDS_POINT.matcher(cell).matches()) {
                firstThousandsPoint = new Cell(header.get(column), cell);
            }
            return read;
        }

        /** 35.000 or 1.234.567: a thousands separator where the comma is the decimal mark, or a number with three decimals. */
        private static final java.util.regex.Pattern THOUSANDS_POINT = java.util.regex.Pattern.compile("[-+]?[1-9][0-9]{0,2}(\\.[0-9]{3})+");

        private String shared(String cell) {
            String known = distinct.get(cell);
            if (known != null) {
                return known;
            }
            if (distinct.size() < 1 << 16) {
                distinct.put(cell, cell);
            }
            return cell;
        }

        /** How to make a file UTF-8: Excel's plain "CSV" is its Windows code page (1252 in Western Europe and America). */
        static final String SAVE_AS_UTF8 = "save the file as UTF-8 (Excel: Save As, CSV UTF-8; a Windows-1252 or Latin-1 file:"
                + " iconv -f WINDOWS-1252 -t UTF-8 IN.csv > OUT.csv)";

        /**
         * A file in another encoding (Latin-1, Windows-1252): by its line, found by reading the file again (the parser's
         * decoder knows only a byte offset, and decodes ahead of the line it parses).
         */
        private static MoeException notUtf8(Path file) {
            // Only a regular file is read again: a pipe or a device would give other bytes, or never end.
            dev.moe.runtime.io.Utf8.Invalid at = OutputTarget.isDash(file) || !Files.isRegularFile(file) ? null
                    : dev.moe.runtime.io.Utf8.firstInvalid(file);
            return new MoeException((OutputTarget.isDash(file) ? "standard input" : file.toString()) + ": "
                    + (at == null ? "not UTF-8 text" : at.describe()) + "; moe reads UTF-8 text: " + SAVE_AS_UTF8);
        }

        /**
         * A file that is neither UTF-8 nor Windows-1252, by the line of its first byte that Windows-1252 leaves unassigned
         * (0x81, 0x8D, 0x8F, 0x90, 0x9D; a Shift-JIS or GBK file has many), found by reading the file again.
         */
        private static MoeException notWindows1252(Path file) {
            long line = 1;
            int found = -1;
            try (InputStream in = dev.moe.runtime.io.Gzip.decompressed(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) {
                        found = b;
                        break;
                    }
                    line += b == '\n' ? 1 : 0;
                }
            } catch (IOException e) {
                found = -1;
            }
            return new MoeException(file + ": " + (found < 0 ? "neither UTF-8 nor Windows-1252 text" : "line " + line + ": byte 0x"
                    + Integer.toHexString(found).toUpperCase(java.util.Locale.ROOT) + " is neither UTF-8 nor Windows-1252 text")
                    + "; moe reads UTF-8 text: " + SAVE_AS_UTF8);
        }

        /** Jackson's cap on one field (20 million characters): /dev/zero, a binary file without line breaks. */
        private static MoeException tooLong(Path file, int line) {
            return new MoeException((OutputTarget.isDash(file) ? "standard input" : file.toString()) + ": line " + line
                    + ": a field of more than 20 million characters: not a CSV file moe can read");
        }

        private MoeException lineBreak(int line, String column) {
            return new MoeException(file + ": line " + line + ", column '" + column
                    + "': a line break inside a quoted field; moe reads one record per line");
        }

        private MoeException malformed(JsonParseException e) {
            String what = e.getOriginalMessage() == null ? "malformed CSV" : firstLine(e.getOriginalMessage());
            if (what.startsWith("Missing closing quote")) {
                what = "a quoted field is never closed (a \" without its closing \")";
            }
            if (header.isEmpty()) {
                // The first record is the header: line 1, and a file that fails there is most likely no CSV at all.
                return new MoeException(file + ": line 1 (the header): " + what + "; is this a CSV file (a header row of names,"
                        + " then one row per line, fields separated by commas)?");
            }
            return new MoeException(file + ": line " + (lineNumber + 1) + ": " + what);
        }

        @Override
        public void close() {
            closeQuietly(parser);
        }

        private static void closeQuietly(CsvParser parser) {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // Only read from: nothing is lost.
                }
            }
        }
    }

    private static boolean hasLineBreak(char[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (text[i] == '\n' || text[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static float parse(String cell, Path file, int line, String column) {
        return parseFeature(cell, file + ": line " + line + ", ", column);
    }

    /**
     * A feature cell that may come typed (Spark, a Java map) as a float: a number as it is, text parsed; missing,
     * non-numeric and non-finite values refused. The one policy for cells outside a CSV file.
     *
     * @param where put before the message, e.g. {@code "input partition 3: "}
     */
    public static float feature(Object cell, String where, String column) {
        if (cell == null) {
            throw new MoeException(where + "column '" + column + "': missing value");
        }
        if (cell instanceof Number number) {
            return requireFinite(number.floatValue(), cell, where, column);
        }
        return parseFeature(cell.toString().strip(), where, column);
    }

    /**
     * A feature cell as a float, with the one policy every reader applies (the CSV reader, Spark's rows): text that is
     * not a number, a missing value (blank, NA, NaN, ?, ...), and infinite values are refused.
     *
     * @param where put before the message, e.g. {@code "data.csv: line 3, "}
     */
    public static float parseFeature(String cell, String where, String column) {
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            // A gap in a feature, not a text column: its message says to fill or drop it rather than to ignore the column.
            if (dev.moe.api.MissingCells.isMissing(cell)) {
                throw missing(cell, where, column);
            }
            String decimalComma = decimalComma(cell);
            throw new NotANumber(where + "column '" + column + "': not a number: '" + cell + "'" + decimalComma, column,
                    !decimalComma.isEmpty());
        }
        requireFinite(v, cell, where, column);
        if (!decimal(cell)) {
            // Java's own syntaxes (0x1p3, 5d, 2.5f) are no number a CSV file means: "30d" is a duration, not 30.
            throw new NotANumber(where + "column '" + column + "': not a number: '" + cell + "'", column);
        }
        return v;
    }

    /** A cell as written, with its column's name. */
    public record Cell(String column, String text) {
    }

    /**
     * A number written with a decimal comma, as a spreadsheet in many locales writes one ({@code 0,25}, {@code -1,5E-03}):
     * a regular expression for Java and Spark SQL alike, so that both engines read a ';' file's cells the same.
     */
    public static final String DECIMAL_COMMA_NUMBER = "[-+]?[0-9]*,[0-9]+([eE][-+]?[0-9]+)?";

    private static final java.util.regex.Pattern DECIMAL_COMMA = java.util.regex.Pattern.compile(DECIMAL_COMMA_NUMBER);

    /** A number with thousands separators and a decimal mark, either way round: 1,234.5 or 1.234,5. */
    private static final java.util.regex.Pattern GROUPED = java.util.regex.Pattern.compile(
            "[-+]?[0-9]{1,3}((,[0-9]{3})+\\.[0-9]+|(\\.[0-9]{3})+,[0-9]+)");

    /**
     * The cell with its decimal comma made a point when it is a number written so ({@code 0,25} is {@code 0.25}), else
     * the cell as it is. Applied to every cell of a ';' file (a spreadsheet's export where the comma is the decimal
     * mark), and only there: in a comma-separated file {@code "12,500"} is as likely twelve thousand five hundred.
     */
    public static String pointed(String cell) {
        return cell.indexOf(',') >= 0 && DECIMAL_COMMA.matcher(cell).matches() ? cell.replace(',', '.') : cell;
    }

    /** A word for a number written with a decimal comma or thousands separators, else nothing. */
    private static String decimalComma(String cell) {
        if (DECIMAL_COMMA.matcher(cell).matches()) {
            // Outside a ';' file (pointed): a quoted cell of a comma-separated file, or a tab-separated file.
            return " (a decimal comma? moe reads numbers with a decimal point: '" + cell.replace(',', '.') + "')";
        }
        if (GROUPED.matcher(cell).matches()) {
            boolean commaPoint = cell.lastIndexOf(',') > cell.lastIndexOf('.');
            String plain = commaPoint ? cell.replace(".", "").replace(',', '.') : cell.replace(",", "");
            return " (thousands separators? moe reads numbers without them: '" + plain + "')";
        }
        return "";
    }

    /** A number with a thousands separator as English files write one: 12,500 or 1,234.5. */
    private static final java.util.regex.Pattern THOUSANDS = java.util.regex.Pattern.compile("[-+]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?");

    /**
     * Whether the cell (stripped) is a number written with a comma, which moe does not read as one: a decimal comma
     * (0,9167: a spreadsheet's ';' export in many locales) or a thousands separator (12,500 or 1,234.5).
     */
    public static boolean isCommaNumber(String cell) {
        String c = cell.strip();
        return DECIMAL_COMMA.matcher(c).matches() || THOUSANDS.matcher(c).matches() || GROUPED.matcher(c).matches();
    }

    /** Whether {@link #parseFeature} accepts the cell (stripped): a decimal that is a finite float. */
    public static boolean isFeatureNumber(String cell) {
        if (cell.isEmpty() || !decimal(cell)) {
            return false; // checked first: text, the common case of a column that is not numeric, throws nothing
        }
        try {
            return Float.isFinite(Float.parseFloat(cell));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether a cell that parsed as a finite float is written as a decimal: digits, sign, point and exponent only. */
    private static boolean decimal(String cell) {
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static MoeException missing(Object cell, String where, String column) {
        return new MoeException(where + "column '" + column + "': a missing value ('" + cell + "'); every feature cell needs "
                + "a number: name the column in data.fill (a gap then takes the training rows' median), or fill in the"
                + " missing values or drop those rows before the run");
    }

    /** Policy: missing (NaN) and infinite features are rejected; a mixture cannot score them meaningfully. */
    public static float requireFinite(float v, Object cell, String where, String column) {
        if (Float.isNaN(v)) {
            throw missing(cell, where, column); // NaN: how numeric columns (Spark's, pandas') often hold a gap
        }
        if (!Float.isFinite(v)) {
            throw new MoeException(where + "column '" + column + "': " + cell + " is not a finite number");
        }
        return v;
    }

    /** A cell of a feature column that is not a number; {@link #column} names the column. */
    public static final class NotANumber extends MoeException {

        private final String column;
        private final boolean decimalComma;

        NotANumber(String message, String column) {
            this(message, column, false);
        }

        NotANumber(String message, String column, boolean decimalComma) {
            super(message);
            this.column = column;
            this.decimalComma = decimalComma;
        }

        public String column() {
            return column;
        }

        /** Whether the cell was a number with a decimal comma: advice to ignore the column or read it as categories
         * would be beside the point. */
        public boolean decimalComma() {
            return decimalComma;
        }
    }

    static List<String> orderedLabels(java.util.Collection<String> raw) {
        TreeSet<String> distinct = new TreeSet<>(raw);
        boolean numeric = distinct.stream().allMatch(CsvSource::isNumber);
        List<String> ordered = new ArrayList<>(distinct);
        if (numeric) {
            ordered.sort(Comparator.comparingDouble(Double::parseDouble));
        }
        return List.copyOf(ordered);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

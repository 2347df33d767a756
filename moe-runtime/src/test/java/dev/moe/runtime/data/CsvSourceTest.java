package dev.moe.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsFeaturesAndOrdersNumericLabelsNumerically() throws Exception {
        Path file = write("d.csv", "a,label,b\n1,10,2\n3,9,4\n\n5,10,6\n");
        Dataset d = CsvSource.read(file, "label");
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(List.of("9", "10"), d.labelNames());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features().values());
    }

    @Test
    void badInputNamesFileLineAndColumn() throws Exception {
        Path ragged = write("ragged.csv", "a,b,label\n1,2,x\n1,2\n");
        assertEquals(ragged + ": line 3: 2 fields, the header has 3",
                assertThrows(MoeException.class, () -> CsvSource.read(ragged, "label")).getMessage());
        Path text = write("text.csv", "a,b,label\n1,two,x\n");
        assertEquals(text + ": line 2, column 'b': not a number: 'two'",
                assertThrows(MoeException.class, () -> CsvSource.read(text, "label")).getMessage());
        Path nan = write("nan.csv", "a,b,label\n1,NaN,x\n");
        assertEquals(nan + ": line 2, column 'b': a missing value ('NaN'); every feature cell needs a number: name the column in"
                + " data.fill (a gap then takes the training rows' median), or fill in the missing values or drop those rows before the run",
                assertThrows(MoeException.class, () -> CsvSource.read(nan, "label")).getMessage());
        Path empty = write("empty.csv", "");
        assertEquals(empty + ": the file is empty (expected a header row)",
                assertThrows(MoeException.class, () -> CsvSource.read(empty, "label")).getMessage());
        Path headerOnly = write("header.csv", "a,label\n");
        assertEquals(headerOnly + ": no data rows after the header",
                assertThrows(MoeException.class, () -> CsvSource.read(headerOnly, "label")).getMessage());
        Path noLabel = write("nolabel.csv", "a,b\n1,2\n");
        assertEquals("data.label: no label column 'label' in the header of " + noLabel + " (a, b); if the label is the last column,"
                + " say data.label: b",
                assertThrows(MoeException.class, () -> CsvSource.read(noLabel, "label")).getMessage());
        Path capitalised = write("capitalised.csv", "a,Label\n1,x\n");
        assertEquals("data.label: no label column 'label' (did you mean 'Label'?) in the header of " + capitalised + " (a, Label)",
                assertThrows(MoeException.class, () -> CsvSource.read(capitalised, "label")).getMessage());
        assertEquals("data file not found: " + dir.resolve("none.csv"),
                assertThrows(MoeException.class, () -> CsvSource.read(dir.resolve("none.csv"), "label")).getMessage());
    }

    @Test
    void aConfigsMissingDataFileIsReportedAtDataPath() {
        MoeException e = assertThrows(MoeException.class,
                () -> new CsvSource().load(new MoeConfig.DataConfig("csv", "absent.csv", null, null), dir, 1));
        assertEquals("data.path: data file not found: " + dir.resolve("absent.csv"), e.getMessage());
        // A folder: was "DIR: is a folder, not a CSV file", without the key (and so without the config's line).
        MoeException folder = assertThrows(MoeException.class,
                () -> new CsvSource().load(new MoeConfig.DataConfig("csv", ".", null, null), dir, 1));
        assertEquals("data.path: " + dir + " is a folder, not a CSV file", folder.getMessage());
        // "-i ''" was the current folder: ": is a folder, not a CSV file".
        assertEquals("the data file's path is empty; give a CSV file",
                assertThrows(MoeException.class, () -> CsvSource.Rows.open(Path.of(""))).getMessage());
    }

    @Test
    void ignoredColumnsAreDroppedBeforeAnyNumberIsParsed() throws Exception {
        Path file = write("people.csv", "id,a,name,label,b\nx-1,1,Ann,10,2\nx-2,3,Bob,9,4\n");
        Dataset d = CsvSource.read(file, "label", List.of("id", "name"));
        assertEquals(List.of("a", "b"), d.featureNames());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features().values());
        assertArrayEquals(new int[] {1, 0}, d.labels());

        assertEquals("data.ignore names column 'nmae', which " + file + " does not have (did you mean 'name'?); its columns: id, a,"
                + " name, label, b",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of("id", "nmae"))).getMessage());
        assertEquals("data.ignore names 'label', the label column; a run needs its labels",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of("label"))).getMessage());
    }

    @Test
    void categoricalColumnsAreKeptAsTextInTheirPlaceAndCheckedByName() throws Exception {
        Path file = write("people.csv", "id,a,colour,label,b\nx-1,1,red,10,2\nx-2,3, NA ,9,4\n");
        Dataset d = CsvSource.read(file, "label", List.of("id"), List.of("colour"));
        assertEquals(List.of("a", "b"), d.featureNames());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features().values());
        assertEquals(List.of("colour"), d.text().names());
        assertArrayEquals(new int[] {1}, d.text().positions()); // between a and b
        assertArrayEquals(new String[] {"red", "NA"}, d.text().cells()[0]); // stripped; a missing value kept for the encoding
        Dataset all = CsvSource.read(file, "label", List.of("id"), List.of("all"));
        assertEquals(List.of(), all.featureNames());
        assertEquals(List.of("a", "colour", "b"), all.text().names());

        assertEquals("data.categorical names column 'colur', which " + file + " does not have (did you mean 'colour'?); its columns:"
                + " id, a, colour, label, b",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of(), List.of("colur"))).getMessage());
        assertEquals("data.categorical names 'label', the label column; labels are read as text already",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of(), List.of("label"))).getMessage());
        assertEquals("data.categorical names 'id', which data.ignore also names",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of("id"), List.of("id"))).getMessage());
    }

    @Test
    void aTextColumnInAConfigsRunSaysToIgnoreIt() throws Exception {
        Path file = write("people.csv", "id,a,name,label\n1,1,Ann,10\n2,3,Bob,9\n");
        dev.moe.runtime.config.MoeConfig.DataConfig data = new dev.moe.runtime.config.MoeConfig.DataConfig("csv", "people.csv", null, null,
                List.of("id"));
        MoeException e = assertThrows(MoeException.class, () -> new CsvSource().load(data, dir, 1));
        // Still the file, line and column, as before; then what to do about it.
        assertEquals(file + ": line 2, column 'name': not a number: 'Ann'; if 'name' is not a feature, add it to data.ignore in the config "
                + "(data: { ignore: [name] }); if its values are categories, add it to data.categorical (data: { categorical: [name] })",
                e.getMessage());
        assertEquals(2, new CsvSource().load(new dev.moe.runtime.config.MoeConfig.DataConfig("csv", "people.csv", null, null,
                List.of("id", "name")), dir, 1).rows());
    }

    @Test
    void aMissingValueIsNamedAsOneAndNotSentToDataIgnore() throws Exception {
        Path file = write("gaps.csv", "a,b,label\n1,2,x\n3, ,y\n4,NA,x\n5,?,y\n6,NaN,x\n");
        dev.moe.runtime.config.MoeConfig.DataConfig data = new dev.moe.runtime.config.MoeConfig.DataConfig("csv", "gaps.csv", null, null,
                List.of());
        MoeException e = assertThrows(MoeException.class, () -> new CsvSource().load(data, dir, 1));
        assertEquals(file + ": line 3, column 'b': a missing value (''); every feature cell needs a number: name the column in"
                + " data.fill (a gap then takes the training rows' median), or fill in the missing values or drop those rows before the run", e.getMessage());
        for (String gap : List.of("NA", "?", "NaN", "n/a")) {
            Path one = write("gap.csv", "a,b,label\n1,2,x\n3," + gap + ",y\n");
            MoeException each = assertThrows(MoeException.class, () -> CsvSource.read(one, "label"));
            assertTrue(each.getMessage().contains("column 'b': a missing value ('" + gap + "')"), each.getMessage());
        }
        // Text that is not a gap keeps its own message.
        Path text = write("text.csv", "a,b,label\n1,2,x\n3,tall,y\n");
        assertTrue(assertThrows(MoeException.class, () -> CsvSource.read(text, "label")).getMessage().contains("not a number: 'tall'"));
    }

    @Test
    void aFilledColumnReadsItsGapsAsNaNAndStillRefusesText() throws Exception {
        Path file = write("gaps.csv", "a,b,colour,label,c\n1,2,red,x,7\n3, ,blue,y,8\n4,NA,red,x,9\n5,?,red,y,1\n6,NaN,blue,x,2\n");
        Dataset d = CsvSource.read(file, "label", List.of(), List.of("colour"), List.of("b"));
        assertEquals(List.of("a", "b", "c"), d.featureNames());
        assertEquals(List.of("b"), d.filled());
        assertArrayEquals(new float[] {2, Float.NaN, Float.NaN, Float.NaN, Float.NaN}, d.features().selectColumns(new int[] {1}).values());
        assertTrue(d.needsEncoding());
        assertEquals(List.of("b"), d.subset(new int[] {1, 0}).filled());
        // [all]: every numeric feature column, never a categorical one
        assertEquals(List.of("a", "b", "c"), CsvSource.read(file, "label", List.of(), List.of("colour"), List.of("all")).filled());
        // A gap in a column not filled is refused as before; text in a filled column too, with its line.
        assertTrue(assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of(), List.of("colour"), List.of("c")))
                .getMessage().startsWith(file + ": line 3, column 'b': a missing value ('')"));
        Path text = write("text.csv", "a,b,label\n1,2,x\n3,,y\n4,tall,x\n");
        assertEquals(text + ": line 4, column 'b': not a number: 'tall'",
                assertThrows(MoeException.class, () -> CsvSource.read(text, "label", List.of(), List.of(), List.of("b"))).getMessage());

        assertEquals("data.fill names column 'bb', which " + file + " does not have (did you mean 'b'?); its columns: a, b, colour, label, c",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of(), List.of(), List.of("bb"))).getMessage());
        assertEquals("data.fill names 'label', the label column; a row without its label cannot be filled in",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of(), List.of(), List.of("label"))).getMessage());
        assertEquals("data.fill names 'a', which data.ignore also names",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of("a"), List.of(), List.of("a"))).getMessage());
        assertEquals("data.fill names 'colour', which data.categorical also names; a categorical column's missing cells encode as"
                + " none of its levels already", assertThrows(MoeException.class,
                () -> CsvSource.read(file, "label", List.of(), List.of("colour"), List.of("colour"))).getMessage());
        assertEquals("data.fill: [all] with data.categorical: [all] leaves no numeric column to fill", assertThrows(MoeException.class,
                () -> CsvSource.read(file, "label", List.of(), List.of("all"), List.of("all"))).getMessage());
    }

    /** The label may be any column, the first too; blank lines before the header are skipped as any other. */
    @Test
    void aLabelInTheFirstColumnAndBlankLinesBeforeTheHeader() throws Exception {
        Dataset first = CsvSource.read(write("first.csv", "label,a,b\nx,1,2\ny,3,4\n"), "label");
        assertEquals(List.of("a", "b"), first.featureNames());
        assertArrayEquals(new float[] {1, 2, 3, 4}, first.features().values());
        assertArrayEquals(new int[] {0, 1}, first.labels());

        Path late = write("late.csv", "\n\na,label\n1,x\n2,y\n");
        Dataset d = CsvSource.read(late, "label");
        assertEquals(List.of("a"), d.featureNames());
        assertArrayEquals(new float[] {1, 2}, d.features().values());
        // Line numbers count the blank lines: the header is line 3.
        Path lateBad = write("late-bad.csv", "\n\na,label\n1,x\n2\n");
        assertEquals(lateBad + ": line 5: 1 fields, the header has 2",
                assertThrows(MoeException.class, () -> CsvSource.read(lateBad, "label")).getMessage());
        Path lateQuote = write("late-quote.csv", "\n\na,label\n\"1,x\n");
        assertEquals(lateQuote + ": line 4: a quoted field is never closed (a \" without its closing \")",
                assertThrows(MoeException.class, () -> CsvSource.read(lateQuote, "label")).getMessage());
    }

    /**
     * A doubled column name: two features of one name reached the experts ("expert 'a': duplicate feature names"), and a
     * doubled label column was read as a feature (told to add 'label' to data.ignore, which refuses the label).
     */
    @Test
    void aDoubledColumnNameIsRefusedUnlessIgnored() throws Exception {
        Path feature = write("feature.csv", "a,a,label\n1,2,x\n3,4,y\n");
        assertEquals(feature + ": column 'a' appears twice in the header; give each column its own name (or name it in data.ignore)",
                assertThrows(MoeException.class, () -> CsvSource.read(feature, "label")).getMessage());
        Path label = write("label.csv", "label,a,label\nx,1,x\ny,2,y\n");
        assertEquals(label + ": column 'label' appears twice in the header; give each column its own name (or name it in data.ignore)",
                assertThrows(MoeException.class, () -> CsvSource.read(label, "label")).getMessage());
        // Ignored by name: every column of that name goes.
        Path ids = write("ids.csv", "id,a,id,label\np,1,q,x\nr,2,s,y\n");
        Dataset d = CsvSource.read(ids, "label", List.of("id"));
        assertEquals(List.of("a"), d.featureNames());
        assertArrayEquals(new float[] {1, 2}, d.features().values());
    }

    /** Java's float syntaxes beyond decimals were read as numbers: a column of "30d" durations became 30. */
    @Test
    void onlyDecimalsAreNumbersNotJavasHexOrTypeSuffixes() throws Exception {
        for (String cell : List.of("0x1p3", "30d", "2.5f", "1.5D", "7F", "0X10P0")) {
            Path file = write("java.csv", "a,b,label\n1,2,x\n1," + cell + ",y\n");
            assertEquals(file + ": line 3, column 'b': not a number: '" + cell + "'",
                    assertThrows(MoeException.class, () -> CsvSource.read(file, "label")).getMessage(), cell);
        }
        Path plain = write("plain.csv", "a,label\n1e-3,x\n+5,y\n.5,x\n-0,y\n 7 ,x\n2.5E2,y\n");
        assertArrayEquals(new float[] {1e-3f, 5f, 0.5f, -0f, 7f, 250f}, CsvSource.read(plain, "label").features().values());
        assertEquals("part 1: column 'b': not a number: '30d'",
                assertThrows(MoeException.class, () -> CsvSource.feature("30d", "part 1: ", "b")).getMessage());
    }

    /**
     * A file in Latin-1 was "cannot read data file: Invalid UTF-8 middle byte 0xa (at char #4601, byte #4602)", then
     * refused at the line of its first such byte; now it is read as Windows-1252 (Excel's CSV on Windows; Latin-1's
     * letters are the same bytes), and only a file that is neither is refused, at that line.
     */
    @Test
    void aFileInAnotherEncodingIsReadAsWindows1252OrNamedWithTheLineOfItsFirstBadByte() throws Exception {
        StringBuilder text = new StringBuilder("a,label\n");
        for (int i = 0; i < 5000; i++) {
            text.append(i).append(i == 2999 ? ",caf\u00e9\n" : i % 2 == 0 ? ",x\n" : ",\u20ac\n");
        }
        Path file = dir.resolve("latin1.csv");
        Files.write(file, text.toString().getBytes("windows-1252"));
        Dataset read = CsvSource.read(file, "label");
        assertEquals(List.of("caf\u00e9", "x", "\u20ac"), read.labelNames());
        assertEquals(5000, read.rows());
        try (CsvSource.Rows rows = CsvSource.Rows.open(file)) {
            assertEquals("line 3: byte 0x80 is not UTF-8", rows.notUtf8().describe()); // the euro sign
        }
        try (CsvSource.Rows rows = CsvSource.Rows.open(write("utf8.csv", "a,label\n1,caf\u00e9\n"))) {
            assertEquals(null, rows.notUtf8());
            assertEquals("caf\u00e9", rows.next(10, new int[] {0}, 1).labels().get(0));
        }
        Path header = dir.resolve("header.csv");
        Files.write(header, "caf\u00e9,label\n1,x\n2,y\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(List.of("caf\u00e9"), CsvSource.read(header, "label").featureNames());

        // 0x81 is no Windows-1252 character (a Shift-JIS or GBK file has many such): refused, streamed in blocks or not.
        byte[] bytes = text.toString().replace("caf\u00e9", "caf").getBytes("windows-1252");
        int at = text.indexOf("\n2999,") + 6;
        bytes[at] = (byte) 0x81;
        Path neither = Files.write(dir.resolve("neither.csv"), bytes);
        String expected = neither + ": line 3001: byte 0x81 is neither UTF-8 nor Windows-1252 text; moe reads UTF-8 text: "
                + CsvSource.Rows.SAVE_AS_UTF8;
        assertEquals(expected, assertThrows(MoeException.class, () -> CsvSource.read(neither, "label")).getMessage());
        try (CsvSource.Rows rows = CsvSource.Rows.open(neither)) {
            assertEquals(expected, assertThrows(MoeException.class, () -> {
                while (rows.next(100, new int[] {0}, 1) != null) {
                    // streamed in blocks, as predict reads
                }
            }).getMessage());
        }
    }

    /**
     * A field past Jackson's cap (20 million characters: /dev/zero, a binary file) was "String value length (20051112)
     * exceeds the maximum allowed (20000000, from `StreamReadConstraints.getMaxStringLength()`)".
     */
    @Test
    void aFieldOfMoreThanTwentyMillionCharactersIsNamedByItsLine() throws Exception {
        Path file = dir.resolve("long.csv");
        try (java.io.Writer w = Files.newBufferedWriter(file)) {
            w.write("a,label\n1,x\n");
            w.write("1,");
            for (int i = 0; i < 2_100; i++) {
                w.write("y".repeat(10_000));
            }
            w.write("\n");
        }
        assertEquals(file + ": line 3: a field of more than 20 million characters: not a CSV file moe can read",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label")).getMessage());
    }

    /** A saved mixture given as the data was "Invalid UTF-8 middle byte 0x61 (at char #45, byte #47)". */
    @Test
    void aZipFileGivenAsDataIsNamedAsOne() throws Exception {
        Path bundle = dir.resolve("m.csv");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bundle))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("a"));
            zip.write("a,label\n1,x\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(bundle + ": a zip file (a saved mixture?), not a CSV file; a saved mixture is given with -m",
                assertThrows(MoeException.class, () -> CsvSource.read(bundle, "label")).getMessage());
    }

    /**
     * pandas' to_csv writes its row index as a first column with no name: it was read as a feature named '' (on a file
     * sorted by label, a perfect predictor), and data.ignore cannot name it. A trailing comma said "column ''".
     */
    @Test
    void aColumnWithoutANameIsRefusedUnlessIgnoredAsEmptyName() throws Exception {
        Path pandas = write("pandas.csv", ",a,label\n0,1.5,x\n1,2.5,y\n");
        assertEquals(pandas + ": column 1 of the header has no name (a row index written by pandas or R? a trailing"
                + " comma?); leave it out with data.ignore: [\"\"], or give it a name",
                assertThrows(MoeException.class, () -> CsvSource.read(pandas, "label")).getMessage());
        Path trailing = write("trailing.csv", "a,label,\n1.5,x,\n2.5,y,\n");
        assertTrue(assertThrows(MoeException.class, () -> CsvSource.read(trailing, "label")).getMessage()
                .startsWith(trailing + ": column 3 of the header has no name"));

        // data.ignore: [""] leaves out every unnamed column (an index and a trailing comma's), and only those.
        Path both = write("both.csv", ",a,label,\n0,1.5,x,\n1,2.5,y,\n");
        Dataset read = CsvSource.read(both, "label", List.of(""));
        assertEquals(List.of("a"), read.featureNames());
        assertEquals(1.5f, read.features().get(0, 0));
        assertEquals(2.5f, read.features().get(1, 0));
    }

    /**
     * A spreadsheet's export with ';' (where the comma is the decimal mark) and TSV files were refused ("save the file
     * with commas"); a header that reads as one column holding ';' or tabs is read again with that separator.
     */
    @Test
    void semicolonAndTabSeparatedFilesAreReadAsTheCommaSeparatedOne() throws Exception {
        Dataset commas = CsvSource.read(write("commas.csv", "a,b,label\n1,2.5,x\n3,-4,\"y;z\"\n"), "label");
        Dataset semicolons = CsvSource.read(write("semicolons.csv", "a;b;label\n1;2.5;x\n3;-4;\"y;z\"\n"), "label");
        Dataset tabs = CsvSource.read(write("tabs.tsv", "a\tb\tlabel\r\n1\t2.5\tx\r\n3\t-4\t\"y;z\"\r\n"), "label");
        for (Dataset other : List.of(semicolons, tabs)) {
            assertEquals(commas.featureNames(), other.featureNames());
            assertEquals(commas.labelNames(), other.labelNames());
            assertArrayEquals(commas.labels(), other.labels());
            assertEquals(commas.features(), other.features());
        }
        assertEquals(List.of("x", "y;z"), commas.labelNames());
        assertEquals(',', CsvSource.Rows.separatorOfLine("a b"));
        assertEquals('\t', CsvSource.Rows.separatorOfLine("a;b\tc\td"));

        // A ';' file's decimal commas are points (Excel's export where the comma is the decimal mark): the same data.
        Dataset decimalCommas = CsvSource.read(write("decimal-commas.csv", "a;b;label\n1;2,5;x\n3;-4;\"y;z\"\n"), "label");
        assertEquals(commas.features(), decimalCommas.features());
        assertArrayEquals(commas.labels(), decimalCommas.labels());
        // Elsewhere a comma in a number is refused, with what moe would read: "12,500" may be twelve thousand.
        Path quoted = write("quoted-comma.csv", "a,b,label\n1,\"2,5\",x\n3,-4,y\n");
        assertEquals(quoted + ": line 2, column 'b': not a number: '2,5' (a decimal comma? moe reads numbers with a decimal"
                + " point: '2.5')",
                assertThrows(MoeException.class, () -> CsvSource.read(quoted, "label")).getMessage());
    }

    /** A file that fails in its first record (JSON lines here) said "line 2" and Jackson's words only. */
    @Test
    void aFileThatIsNoCsvFailsAtItsHeaderOnLineOne() throws Exception {
        Path json = write("rows.jsonl", "{\"a\":1,\"label\":\"x\"}\n{\"a\":2,\"label\":\"y\"}\n");
        String message = assertThrows(MoeException.class, () -> CsvSource.read(json, "label")).getMessage();
        assertTrue(message.startsWith(json + ": line 1 (the header): "), message);
        assertTrue(message.endsWith("; is this a CSV file (a header row of names, then one row per line, fields separated by"
                + " commas)?"), message);
        assertEquals(-1, message.indexOf('\n'), message);
    }

    /** A column named 'all' could not be listed beside another: the config was refused before the header was read. */
    @Test
    void aColumnNamedAllMayBeListedBesideOthers() throws Exception {
        Path named = write("named.csv", "colour,all,x,label\nred,p,1,a\nblue,q,2,b\n");
        Dataset d = CsvSource.read(named, "label", List.of(), List.of("colour", "all"));
        assertEquals(List.of("colour", "all"), d.text().names());
        assertEquals(List.of("x"), d.featureNames());
        Path plain = write("plain.csv", "colour,x,label\nred,1,a\nblue,2,b\n");
        assertEquals("data.categorical: 'all' stands alone (every column but the label and data.ignore); got it beside other names,"
                + " and " + plain + " has no column 'all'",
                assertThrows(MoeException.class, () -> CsvSource.read(plain, "label", List.of(), List.of("all", "colour"))).getMessage());
    }

    /**
     * A label or category that repeats is held once: a String per row was most of the memory reading took (3M rows of
     * iris, 91 MB: a peak between 300 and 400 MB before, between 200 and 250 MB after; 4.7 s before, 2.6 s after).
     */
    @Test
    void aRepeatedLabelOrCategoryIsOneString() throws Exception {
        Path file = write("repeat.csv", "colour,x,label\nred,1,a\nblue,2,b\nred,3,a\n");
        try (CsvSource.Rows rows = CsvSource.Rows.open(file)) {
            CsvSource.Block b = rows.next(10, new int[] {1}, 2, new int[] {0});
            assertEquals(List.of("a", "b", "a"), b.labels());
            org.junit.jupiter.api.Assertions.assertSame(b.labels().get(0), b.labels().get(2));
            assertEquals("red", b.text()[0][2]);
            org.junit.jupiter.api.Assertions.assertSame(b.text()[0][0], b.text()[0][2]);
        }
    }

    /** A block holds at most the rows asked for; the next block goes on where it stopped. */
    @Test
    void rowsAreStreamedInBlocksOfTheSizeAsked() throws Exception {
        Path file = write("rows.csv", "a,label,b\n1,x,2\n3,y,4\n\n5,x,6\n");
        try (CsvSource.Rows rows = CsvSource.Rows.open(file)) {
            assertEquals(List.of("a", "label", "b"), rows.header());
            assertEquals(file, rows.file());
            CsvSource.Block first = rows.next(2, new int[] {2, 0}, 1);
            assertEquals(2, first.rows());
            assertArrayEquals(new float[] {2, 1, 4, 3}, first.features().values());
            assertEquals(List.of("x", "y"), first.labels());
            assertArrayEquals(new int[] {2, 3}, first.lines());
            CsvSource.Block second = rows.next(2, new int[] {2, 0}, -1);
            assertEquals(1, second.rows());
            assertArrayEquals(new float[] {6, 5}, second.features().values());
            assertEquals(List.of(), second.labels());
            assertArrayEquals(new int[] {5}, second.lines());
            assertEquals(null, rows.next(2, new int[] {2, 0}, 1));
        }
    }

    /** One record per line for every column: a quoted line break in a feature cell is refused as in any other column. */
    @Test
    void aLineBreakInsideAQuotedFeatureIsRefused() throws Exception {
        Path file = write("broken.csv", "a,b,label\n1,\"2\n\",x\n3,4,y\n");
        assertEquals(file + ": line 2, column 'b': a line break inside a quoted field; moe reads one record per line",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label")).getMessage());
        Path inside = write("inside.csv", "a,b,label\n1,\"2\r\n5\",x\n3,4,y\n");
        assertEquals(inside + ": line 2, column 'b': a line break inside a quoted field; moe reads one record per line",
                assertThrows(MoeException.class, () -> CsvSource.read(inside, "label")).getMessage());
    }

    @Test
    void aConfigsRowsSampleIsASeededSubsetInFileOrder() throws Exception {
        StringBuilder csv = new StringBuilder("a,label\n");
        for (int i = 0; i < 50; i++) {
            csv.append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        write("fifty.csv", csv.toString());
        MoeConfig.DataConfig ten = new MoeConfig.DataConfig("csv", "fifty.csv", null, 10);
        Dataset sample = new CsvSource().load(ten, dir, 7);
        assertEquals(10, sample.rows());
        float[] values = sample.features().values();
        for (int i = 1; i < values.length; i++) {
            assertTrue(values[i - 1] < values[i], "in file order, each row once: " + java.util.Arrays.toString(values));
        }
        assertArrayEquals(values, new CsvSource().load(ten, dir, 7).features().values(), "the same seed, the same rows");
        assertTrue(!java.util.Arrays.equals(values, new CsvSource().load(ten, dir, 8).features().values()), "another seed, other rows");
        assertEquals(50, new CsvSource().load(new MoeConfig.DataConfig("csv", "fifty.csv", null, 50), dir, 7).rows());
        assertEquals(50, new CsvSource().load(new MoeConfig.DataConfig("csv", "fifty.csv", null, 80), dir, 7).rows());
        assertEquals(3, new CsvSource().load(new MoeConfig.DataConfig("csv", "fifty.csv", null, 3), dir, 7).rows());
        assertEquals("data.rows must be at least 3, got 2", assertThrows(MoeException.class,
                () -> new CsvSource().load(new MoeConfig.DataConfig("csv", "fifty.csv", null, 2), dir, 7)).getMessage());
        assertEquals("data.path is required for the csv source", assertThrows(MoeException.class,
                () -> new CsvSource().load(new MoeConfig.DataConfig("csv", null, null, null), dir, 7)).getMessage());
    }

    @Test
    void rowsWhoseLabelMeansNoneAreLeftOutBeforeTheirFeaturesAreCheckedAndCounted() throws Exception {
        // Line 3's 'n/a' and line 5's blank would be refused as features: the rows are left out before that.
        Path file = write("na.csv", "a,b,label\n1,2,x\n3,abc,NA\n5,6,y\n,8,\n9,10,NA\n11,12,x\n13,14,NA\n15,16,NA\n");
        Dataset d = CsvSource.read(file, "label", List.of(), List.of(), List.of(), List.of("NA", ""));
        assertEquals(List.of("x", "y"), d.labelNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertArrayEquals(new float[] {1, 2, 5, 6, 11, 12}, d.features().values());
        Unlabelled left = d.unlabelled();
        assertEquals(5, left.rows());
        assertEquals(List.of("NA", ""), left.texts());
        assertEquals(List.of(3, 5, 6), left.firstLines());
        assertEquals("na.csv: 5 rows without a label ('NA', '') left out (data.unlabelled): lines 3, 5, 6, ...",
                left.warning("na.csv"));
        assertEquals("one.csv: 1 row without a label ('NA') left out (data.unlabelled): line 3",
                new Unlabelled(1, List.of("NA"), List.of(3)).warning("one.csv"));
        // Compared as written: only the texts named, "na" is a label of its own.
        Path lower = write("lower.csv", "a,label\n1,x\n2,na\n3,NA\n");
        Dataset kept = CsvSource.read(lower, "label", List.of(), List.of(), List.of(), List.of("NA"));
        assertEquals(List.of("na", "x"), kept.labelNames());
        assertEquals(List.of(4), kept.unlabelled().firstLines());
        assertEquals(null, CsvSource.read(lower, "label").unlabelled(), "nothing left out without the key");
        // Without the key, NA is a label and a blank one is refused, naming the way out.
        assertEquals(List.of("NA", "x", "y"), CsvSource.read(write("plain.csv", "a,label\n1,x\n2,NA\n3,y\n"), "label").labelNames());
        Path blank = write("blank.csv", "a,label\n1,x\n2,\n");
        assertEquals(blank + ": line 3: empty label (rows without a label: data.unlabelled: [\"\"] leaves them out)",
                assertThrows(MoeException.class, () -> CsvSource.read(blank, "label")).getMessage());
        Path none = write("none.csv", "a,label\n1,NA\n2,NA\n");
        assertEquals(none + ": no data rows after the header but the 2 without a label (data.unlabelled)", assertThrows(MoeException.class,
                () -> CsvSource.read(none, "label", List.of(), List.of(), List.of(), List.of("NA"))).getMessage());
        // A ragged row is refused all the same: the file is wrong, not the row's label.
        Path ragged = write("ragged-na.csv", "a,b,label\n1,2,x\n3,NA\n");
        assertEquals(ragged + ": line 3: 2 fields, the header has 3", assertThrows(MoeException.class,
                () -> CsvSource.read(ragged, "label", List.of(), List.of(), List.of(), List.of("NA"))).getMessage());
    }

    @Test
    void aConfigsUnlabelledRowsAreLeftOutBeforeTheRowsSample() throws Exception {
        StringBuilder csv = new StringBuilder("a,label\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i).append(',').append(i % 3 == 0 ? "NA" : i % 3 == 1 ? "one" : "two").append('\n');
        }
        write("sixty.csv", csv.toString());
        MoeConfig.DataConfig config = new MoeConfig.DataConfig("csv", "sixty.csv", null, 30, null, null, null, List.of("NA"));
        for (long seed = 1; seed <= 5; seed++) {
            Dataset sample = new CsvSource().load(config, dir, seed);
            assertEquals(30, sample.rows(), "a sample of the 40 labelled rows");
            assertEquals(List.of("one", "two"), sample.labelNames());
            for (float a : sample.features().values()) {
                assertTrue((int) a % 3 != 0, "an unlabelled row sampled: " + a);
            }
            assertEquals(20, sample.unlabelled().rows(), "the file's count, not the sample's");
        }
        // Every labelled row when the sample asks for more than there are.
        assertEquals(40, new CsvSource().load(new MoeConfig.DataConfig("csv", "sixty.csv", null, 50, null, null, null, List.of("NA")),
                dir, 1).rows());
    }

    @Test
    void ignoringEveryFeatureIsRefused() throws Exception {
        Path file = write("ids.csv", "id,label\n1,x\n2,y\n");
        assertEquals(file + ": no feature columns left besides the label and data.ignore",
                assertThrows(MoeException.class, () -> CsvSource.read(file, "label", List.of("id"))).getMessage());
    }
}

package dev.moe.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CategoricalEncodingTest {

    @TempDir
    Path dir;

    /** Rows 0-3 fit the encoding; row 4 has a level only it has, row 5 missing cells. */
    private Dataset data() throws Exception {
        Path file = Files.writeString(dir.resolve("d.csv"), """
                size,colour,x,code,label
                10,red,1.5,2,a
                10,blue,2.5,10,b
                10,red,3.5,10,a
                10,green,4.5,2,b
                10,mauve,5.5,3,a
                10,NA,6.5,,b
                """);
        return CsvSource.read(file, "label", List.of("size"), List.of("colour", "code"));
    }

    @Test
    void theLevelsComeFromTheFittingRowsOnlySortedAndTheColumnsKeepTheirPlace() throws Exception {
        Dataset raw = data();
        assertEquals(List.of("x"), raw.featureNames());
        assertEquals(List.of("colour", "code"), raw.text().names());
        CategoricalEncoding e = CategoricalEncoding.fit(raw, new int[] {0, 1, 2, 3});
        // mauve and 3 (rows 4 and 5 only) are no level; numbers sort as numbers (2 before 10).
        assertEquals(List.of("colour=blue", "colour=green", "colour=red", "x", "code=2", "code=10"), e.featureNames());
        assertEquals(List.of("colour", "x", "code"), e.inputColumns());
        CategoricalEncoding all = CategoricalEncoding.fit(raw, new int[] {0, 1, 2, 3, 4, 5});
        assertEquals(List.of("colour=blue", "colour=green", "colour=mauve", "colour=red", "x", "code=2", "code=3", "code=10"),
                all.featureNames());
    }

    @Test
    void anUnseenLevelAndAMissingCellEncodeAsAllZerosAndAreCounted() throws Exception {
        Dataset raw = data();
        CategoricalEncoding e = CategoricalEncoding.fit(raw, new int[] {0, 1, 2, 3});
        CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
        Dataset encoded = e.encode(raw, tally);
        assertEquals(e.featureNames(), encoded.featureNames());
        assertEquals(null, encoded.text());
        FloatMatrix x = encoded.features();
        assertArrayEquals(new float[] {0, 0, 1, 1.5f, 1, 0}, x.row(0));
        assertArrayEquals(new float[] {1, 0, 0, 2.5f, 0, 1}, x.row(1));
        assertArrayEquals(new float[] {0, 0, 0, 5.5f, 0, 0}, x.row(4)); // mauve and code 3: unseen
        assertArrayEquals(new float[] {0, 0, 0, 6.5f, 0, 0}, x.row(5)); // NA and a blank: missing
        assertEquals(1, tally.unseen("colour"));
        assertEquals(1, tally.missing("colour"));
        assertEquals(1, tally.unseen("code"));
        assertEquals(1, tally.missing("code"));
        assertEquals("categorical cells encoded as none of the known levels (all zeros): 'colour' 1 missing, 1 with a level"
                + " unseen in training (e.g. 'mauve'); 'code' 1 missing, 1 with a level unseen in training (e.g. '3')", tally.summary());
    }

    /** Soybean has 35 categorical columns with gaps: the line names the first few and sums the rest. */
    @Test
    void theSummaryNamesTheFirstColumnsAndSumsTheRest() {
        CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
        for (int c = 0; c < CategoricalEncoding.Tally.SHOWN + 2; c++) {
            tally.count("c" + c, "NA");
        }
        tally.count("c" + (CategoricalEncoding.Tally.SHOWN + 1), "new");
        String summary = tally.summary();
        assertTrue(summary.endsWith("'c5' 1 missing; and 2 more columns (2 missing, 1 unseen)"), summary);
        assertFalse(summary.contains("'c6'"), summary);
    }

    /** Spark meets the columns row by row, in another order than the blocks do: put in input order, the line is the same. */
    @Test
    void aTallyInInputOrderSaysTheLineTheBlocksSay() {
        CategoricalEncoding.Tally rowByRow = new CategoricalEncoding.Tally();
        rowByRow.count("code", "3");
        rowByRow.fill("g", 2);
        rowByRow.count("colour", "NA");
        rowByRow.fill("f", 1);
        CategoricalEncoding.Tally blocks = new CategoricalEncoding.Tally();
        blocks.count("colour", "NA");
        blocks.count("code", "3");
        blocks.fill("f", 1);
        blocks.fill("g", 2);
        assertFalse(blocks.summary().equals(rowByRow.summary()));
        CategoricalEncoding.Tally ordered = rowByRow.inOrderOf(List.of("colour", "f", "code", "g"));
        assertEquals(blocks.summary(), ordered.summary());
        assertEquals(1, ordered.unseen("code"));
        assertEquals(2, ordered.filled("g"));
    }

    @Test
    void theRecordedEncodingIsTheFittedOneAndEncodesTypedRowsAsBlocks() throws Exception {
        Dataset raw = data();
        CategoricalEncoding e = CategoricalEncoding.fit(raw, new int[] {0, 1, 2, 3});
        CategoricalEncoding again = CategoricalEncoding.of(e.featureNames(), e.categorical());
        assertEquals(e, again);
        assertEquals(List.of("colour", "x", "code"), again.inputColumns());
        FloatMatrix blocks = e.encode(raw, new CategoricalEncoding.Tally()).features();
        float[] row = new float[e.featureNames().size() + 1];
        CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
        again.encodeRow(new Object[] {" blue ", 2.5, 10}, row, 1, "", tally); // a Spark row: typed cells
        assertArrayEquals(blocks.row(1), java.util.Arrays.copyOfRange(row, 1, row.length));
        again.encodeRow(new Object[] {null, "5.5", "3"}, row, 1, "", tally);
        assertArrayEquals(blocks.row(4), java.util.Arrays.copyOfRange(row, 1, row.length));
        assertEquals(1, tally.missing("colour"));
        assertEquals(1, tally.unseen("code"));
        // A typed number is its numeric level: a double 10.0 (Spark, Parquet from pandas) is the level "10", as 10 is.
        again.encodeRow(new Object[] {" blue ", 2.5, 10.0}, row, 1, "", tally);
        assertArrayEquals(blocks.row(1), java.util.Arrays.copyOfRange(row, 1, row.length));
        again.encodeRow(new Object[] {" blue ", 2.5, 10L}, row, 1, "", tally);
        assertArrayEquals(blocks.row(1), java.util.Arrays.copyOfRange(row, 1, row.length));
        again.encodeRow(new Object[] {" blue ", 2.5, 10.5f}, row, 1, "", tally); // no such level: none, counted
        assertEquals(0f, row[1 + 4] + row[1 + 5]);
        assertEquals(2, tally.unseen("code"));
        // Two levels of one value ("06" and "6" as text): a number whose text is neither cannot tell them apart.
        CategoricalEncoding twins = CategoricalEncoding.of(List.of("c=06", "c=6"), List.of(new CategoricalEncoding.Column("c", List.of("06", "6"))));
        float[] two = new float[2];
        twins.encodeRow(new Object[] {6}, two, 0, "", tally);
        assertArrayEquals(new float[] {0, 1}, two, "its text '6' is a level");
        twins.encodeRow(new Object[] {6.0}, two, 0, "", tally);
        assertArrayEquals(new float[] {0, 0}, two, "6.0 is '06' and '6' alike: neither");
        MoeException bad = assertThrows(MoeException.class, () -> again.encodeRow(new Object[] {"red", "NA", "2"}, row, 0, "row 3: ", tally));
        assertTrue(bad.getMessage().startsWith("row 3: column 'x': a missing value ('NA')"), bad.getMessage());
        // A Latin-1 'é' that Spark decoded to U+FFFD: not an unseen level to count, but a cell no level can be read from.
        long unseen = tally.unseen("colour");
        MoeException latin1 = assertThrows(MoeException.class,
                () -> again.encodeRow(new Object[] {"bl\uFFFDe", 2.5, 10}, row, 0, "input partition 0: ", tally));
        assertTrue(latin1.getMessage().startsWith("input partition 0: column 'colour': 'bl\uFFFDe' holds U+FFFD"), latin1.getMessage());
        assertEquals(unseen, tally.unseen("colour"));
        assertThrows(IllegalArgumentException.class, () -> CategoricalEncoding.of(List.of("x", "colour=red"),
                List.of(new CategoricalEncoding.Column("colour", List.of("blue", "red")))));
    }

    /** An id column named categorical: 10,000 ids ran 5.5 minutes in 6 GB and made a feature per row, with no warning. */
    @Test
    void anIdentifierIsRefusedAndAColumnOfRepeatedLevelsIsNot() throws Exception {
        StringBuilder ids = new StringBuilder("id,x,label\n");
        StringBuilder shared = new StringBuilder("code,x,label\n");
        for (int i = 0; i < 400; i++) {
            ids.append("id").append(i).append(',').append(i).append(',').append(i % 2).append('\n');
            shared.append("c").append(i / 2).append(',').append(i).append(',').append(i % 2).append('\n');
        }
        Dataset raw = CsvSource.read(Files.writeString(dir.resolve("ids.csv"), ids), "label", List.of(), List.of("id"));
        int[] fitted = java.util.stream.IntStream.range(0, 280).toArray();
        assertEquals("ids.csv: categorical column 'id' has 280 levels in 280 rows, nearly one per row: an identifier or a"
                + " measurement, not categories (one-hot would give 280 features that no new row's level matches); add it to"
                + " data.ignore, or leave it out of data.categorical to read it as numbers",
                assertThrows(MoeException.class, () -> CategoricalEncoding.fit(raw, fitted)).getMessage());
        // Each level on two rows: categories, however many.
        Dataset codes = CsvSource.read(Files.writeString(dir.resolve("codes.csv"), shared), "label", List.of(), List.of("code"));
        assertEquals(141, CategoricalEncoding.fit(codes, fitted).featureNames().size());
        // Fewer levels than an identifier needs: a small file's names are left alone.
        assertEquals(51, CategoricalEncoding.fit(raw, java.util.stream.IntStream.range(0, 50).toArray()).featureNames().size());
    }

    /** More rows times features than one array holds: was an ArithmeticException ("integer overflow"), an internal error. */
    @Test
    void tooManyRowsTimesLevelsForOneArrayIsNamed() throws Exception {
        StringBuilder text = new StringBuilder("code,label\n");
        for (int i = 0; i < 4000; i++) {
            text.append("c").append(i / 2).append(',').append(i % 2).append('\n');
        }
        Dataset raw = CsvSource.read(Files.writeString(dir.resolve("many.csv"), text), "label", List.of(), List.of("code"));
        CategoricalEncoding e = CategoricalEncoding.fit(raw, java.util.stream.IntStream.range(0, 4000).toArray());
        int rows = 1_100_000;
        String[] cells = new String[rows];
        java.util.Arrays.fill(cells, "c1");
        MoeException m = assertThrows(MoeException.class,
                () -> e.encode(new FloatMatrix(rows, 0, new float[0]), new String[][] {cells}, new CategoricalEncoding.Tally()));
        assertEquals("1100000 rows of 2000 features (2000 of them from categorical levels) are too many to hold in one array:"
                + " fewer rows (data.rows), or fewer levels", m.getMessage());
    }

    @Test
    void aLevelNamedAsAnotherColumnIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("clash.csv"), "c=a,c,label\n1,a,x\n2,b,y\n");
        Dataset raw = CsvSource.read(file, "label", List.of(), List.of("c"));
        MoeException e = assertThrows(MoeException.class, () -> CategoricalEncoding.fit(raw, new int[] {0, 1}));
        assertEquals("clash.csv: feature 'c=a' twice: a categorical column's level is named as another column is; rename that column",
                e.getMessage());
    }

    /** Rows 0-3 fit; row 4 (a test row, say) has a gap and a value far off; row 5 a value far off. */
    private Dataset gaps() throws Exception {
        Path file = Files.writeString(dir.resolve("g.csv"), """
                x,colour,g,label
                1,red,4,a
                2,blue,,b
                3,red,1,a
                4,blue,10,b
                5,red,NA,a
                6,red,1000,b
                """);
        return CsvSource.read(file, "label", List.of(), List.of("colour"), List.of("g"));
    }

    @Test
    void aFilledColumnIsItsValueOrTheFittingRowsMedianAndAnIndicatorInItsPlace() throws Exception {
        Dataset raw = gaps();
        CategoricalEncoding e = CategoricalEncoding.fit(raw, new int[] {0, 1, 2, 3});
        // The median of 4, 1, 10 (row 1's gap skipped): row 5's 1000 never moves it.
        assertEquals(List.of(CategoricalEncoding.Column.filled("g", 4)), e.filled());
        assertEquals(List.of("x", "colour=blue", "colour=red", "g", "g=missing"), e.featureNames());
        assertEquals(List.of("x", "colour", "g"), e.inputColumns());
        assertEquals(4.0, CategoricalEncoding.fit(raw, new int[] {0, 1, 2, 3, 4}).filled().get(0).median());
        // An even count: the mean of the two middle values (1, 4, 10, 1000 -> 7).
        assertEquals(7.0, CategoricalEncoding.fit(raw, new int[] {0, 2, 3, 5}).filled().get(0).median());
        CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
        FloatMatrix x = e.encode(raw, tally).features();
        assertArrayEquals(new float[] {1, 0, 1, 4, 0}, x.row(0));
        assertArrayEquals(new float[] {2, 1, 0, 4, 1}, x.row(1));
        assertArrayEquals(new float[] {4, 1, 0, 10, 0}, x.row(3));
        assertArrayEquals(new float[] {5, 0, 1, 4, 1}, x.row(4));
        assertArrayEquals(new float[] {6, 0, 1, 1000, 0}, x.row(5));
        assertEquals(2, tally.filled("g"));
        assertEquals("missing numeric cells filled with the training rows' median (column=missing set to 1): 'g' 2", tally.summary());
        // A Spark row's typed cells fill the same way: null, NaN or a missing value's text.
        for (Object gap : new Object[] {null, Double.NaN, "NA", " "}) {
            float[] row = new float[5];
            e.encodeRow(new Object[] {2.0, "blue", gap}, row, 0, "", tally);
            assertArrayEquals(new float[] {2, 1, 0, 4, 1}, row, String.valueOf(gap));
        }
        float[] row = new float[5];
        e.encodeRow(new Object[] {2.0, "blue", "7.5"}, row, 0, "", tally);
        assertArrayEquals(new float[] {2, 1, 0, 7.5f, 0}, row);
        assertEquals("part 1: column 'g': not a number: 'tall'", assertThrows(MoeException.class,
                () -> e.encodeRow(new Object[] {2.0, "blue", "tall"}, new float[5], 0, "part 1: ", new CategoricalEncoding.Tally())).getMessage());
        // What a bundle records gives the same encoding back.
        assertEquals(e, CategoricalEncoding.of(e.featureNames(), e.encoded()));
        assertEquals("filled column 'h': its features ('h', 'h=missing') are not among the features", assertThrows(
                IllegalArgumentException.class, () -> CategoricalEncoding.of(List.of("x"), List.of(CategoricalEncoding.Column.filled("h", 1))))
                .getMessage());
    }

    @Test
    void anIndicatorNamedAsAnotherColumnIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("clash.csv"), "g,g=missing,label\n1,2,a\n,3,b\n");
        Dataset raw = CsvSource.read(file, "label", List.of(), List.of(), List.of("g"));
        MoeException e = assertThrows(MoeException.class, () -> CategoricalEncoding.fit(raw, new int[] {0, 1}));
        assertTrue(e.getMessage().startsWith("clash.csv: feature 'g=missing' twice"), e.getMessage());
    }
}

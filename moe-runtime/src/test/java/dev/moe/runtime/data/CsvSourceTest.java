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
        assertEquals(nan + ": line 2, column 'b': a missing value ('NaN'); every feature cell needs a number: fill in the missing "
                + "values or drop those rows before the run",
                assertThrows(MoeException.class, () -> CsvSource.read(nan, "label")).getMessage());
        Path empty = write("empty.csv", "");
        assertEquals(empty + ": the file is empty (expected a header row)",
                assertThrows(MoeException.class, () -> CsvSource.read(empty, "label")).getMessage());
        Path headerOnly = write("header.csv", "a,label\n");
        assertEquals(headerOnly + ": no data rows after the header",
                assertThrows(MoeException.class, () -> CsvSource.read(headerOnly, "label")).getMessage());
        Path noLabel = write("nolabel.csv", "a,b\n1,2\n");
        assertEquals("data.label: no label column 'label' in the header of " + noLabel + " (a, b)",
                assertThrows(MoeException.class, () -> CsvSource.read(noLabel, "label")).getMessage());
        Path capitalised = write("capitalised.csv", "a,Label\n1,x\n");
        assertEquals("data.label: no label column 'label' (did you mean 'Label'?) in the header of " + capitalised + " (a, Label)",
                assertThrows(MoeException.class, () -> CsvSource.read(capitalised, "label")).getMessage());
        Path semicolons = write("semicolons.csv", "a;b;label\n1;2;x\n");
        assertEquals(semicolons + ": the header is one column holding ';' separators; moe reads comma-separated files (RFC 4180):"
                + " save the file with commas", assertThrows(MoeException.class, () -> CsvSource.read(semicolons, "label")).getMessage());
        Path tabs = write("tabs.csv", "a\tb\tlabel\n1\t2\tx\n");
        assertEquals(tabs + ": the header is one column holding '\\t' separators; moe reads comma-separated files (RFC 4180):"
                + " save the file with commas", assertThrows(MoeException.class, () -> CsvSource.read(tabs, "label")).getMessage());
        assertEquals("data file not found: " + dir.resolve("none.csv"),
                assertThrows(MoeException.class, () -> CsvSource.read(dir.resolve("none.csv"), "label")).getMessage());
    }

    @Test
    void aConfigsMissingDataFileIsReportedAtDataPath() {
        MoeException e = assertThrows(MoeException.class,
                () -> new CsvSource().load(new MoeConfig.DataConfig("csv", "absent.csv", null, null), dir, 1));
        assertEquals("data.path: data file not found: " + dir.resolve("absent.csv"), e.getMessage());
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
    void aTextColumnInAConfigsRunSaysToIgnoreIt() throws Exception {
        Path file = write("people.csv", "id,a,name,label\n1,1,Ann,10\n2,3,Bob,9\n");
        dev.moe.runtime.config.MoeConfig.DataConfig data = new dev.moe.runtime.config.MoeConfig.DataConfig("csv", "people.csv", null, null,
                List.of("id"));
        MoeException e = assertThrows(MoeException.class, () -> new CsvSource().load(data, dir, 1));
        // Still the file, line and column, as before; then what to do about it.
        assertEquals(file + ": line 2, column 'name': not a number: 'Ann'; if 'name' is not a feature, add it to data.ignore in the config "
                + "(data: { ignore: [name] })", e.getMessage());
        assertEquals(2, new CsvSource().load(new dev.moe.runtime.config.MoeConfig.DataConfig("csv", "people.csv", null, null,
                List.of("id", "name")), dir, 1).rows());
    }

    @Test
    void aMissingValueIsNamedAsOneAndNotSentToDataIgnore() throws Exception {
        Path file = write("gaps.csv", "a,b,label\n1,2,x\n3, ,y\n4,NA,x\n5,?,y\n6,NaN,x\n");
        dev.moe.runtime.config.MoeConfig.DataConfig data = new dev.moe.runtime.config.MoeConfig.DataConfig("csv", "gaps.csv", null, null,
                List.of());
        MoeException e = assertThrows(MoeException.class, () -> new CsvSource().load(data, dir, 1));
        assertEquals(file + ": line 3, column 'b': a missing value (''); every feature cell needs a number: fill in the missing "
                + "values or drop those rows before the run", e.getMessage());
        for (String gap : List.of("NA", "?", "NaN", "n/a")) {
            Path one = write("gap.csv", "a,b,label\n1,2,x\n3," + gap + ",y\n");
            MoeException each = assertThrows(MoeException.class, () -> CsvSource.read(one, "label"));
            assertTrue(each.getMessage().contains("column 'b': a missing value ('" + gap + "')"), each.getMessage());
        }
        // Text that is not a gap keeps its own message.
        Path text = write("text.csv", "a,b,label\n1,2,x\n3,tall,y\n");
        assertTrue(assertThrows(MoeException.class, () -> CsvSource.read(text, "label")).getMessage().contains("not a number: 'tall'"));
    }
}

package dev.moe.cli;

import static dev.moe.cli.MainTest.moe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

    @TempDir
    Path dir;

    /**
     * 90 rows, three labels a measurement apart, a width with gaps (NA on every 11th row), a colour column, and the
     * label in a column called 'species'.
     */
    private Path data() throws Exception {
        StringBuilder csv = new StringBuilder("length,width,colour,species\n");
        String[] species = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 90; i++) {
            int k = i % 3;
            csv.append(1 + k * 2 + (i % 7) * 0.1).append(',').append(i % 11 == 0 ? "NA" : String.valueOf(0.5 + k + (i % 5) * 0.07)).append(',')
                    .append(k == 2 && i % 2 == 0 ? "dark" : "light").append(',').append(species[k]).append('\n');
        }
        Path file = dir.resolve("data/flowers.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void writesAConfigThatMoeEvaluateRuns() throws Exception {
        Path config = dir.resolve("configs/flowers.yaml");
        MainTest.Result init = moe("init", data().toString(), "-o", config.toString());
        assertEquals(0, init.status(), init.err());
        String nl = System.lineSeparator();
        assertTrue(init.out().startsWith("wrote " + config + ": label 'species' (3 labels), 90 rows" + nl
                + "  the label is the last column: --label COLUMN names another" + nl
                + "  features: 2 numeric (1 with missing cells, filled: data.fill), 1 categorical, 0 left out" + nl
                + "  categorical (2 one-hot features): colour" + nl), init.out());
        assertTrue(init.out().endsWith("next: moe evaluate " + config + System.lineSeparator()), init.out());
        String text = Files.readString(config);
        assertTrue(text.contains("  path: ../data/flowers.csv\n  label: species\n"), text);
        assertTrue(text.contains("  categorical: [colour]\n"), text);
        assertTrue(text.contains("  fill: [width]\n"), text);

        MainTest.Result run = moe("evaluate", config.toString(), "--repeat", "1", "-q");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("1 repeat, 27 test rows, data flowers.csv"), run.out());
    }

    /**
     * The same rows as R's write.csv2 writes them where the comma is the decimal mark (';', decimal commas, every name
     * and string quoted): the config of the file with commas, and a line saying how the file was read.
     */
    @Test
    void aFileWithDecimalCommasGivesTheConfigOfTheFileWithPoints() throws Exception {
        Path points = data();
        List<String> lines = Files.readAllLines(points);
        StringBuilder csv2 = new StringBuilder();
        for (String line : lines) {
            List<String> cells = new java.util.ArrayList<>();
            for (String cell : line.split(",")) {
                cells.add(cell.matches("[0-9.]+") ? cell.replace('.', ',') : "\"" + cell + "\"");
            }
            csv2.append(String.join(";", cells)).append('\n');
        }
        Path commas = Files.writeString(dir.resolve("data/flowers2.csv"), csv2);
        MainTest.Result init = moe("init", commas.toString(), "-o", dir.resolve("data/flowers2.yaml").toString());
        MainTest.Result plain = moe("init", points.toString(), "-o", dir.resolve("data/flowers.yaml").toString());
        assertEquals(0, init.status(), init.err());
        assertEquals(Files.readString(dir.resolve("data/flowers.yaml")),
                Files.readString(dir.resolve("data/flowers2.yaml")).replace("flowers2", "flowers"));
        String nl = System.lineSeparator();
        assertTrue(init.out().contains(" rows" + nl + "  separated by ';', with decimal commas, read as numbers (the first: '1,0'"
                + " is 1.0)" + nl), init.out());
        assertEquals(false, plain.out().contains("decimal commas"), plain.out());
        assertEquals(false, init.out().contains("thousands"), init.out());
    }

    /** Excel with "use 1000 separator" writes 35000 as 35.000 beside 0,5: read as 35.0, so init warns. */
    @Test
    void aPointWithGroupsOfThreeDigitsBesideDecimalCommasIsWarnedAbout() throws Exception {
        StringBuilder csv = new StringBuilder("income;rate;label\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i % 3 == 0 ? (10 + i) + ".500" : String.valueOf(900 + i)).append(';').append("0,").append(i % 10).append(';')
                    .append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path file = Files.writeString(dir.resolve("income.csv"), csv);
        MainTest.Result init = moe("init", file.toString(), "-o", dir.resolve("income.yaml").toString());
        assertEquals(0, init.status(), init.err());
        assertTrue(init.out().replaceAll("\\s+", " ").contains("warning: 'income': '10.500' has a"
                + " point and groups of three digits in a file with decimal commas: a thousands separator?"), init.out());
    }

    /** A file written by pandas' to_csv (its row index first, under no name) runs as init writes it, the index left out. */
    @Test
    void theRowIndexPandasWritesIsLeftOutAndTheRunReadsTheRest() throws Exception {
        Path data = data();
        Path pandas = dir.resolve("data/pandas.csv");
        List<String> lines = Files.readAllLines(data);
        StringBuilder csv = new StringBuilder("," + lines.get(0) + "\n");
        for (int i = 1; i < lines.size(); i++) {
            csv.append(i - 1).append(',').append(lines.get(i)).append('\n');
        }
        Files.writeString(pandas, csv);
        Path config = dir.resolve("pandas.yaml");
        MainTest.Result init = moe("init", pandas.toString(), "-o", config.toString());
        assertEquals(0, init.status(), init.err());
        assertTrue(init.out().contains("1 left out" + System.lineSeparator() + "  categorical (2 one-hot features): colour" + System.lineSeparator()
                + "  left out the column without a name: the row numbers or row names that pandas' to_csv and R's"), init.out());
        assertTrue(Files.readString(config).contains("  ignore: [\"\"]\n"));
        MainTest.Result run = moe("evaluate", config.toString(), "--repeat", "1", "-q");
        assertEquals(0, run.status(), run.err());
        // The same rows and seed as the file without its index: the same figures.
        Path plain = dir.resolve("plain.yaml");
        Files.writeString(plain, Files.readString(config).replace("pandas.csv", "flowers.csv").replace("  ignore: [\"\"]\n", ""));
        assertEquals(moe("evaluate", plain.toString(), "--repeat", "1", "-q").out().replace("flowers.csv", "pandas.csv"), run.out());
    }

    @Test
    void anExistingConfigIsReplacedOnlyWithOverwriteAndTheDataFileNever() throws Exception {
        Path data = data();
        Path config = dir.resolve("flowers.yaml");
        Files.writeString(config, "mine\n");
        MainTest.Result again = moe("init", data.toString(), "-o", config.toString());
        assertEquals(2, again.status());
        assertEquals("moe: " + config + ": exists; pass --overwrite to replace it, or choose another output", again.err().strip());
        assertEquals("mine\n", Files.readString(config));

        MainTest.Result overData = moe("init", data.toString(), "-o", data.toString(), "--overwrite");
        assertEquals(2, overData.status());
        assertTrue(overData.err().contains("would overwrite " + data + ", the data file of this command"), overData.err());

        assertEquals(0, moe("init", data.toString(), "-o", config.toString(), "--overwrite").status());
        assertTrue(Files.readString(config).startsWith("# A first moe config for flowers.csv"));
    }

    @Test
    void toStandardOutputTheConfigGoesToStdoutAndTheSummaryToStderr() throws Exception {
        MainTest.Result r = moe("init", data().toString(), "-o", "-", "--label", "colour");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("# A first moe config for flowers.csv"), r.out());
        assertTrue(r.out().contains("  label: colour\n"), r.out());
        assertTrue(r.out().contains("  categorical: [species]\n"), r.out());
        assertTrue(r.err().startsWith("config written: label 'colour' (2 labels)"), r.err());
    }

    @Test
    void aFileMoeCannotReadIsOneLine() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b,label\n1,2,x\n3,4\n");
        MainTest.Result r = moe("init", bad.toString(), "-o", dir.resolve("bad.yaml").toString());
        assertEquals(2, r.status());
        assertEquals("moe: " + bad + ": line 3: 2 fields, the header has 3", r.err().strip());
        assertTrue(Files.notExists(dir.resolve("bad.yaml")));
    }

    @Test
    void theDefaultNameIsTheDataFilesWithoutItsEndings() {
        assertEquals("pima", InitCommand.stem("pima.csv"));
        assertEquals("pima", InitCommand.stem("pima.csv.gz"));
        assertEquals("wine", InitCommand.stem("wine.tsv.gz"));
        assertEquals("data.v2", InitCommand.stem("data.v2.txt"));
        assertEquals(".csv", InitCommand.stem(".csv"));
    }

    /** At 80 columns the summary breaks between words (as one line it had broken mid-word at the terminal's edge). */
    @Test
    void theSummaryIsWrappedAtTheTerminalsWidth() throws Exception {
        Path file = dir.resolve("gappy.csv");
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i % 4 == 0 ? "NA" : String.valueOf(i * 0.5)).append(',').append(i % 3).append(',').append(i % 2).append('\n');
        }
        Files.writeString(file, csv);
        dev.moe.runtime.starter.StarterConfig s = dev.moe.runtime.starter.StarterConfig.of(
                dev.moe.runtime.starter.CsvProfile.read(file), null, "gappy.csv", Path.of("gappy.yaml"));
        String summary = InitCommand.summary(s, Path.of("a-config-file-with-a-rather-long-name-indeed.yaml"), 80);
        for (String line : summary.split(System.lineSeparator())) {
            assertTrue(line.length() <= 80, line);
        }
        assertTrue(summary.contains("  features: 2 numeric (1 with missing cells, filled: data.fill), 0 categorical,"
                + System.lineSeparator() + "  0 left out"), summary);
    }
}

package dev.moe.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Path FILE = Path.of("exp.yaml");
    private static final String EXPERTS = "experts:\n  - id: e1\n    provider: nd4j-mlp\n";

    private static String error(String yaml) {
        return assertThrows(MoeException.class, () -> ConfigLoader.parse(yaml, FILE)).getMessage();
    }

    @Test
    void readsAWholeConfigWithDefaults() {
        MoeConfig c = ConfigLoader.parse("data:\n  source: synthetic-seed\n" + EXPERTS
                + "    subset: { labels: [\"0\", \"1\"] }\n    params: { hidden: 32 }\ngate:\n  hidden: []\n  learning-rate: 0.01\n"
                + "routing:\n  strategy: top-k\n  params: { k: 1 }\n", FILE);
        assertEquals("synthetic-seed", c.data().source());
        assertEquals(List.of("0", "1"), c.experts().get(0).subset().labels());
        assertEquals(32, c.experts().get(0).params().get("hidden"));
        assertEquals(List.of(), c.gate().hidden());
        assertEquals(0.01, c.gate().learningRate());
        assertEquals("top-k", c.routing().strategyOrDefault());
        assertEquals(42, c.seedOrDefault());
        assertEquals(0.5, c.split().expertsOrDefault());
        assertEquals(FILE, c.source());
    }

    @Test
    void unknownKeyNamesLineAndSuggestsTheClosest() {
        assertEquals("exp.yaml: line 7: unknown key 'gate.epoch' (did you mean 'epochs'?)",
                error("data:\n  source: csv\n" + EXPERTS + "gate:\n  epoch: 3\n"));
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertEquals("exp.yaml: line 7: gate.epochs: expected an integer",
                error("data:\n  source: csv\n" + EXPERTS + "gate:\n  epochs: ten\n"));
        assertEquals("exp.yaml: line 6: seed: expected an integer", error("data:\n  source: csv\n" + EXPERTS + "seed: 1.5\n"));
        assertEquals("exp.yaml: line 1: experts: expected a list", error("experts: 3\ndata:\n  source: csv\n"));
    }

    /** A YAML mistake inside a section names the line of the mistake and what is wrong, not the section's first line. */
    @Test
    void yamlSyntaxErrorsInsideASectionNameTheirLine() {
        assertEquals("exp.yaml: line 4: duplicate key 'data.path' (a key may appear once per mapping)",
                error("data:\n  source: csv\n  path: d.csv\n  path: e.csv\n" + EXPERTS));
        assertEquals("exp.yaml: line 5: not valid YAML: expected <block end>, but found '?'",
                error("data: { source: csv }\nexperts:\n  - id: a\n    provider: tribuo\n  params: { algorithm: cart }\n"));
        assertEquals("exp.yaml: line 3: not valid YAML: mapping values are not allowed here",
                error("data:\n  source: csv\n   path: x\n" + EXPERTS));
        assertEquals("exp.yaml: line 2: not valid YAML: expected ',' or '}', but got :",
                error("data: { source: csv\nexperts:\n"));
    }

    @Test
    void missingAndInvalidEntriesAreReported() {
        assertEquals("exp.yaml: data.source is required (synthetic-seed or csv)", error(EXPERTS));
        assertEquals("exp.yaml: experts: at least one expert is required", error("data:\n  source: csv\n"));
        assertEquals("exp.yaml: line 6: experts[1]: duplicate id 'e1'",
                error("data:\n  source: csv\n" + EXPERTS + "  - id: e1\n    provider: nd4j-mlp\n"));
        assertEquals("exp.yaml: line 7: gate.epochs must be positive, got 0", error("data:\n  source: csv\n" + EXPERTS + "gate:\n  epochs: 0\n"));
        assertEquals("exp.yaml: the config file is empty", error("  \n"));
    }

    /** The data file or a saved mixture given where the config goes: said so, not "(top level): expected a mapping". */
    @Test
    void aDataFileOrABundleInsteadOfTheConfigIsNamedAsSuch(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = java.nio.file.Files.writeString(dir.resolve("glass.csv"), "RI,Na,label\n1.5,13,a\n");
        assertEquals(csv + ": not a moe config (a YAML mapping of keys such as data: and experts:); a data file is named in a"
                + " config under data.path (`moe init " + csv + "` writes one)",
                assertThrows(MoeException.class, () -> ConfigLoader.load(csv)).getMessage());
        assertEquals("exp.yaml: not a moe config (a YAML mapping of keys such as data: and experts:)", error("- a\n- b\n"));
        Path bundle = dir.resolve("m.moe");
        try (var zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(bundle))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("manifest.json"));
            zip.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(bundle + ": a zip file (a saved mixture?), not a moe config; a saved mixture is evaluated with moe evaluate -m "
                + bundle + " --data DATA.csv", assertThrows(MoeException.class, () -> ConfigLoader.load(bundle)).getMessage());
    }

    /** Decoded leniently, Latin-1 bytes became U+FFFD: an expert id changed silently, a data.path was "not found". */
    @Test
    void aConfigInLatin1IsRefusedAtItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path latin1 = java.nio.file.Files.write(dir.resolve("c.yaml"),
                ("data: { source: synthetic-seed }\nexperts:\n  - { id: caf\u00e9, provider: nd4j-mlp }\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": line 3: byte 0xE9 is not UTF-8; moe reads a config as UTF-8 text: save it as UTF-8",
                assertThrows(MoeException.class, () -> ConfigLoader.load(latin1)).getMessage());
        Path utf8 = java.nio.file.Files.write(dir.resolve("u.yaml"),
                ("data: { source: synthetic-seed }\nexperts:\n  - { id: caf\u00e9, provider: nd4j-mlp }\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("caf\u00e9", ConfigLoader.load(utf8).experts().get(0).id());
    }

    /** An empty list entry was "(top level): Cannot construct instance of `MoeConfig`, problem: NullPointerException". */
    @Test
    void anEmptyExpertOrBaselineEntryIsNamed() {
        assertEquals("exp.yaml: line 6: experts[1]: an empty entry (a '-' with nothing after it); give its id and provider",
                error("data:\n  source: synthetic-seed\n" + EXPERTS + "  -\n"));
        assertEquals("exp.yaml: line 7: baselines[0]: an empty entry (a '-' with nothing after it); give its id and provider",
                error("data:\n  source: synthetic-seed\n" + EXPERTS + "baselines:\n  -\n"));
    }

    /** data.rows: 2 passed the validator's "at least 2" and then met the csv source's "at least 3", without a line. */
    @Test
    void aCsvSampleOfFewerThanThreeRowsIsRefusedAtItsLine() {
        assertEquals("exp.yaml: line 4: data.rows must be at least 3, got 2",
                error("data:\n  source: csv\n  path: d.csv\n  rows: 2\n" + EXPERTS));
        assertEquals(2, ConfigLoader.parse("data:\n  source: synthetic-seed\n  rows: 2\n" + EXPERTS, FILE).data().rows());
    }

    /** Two experts saving to one file: the second claim said "another moe process is writing it now". */
    @Test
    void twoExpertsSavingToOneFileAreRefused() {
        assertEquals("exp.yaml: line 5: experts[1].params.save: ./models/x.bin is the file expert 'a' saves to as well; give each its own",
                error("data:\n  source: synthetic-seed\nexperts:\n  - { id: a, provider: nd4j-mlp, params: { save: models/x.bin } }\n"
                        + "  - { id: b, provider: nd4j-mlp, params: { save: ./models/x.bin } }\n"));
        assertEquals(2, ConfigLoader.parse("data:\n  source: synthetic-seed\nexperts:\n"
                + "  - { id: a, provider: nd4j-mlp, params: { save: models/x.bin } }\n"
                + "  - { id: b, provider: nd4j-mlp, params: { save: models/y.bin } }\n", FILE).experts().size());
    }

    /** Was "not valid YAML: Numeric value (3000000000) out of range of int (-2147483648 - 2147483647)". */
    @Test
    void aNumberTooLargeForItsKeyNamesTheBound() {
        assertEquals("exp.yaml: line 1: repeat: 3000000000 is out of range: at most 2147483647 here",
                error("repeat: 3000000000\ndata:\n  source: synthetic-seed\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: seed: 99999999999999999999 is out of range: at most 9223372036854775807 here",
                error("seed: 99999999999999999999\ndata:\n  source: synthetic-seed\n" + EXPERTS));
    }

    /** A second document after "---" was dropped without a word: its "seed: 3" never applied. */
    @Test
    void aSecondYamlDocumentIsRefused() {
        assertEquals("exp.yaml: line 7: a second YAML document (after '---'); a moe config is one document: merge the two, or keep one",
                error("data:\n  source: synthetic-seed\n" + EXPERTS + "---\nseed: 3\n"));
        assertEquals(1, ConfigLoader.parse("---\nseed: 1\ndata:\n  source: synthetic-seed\n" + EXPERTS, FILE).seed());
    }

    @Test
    void missingFileIsOneLine() {
        assertEquals("config file not found: no/such.yaml",
                assertThrows(MoeException.class, () -> ConfigLoader.load(Path.of("no/such.yaml"))).getMessage());
    }

    @Test
    void aMistypedConfigNameSuggestsTheNearestYamlBesideIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("glass.yaml"), "seed: 1\n");
        java.nio.file.Files.writeString(dir.resolve("vehicle.yaml"), "seed: 1\n");
        Path typo = dir.resolve("glas.yaml");
        assertEquals("config file not found: " + typo + "; did you mean " + dir.resolve("glass.yaml") + "?",
                assertThrows(MoeException.class, () -> ConfigLoader.load(typo)).getMessage());
        Path unlike = dir.resolve("satellite.yaml");
        assertEquals("config file not found: " + unlike,
                assertThrows(MoeException.class, () -> ConfigLoader.load(unlike)).getMessage());
    }

    @Test
    void dataIgnoreListsColumnsToLeaveOut() {
        MoeConfig c = ConfigLoader.parse("data: { source: csv, path: d.csv, ignore: [id, name] }\n" + EXPERTS, FILE);
        assertEquals(java.util.List.of("id", "name"), c.data().ignore());
        assertEquals(java.util.List.of(), ConfigLoader.parse("data: { source: csv, path: d.csv }\n" + EXPERTS, FILE).data().ignore());
        assertEquals("exp.yaml: data.ignore names columns of a csv file; data.source is synthetic-seed",
                error("data: { source: synthetic-seed, ignore: [id] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
        assertEquals("exp.yaml: data.ignore: every entry is a column name (\"\" for a column without one); got none",
                error("data: { source: csv, path: d.csv, ignore: [~] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
        assertEquals("exp.yaml: data.ignore: every entry is a column name (\"\" for a column without one); got ' '",
                error("data: { source: csv, path: d.csv, ignore: [\" \"] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
        // "" names the column a header leaves unnamed (the row index pandas' to_csv and R's write.csv write).
        assertEquals(java.util.List.of("", "id"),
                ConfigLoader.parse("data: { source: csv, path: d.csv, ignore: [\"\", id] }\n" + EXPERTS, FILE).data().ignore());
    }

    @Test
    void dataUnlabelledListsLabelCellsThatMeanNone() {
        MoeConfig c = ConfigLoader.parse("data: { source: csv, path: d.csv, unlabelled: [NA, \"\", \"?\"] }\n" + EXPERTS, FILE);
        assertEquals(java.util.List.of("NA", "", "?"), c.data().unlabelled());
        assertEquals(java.util.List.of(), ConfigLoader.parse("data: { source: csv, path: d.csv }\n" + EXPERTS, FILE).data().unlabelled());
        assertEquals("exp.yaml: data.unlabelled: every entry is a label cell's text (\"\" for a blank cell, NA for R's); got an"
                + " empty entry (~ or null)",
                error("data: { source: csv, path: d.csv, unlabelled: [NA, ~] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
        assertEquals("exp.yaml: data.unlabelled names label cells of a csv file; data.source is synthetic-seed",
                error("data: { source: synthetic-seed, unlabelled: [NA] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
        assertTrue(error("data: { source: csv, path: d.csv, unlabelled: { a: b } }\n" + EXPERTS).contains("data.unlabelled"));
    }

    @Test
    void dataCategoricalIsCheckedAgainstTheLabelAndDataIgnore() {
        MoeConfig c = ConfigLoader.parse("data: { source: csv, path: d.csv, categorical: [colour, shape] }\n" + EXPERTS, FILE);
        assertEquals(java.util.List.of("colour", "shape"), c.data().categorical());
        assertEquals(java.util.List.of(), ConfigLoader.parse("data: { source: csv, path: d.csv }\n" + EXPERTS, FILE).data().categorical());
        assertEquals("exp.yaml: line 1: data.categorical names '" + "id', which data.ignore also names; a column is either ignored or a feature",
                error("data: { source: csv, path: d.csv, ignore: [id], categorical: [id] }\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: data.categorical names 'y', the label column; labels are read as text already",
                error("data: { source: csv, path: d.csv, label: y, categorical: [y] }\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: data.categorical names 'label', the label column; labels are read as text already",
                error("data: { source: csv, path: d.csv, categorical: [label] }\n" + EXPERTS));
        // 'all' beside other names is checked against the file's header (a column may be named all): CsvSourceTest.
        assertEquals(java.util.List.of("all", "colour"),
                ConfigLoader.parse("data: { source: csv, path: d.csv, categorical: [all, colour] }\n" + EXPERTS, FILE).data().categorical());
        assertEquals("exp.yaml: line 1: data.categorical names 'colour' twice",
                error("data: { source: csv, path: d.csv, categorical: [colour, colour] }\n" + EXPERTS));
        assertEquals("exp.yaml: data.categorical names columns of a csv file; data.source is synthetic-seed",
                error("data: { source: synthetic-seed, categorical: [a] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
    }

    @Test
    void dataFillIsCheckedAgainstTheLabelDataIgnoreAndDataCategorical() {
        MoeConfig c = ConfigLoader.parse("data: { source: csv, path: d.csv, fill: [insulin, triceps] }\n" + EXPERTS, FILE);
        assertEquals(java.util.List.of("insulin", "triceps"), c.data().fill());
        assertEquals(java.util.List.of(), ConfigLoader.parse("data: { source: csv, path: d.csv }\n" + EXPERTS, FILE).data().fill());
        assertEquals("exp.yaml: line 1: data.fill names 'id', which data.ignore also names; a column is either ignored or a feature",
                error("data: { source: csv, path: d.csv, ignore: [id], fill: [id] }\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: data.fill names 'code', which data.categorical also names; a categorical column's missing"
                + " cells encode as none of its levels already",
                error("data: { source: csv, path: d.csv, categorical: [code], fill: [code] }\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: data.fill names 'y', the label column; a row without its label cannot be filled in",
                error("data: { source: csv, path: d.csv, label: y, fill: [y] }\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: data.fill names 'label', the label column; a row without its label cannot be filled in",
                error("data: { source: csv, path: d.csv, fill: [label] }\n" + EXPERTS));
        assertEquals("exp.yaml: line 1: data.fill names 'mass' twice",
                error("data: { source: csv, path: d.csv, fill: [mass, mass] }\n" + EXPERTS));
        assertEquals("exp.yaml: data.fill: every entry is a column name (or the word all); got an empty one",
                error("data: { source: csv, path: d.csv, fill: [~] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
        assertEquals("exp.yaml: data.fill names columns of a csv file; data.source is synthetic-seed",
                error("data: { source: synthetic-seed, fill: [a] }\n" + EXPERTS).replaceFirst(": line \\d+", ""));
    }
}

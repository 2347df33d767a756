package dev.moe.runtime.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarterConfigTest {

    @TempDir
    Path dir;

    /**
     * 150 rows: a shuffled row number, a measurement, a colour, codes with gaps, a measurement with gaps (filled), a
     * unique name, a constant, and the label.
     */
    private Path mixedColumns() throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(1));
        StringBuilder csv = new StringBuilder("id,height,colour,code,income,name,const,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 150; i++) {
            csv.append(ids.get(i)).append(',').append(1.5 + i * 0.01).append(',').append(colours[i % 3]).append(',')
                    .append(i % 7 == 0 ? "?" : String.valueOf(i % 4)).append(',').append(i % 9 == 0 ? "NA" : String.valueOf(i * 10.5))
                    .append(",person-").append(i).append(",7,").append(i % 2 == 0 ? "yes" : "no").append('\n');
        }
        Path file = dir.resolve("people.csv");
        Files.writeString(file, csv);
        return file;
    }

    private static MoeConfig readBack(StarterConfig s) {
        return ConfigLoader.parse(s.text(), Path.of("people.yaml"));
    }

    @Test
    void eachColumnGetsTheRoleItsCellsCallForAndTheConfigReadsBack() throws Exception {
        StarterConfig s = StarterConfig.of(CsvProfile.read(mixedColumns()), null, "people.csv", Path.of("people.yaml"));
        assertEquals("label", s.label());
        assertEquals(2, s.labels());
        assertEquals(150, s.rows());
        assertEquals(List.of("height", "income"), s.numeric());
        assertEquals(List.of("income"), s.filled());
        assertEquals(List.of("colour", "code"), s.categorical());
        assertEquals(List.of("id", "name", "const"), List.copyOf(s.ignored().keySet()));
        assertTrue(s.ignored().get("id").contains("row number"), s.ignored().get("id"));
        assertTrue(s.ignored().get("name").contains("150 distinct values"), s.ignored().get("name"));
        assertTrue(s.ignored().get("const").contains("same value"), s.ignored().get("const"));
        MoeConfig config = readBack(s);
        assertEquals("people.csv", config.data().path());
        assertEquals("label", config.data().label());
        assertEquals(List.of("colour", "code"), config.data().categorical());
        assertEquals(List.of("income"), config.data().fill());
        assertEquals(List.of("id", "name", "const"), config.data().ignore());
        assertEquals(null, config.data().rows());
        assertEquals(List.of("logistic", "cart", "knn", "xgboost", "mlp"), config.experts().stream().map(MoeConfig.ExpertConfig::id).toList());
        assertTrue(s.text().contains("# 'id': the whole numbers 1 to 150, each once"), s.text());
        // income's gaps are filled; code's whole numbers with gaps stay codes of categories
        assertTrue(s.text().contains("  # column=missing is 1 where the cell was missing\n  fill: [income]\n"), s.text());
        assertTrue(s.warnings().isEmpty(), s.warnings().toString());
    }

    @Test
    void theLabelIsTheOneNamedElseTheColumnCalledLabelElseTheLastColumn() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, "a,b,kind\n1,2,x\n3,4,y\n5,6,x\n");
        StarterConfig last = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals("kind", last.label());
        assertTrue(last.lastColumn(), "taken by its place: a guess the summary says is one");
        StarterConfig named = StarterConfig.of(CsvProfile.read(file), "b", "x.csv", Path.of("x.yaml"));
        assertEquals("b", named.label());
        assertFalse(named.lastColumn());
        assertEquals(List.of("kind"), named.categorical());
        MoeException unknown = assertThrows(MoeException.class, () -> StarterConfig.of(CsvProfile.read(file), "c", "x.csv", Path.of("x.yaml")));
        assertTrue(unknown.getMessage().endsWith("no column 'c'; its columns: a, b, kind"), unknown.getMessage());
        Files.writeString(file, "a,label,b\n1,p,2\n3,q,4\n");
        StarterConfig byName = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals("label", byName.label());
        assertFalse(byName.lastColumn());
    }

    /**
     * penguins_raw as R's write.csv writes it: its last column, Comments, is NA in 290 of 344 rows. Taken as the label by
     * default, most of the file would be left out: warned about, with the likelier columns. Named with --label, it is not.
     */
    @Test
    void aDefaultLabelMissingInMostRowsIsWarnedAbout() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, penguinsWithComments(30));
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals("Comments", s.label());
        assertEquals(List.of("the label column 'Comments' has no label in 30 of 40 rows, which a run leaves out; name the label"
                + " column with --label if it is another (columns with 2 to 10 values: Species)"), s.warnings());
        assertEquals(List.of(), StarterConfig.of(CsvProfile.read(file), "Comments", "x.csv", Path.of("x.yaml")).warnings());
        // Half the rows without a label is not most: no warning.
        Files.writeString(file, penguinsWithComments(20));
        assertEquals(List.of(), StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")).warnings());
    }

    /** 40 rows of two species, whose last column, Comments, is NA in the first {@code na}. */
    private static String penguinsWithComments(int na) {
        StringBuilder rows = new StringBuilder("Species,mass,Comments\n");
        for (int r = 0; r < 40; r++) {
            rows.append(r % 2 == 0 ? "Adelie" : "Gentoo").append(',').append(3000 + r * 10).append(',')
                    .append(r < na ? "NA" : r % 3 == 0 ? "Not enough blood." : "Nest never observed.").append('\n');
        }
        return rows.toString();
    }

    @Test
    void aLabelOfOneValueIsRefusedAndOneThatLooksMeasuredIsWarnedAbout() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, "a,label\n1,p\n2,p\n");
        MoeException one = assertThrows(MoeException.class, () -> StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")));
        assertTrue(one.getMessage().contains("one value only; a classifier needs at least two labels (name the label column with --label)"), one.getMessage());
        StringBuilder csv = new StringBuilder("a,price\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 5).append(',').append(10 + i * 0.37).append('\n');
        }
        Files.writeString(file, csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals(1, s.warnings().size());
        assertTrue(s.warnings().get(0).contains("'price' holds 40 distinct values, fractional numbers"), s.warnings().get(0));
        csv = new StringBuilder("a,id\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 5).append(",row").append(i).append('\n');
        }
        Files.writeString(file, csv);
        s = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals(List.of("the label column 'id' holds 40 distinct values in 40 rows: most rows would be a class of their"
                + " own; name the label column with --label if it is another (columns with 2 to 10 values: a)"), s.warnings());
    }

    /**
     * The last column taken as the label by default, whole numbers with more than 10 values (kyphosis's first vertebra,
     * aids2's age), is warned about, with the columns a label is more often found in; named with --label, such a label
     * is taken as meant up to 20 values.
     */
    @Test
    void aDefaultLabelOfManyWholeNumbersIsWarnedAboutWithTheLikelierColumns() throws Exception {
        StringBuilder csv = new StringBuilder("kyphosis,size,number,age,start\n");
        for (int i = 0; i < 80; i++) {
            csv.append(i % 3 == 0 ? "present" : "absent").append(',').append(1.5 + i % 7 * 0.5).append(',').append(2 + i % 9)
                    .append(',').append(10 + i).append(',').append(1 + i % 16).append('\n');
        }
        Path file = Files.writeString(dir.resolve("kyphosis.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "kyphosis.csv", Path.of("x.yaml"));
        assertEquals("start", s.label());
        // size has 7 values but fractions: a measurement, not named; age has 80
        assertEquals(List.of("the label column 'start' holds 16 distinct values, whole numbers: moe combines classifiers, and"
                + " each value is a class to them; name the label column with --label if it is another (columns with 2 to 10"
                + " values: kyphosis, number)"), s.warnings());
        assertEquals(List.of(), StarterConfig.of(CsvProfile.read(file), "start", "kyphosis.csv", Path.of("x.yaml")).warnings());
        assertEquals(List.of(), StarterConfig.of(CsvProfile.read(file), "kyphosis", "kyphosis.csv", Path.of("x.yaml")).warnings());
        List<String> named = StarterConfig.of(CsvProfile.read(file), "age", "kyphosis.csv", Path.of("x.yaml")).warnings();
        assertEquals(List.of("the label column 'age' holds 80 distinct values, whole numbers: moe combines classifiers, and"
                + " each value is a class to them"), named);
    }

    /**
     * A category 'None' (Cars93's air bags) is a missing cell to moe: the config says so beside the column, and a
     * warning says when the column has other gaps too, which the experts then cannot tell from it. A text column of
     * one value and gaps is kept too (it was left out as "the same value in every row").
     */
    @Test
    void aCategoryNoneIsSaidToBeNoneOfTheLevelsAndWarnedAboutBesideOtherGaps() throws Exception {
        StringBuilder csv = new StringBuilder("airbags,children,colour,label\n");
        String[] bags = {"None", "Driver only", "Driver & Passenger"};
        String[] children = {"None", "One", "Two", "NA", "None"};
        for (int i = 0; i < 30; i++) {
            csv.append(bags[i % 3]).append(',').append(children[i % 5]).append(',').append(i % 2 == 0 ? "red" : "NA")
                    .append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path file = Files.writeString(dir.resolve("cars.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "cars.csv", Path.of("x.yaml"));
        assertEquals(List.of("airbags", "children", "colour"), s.categorical());
        assertEquals(Map.of(), s.ignored());
        assertTrue(s.text().contains("  # airbags, children: 'None' is a missing cell to moe, so none of the levels (still apart"
                + " from the others)\n  categorical: [airbags, children, colour]\n"), s.text());
        assertEquals(List.of("'children' has 12 cells 'None' and 6 other missing cells: moe reads both as missing, so they are"
                + " one level to the experts; write 'None' another way in the file if it means something else"), s.warnings());
        assertEquals(List.of("airbags", "children", "colour"), readBack(s).data().categorical());
    }

    /**
     * Whole numbers with gaps are codes of categories only from 0 or 1 up to 20; ones that start higher are a
     * measurement to fill (car90's mileage, 18 to 37 with 58 gaps, had become levels a test row's value could miss).
     */
    @Test
    void wholeNumbersWithGapsAreCodesOnlyFromZeroOrOne() throws Exception {
        StringBuilder csv = new StringBuilder("mileage,luggage,stage,label\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i % 4 == 0 ? "NA" : String.valueOf(18 + i % 19)).append(',').append(i % 7 == 0 ? "" : String.valueOf(6 + i % 3))
                    .append(',').append(i % 10 == 0 ? "NA" : String.valueOf(1 + i % 4)).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path file = Files.writeString(dir.resolve("cars.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "cars.csv", Path.of("x.yaml"));
        assertEquals(List.of("stage"), s.categorical());
        assertEquals(List.of("mileage", "luggage"), s.filled());
        assertEquals(List.of("stage"), readBack(s).data().categorical());
    }

    /**
     * A blank label and NA mean "no label": written as data.unlabelled, so that a run leaves the rows out; "None"
     * (survey data's "no exercise") is a class.
     */
    @Test
    void labelCellsWithoutALabelAreWrittenAsDataUnlabelledAndNoneIsAClass() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, "a,label\n1,Some\n2,None\n3,Freq\n4,None\n5,NA\n6,\n7,Some\n8,NA\n");
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals(3, s.labels());
        assertEquals(List.of(), s.warnings());
        assertEquals(java.util.Map.of("", 1L, "NA", 2L), s.unlabelled());
        assertTrue(s.text().contains("  # 3 rows have no label (a blank cell, 'NA'): left out of training and testing, and counted\n"
                + "  unlabelled: [\"\", NA]\n"), s.text());
        assertEquals(List.of("", "NA"), readBack(s).data().unlabelled());
        // NA alone: only it.
        Files.writeString(file, "a,label\n1,x\n2,NA\n3,y\n");
        assertEquals(List.of("NA"), readBack(StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"))).data().unlabelled());
        // Labels that are all "no label" but one: refused, saying so.
        Files.writeString(file, "a,label\n1,x\n2,NA\n3,x\n");
        assertEquals(file + ": the label column 'label' holds one value only besides cells without a label ('NA'); a classifier"
                + " needs at least two labels (name the label column with --label)", assertThrows(MoeException.class,
                () -> StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"))).getMessage());
        // Two labels once "None" counts: not refused as a label of one value.
        Files.writeString(file, "a,label\n1,None\n2,Some\n3,None\n");
        assertEquals(2, StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")).labels());
    }

    /**
     * TitanicSurvival as Excel in a German locale saves it: ';' between cells and a decimal comma in age (29 and
     * 0,916700006). Read as text, the ages were 98 categories, silently; then left out; now read as the numbers they are.
     * Outside a ';' file a number with a comma is left out, saying what would read it: a quoted thousands separator in a
     * ',' file (12,500), a decimal comma in a tab-separated one.
     */
    @Test
    void numbersWrittenWithACommaAreReadInASemicolonFileAndLeftOutElsewhere() throws Exception {
        Path file = dir.resolve("x.csv");
        StringBuilder rows = new StringBuilder("survived;age;fare;sex\n");
        for (int r = 0; r < 40; r++) {
            rows.append(r % 3 == 0 ? "yes" : "no").append(';').append(r % 4 == 0 ? "NA" : r % 5 == 0 ? "0,9167" : String.valueOf(20 + r))
                    .append(';').append(10 + r % 7).append(';').append(r % 2 == 0 ? "male" : "female").append('\n');
        }
        Files.writeString(file, rows);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), "survived", "x.csv", Path.of("x.yaml"));
        assertEquals(List.of("age", "fare"), s.numeric());
        assertEquals(List.of("age"), s.filled());
        assertEquals(List.of("sex"), s.categorical());
        assertEquals(0.9167, CsvProfile.read(file).column("age").min(), 1e-9);

        Files.writeString(file, rows.toString().replace(';', '\t'));
        assertEquals("numbers written with a comma (the first '0,9167'): a decimal comma or a thousands separator, which moe"
                + " does not read as a number; saved with a decimal point and no separator (pandas: read_csv(..., decimal=',')"
                + " or thousands=',', then to_csv) it would be a numeric feature",
                StarterConfig.of(CsvProfile.read(file), "survived", "x.csv", Path.of("x.yaml")).ignored().get("age"));

        Files.writeString(file, "price,n,kind\n\"12,500\",1,a\n900,2,b\n\"1,234.5\",3,a\n");
        assertTrue(StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")).ignored().get("price")
                .startsWith("numbers written with a comma (the first '12,500')"));
        // Percent and currency signs, as a spreadsheet shows formatted cells: each number a level of its own as categories.
        Files.writeString(file, "rate,price,euro,grade,kind\n12%,\"$1,234.00\",\"1.234,00 \u20ac\",A+,a\n7.5 %,$-5,-3 \u20ac,B,b\n"
                + "-1%,$900,\u20ac12,A+,a\nNA,$0.99,5\u20ac,C,b\n");
        StarterConfig signs = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals("numbers written with a percent or currency sign (the first '12%'), which moe does not read as numbers;"
                + " saved as plain numbers (no sign, a decimal point, no thousands separator) it would be a numeric feature",
                signs.ignored().get("rate"));
        assertTrue(signs.ignored().get("price").startsWith("numbers written with a percent or currency sign (the first '$1,234.00')"));
        assertTrue(signs.ignored().get("euro").startsWith("numbers written with a percent or currency sign (the first '1.234,00"));
        assertEquals(List.of("grade"), signs.categorical()); // A+ is a grade, no number with a sign
                // A comma that is no number's stays text: "1,2,3" is a list, "a,b" words.
        Files.writeString(file, "parts,kind\n\"1,2,3\",a\n\"a,b\",b\n\"1,2,3\",a\n");
        assertEquals(List.of("parts"), StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")).categorical());
    }

    /** modeldata's cells: its study's own Train/Test column is no feature; a column of other words beside them is. */
    @Test
    void aColumnOfTheFilesOwnTrainAndTestSplitIsLeftOut() throws Exception {
        StringBuilder csv = new StringBuilder("case,part,stage,area,class\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i % 2 == 0 ? "Train" : "Test").append(',').append(i % 3 == 0 ? "training" : i % 3 == 1 ? "validation" : "test")
                    .append(',').append(i % 2 == 0 ? "train" : "bus").append(',').append(10 + i % 7).append(',')
                    .append(i % 4 == 0 ? "PS" : "WS").append('\n');
        }
        Path file = Files.writeString(dir.resolve("cells.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "cells.csv", Path.of("cells.yaml"));
        assertEquals("the file's own split of its rows (Test, Train): moe draws its own test rows in every repeat, and as a"
                + " feature it says only which part a row was put in", s.ignored().get("case"));
        assertTrue(s.ignored().get("part").startsWith("the file's own split of its rows (test, training, validation)"));
        assertEquals(List.of("stage"), s.categorical()); // train and bus: vehicles, not a split
        assertEquals(List.of("area"), s.numeric());
    }

    /** seattle-weather's date column: its 1461 dates would be an id; 60 dates in 300 rows would be 60 categories. */
    @Test
    void aColumnOfDatesIsLeftOutSayingWhatWouldBeAFeature() throws Exception {
        StringBuilder csv = new StringBuilder("date,when,written,day,temp,label\n");
        String[] months = {"Jan", "February", "mar", "Sept"};
        for (int i = 0; i < 300; i++) {
            int d = 1 + i / 5 % 28;
            csv.append(String.format("2012-%02d-%02d", 1 + i / 140, d)).append(',')
                    .append(i == 7 ? "NA" : String.format("%d/%d/2015 %d:30 PM", 1 + i % 12, d, 1 + i % 12)).append(',')
                    .append(i % 3 == 0 ? d + "-" + months[i % 4] + "-2015" : i % 3 == 1 ? d + " " + months[i % 4] + " 15"
                            : "\"" + months[i % 4] + " " + d + ", 2015\"").append(',')
                    .append(d).append(',').append(i % 13).append(',').append(i % 2 == 0 ? "sun" : "rain").append('\n');
        }
        Path file = Files.writeString(dir.resolve("weather.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "weather.csv", Path.of("weather.yaml"));
        assertEquals(List.of("day", "temp"), s.numeric());
        assertEquals(List.of(), s.categorical());
        assertEquals("dates (the first 2012-01-01): moe reads no dates, and as categories each would be a level new rows never"
                + " have; a number made from them (month, day of year, days since a start) in a column of its own would be a"
                + " feature", s.ignored().get("date"));
        assertTrue(s.ignored().get("when").startsWith("dates (the first 1/1/2015 1:30 PM)"), s.ignored().get("when"));
        assertTrue(s.ignored().get("written").startsWith("dates (the first 1-Jan-2015)"), s.ignored().get("written"));
        // A few dates (fewer than 20: model years written as 1970-01-01) are a few categories.
        Path years = Files.writeString(dir.resolve("cars.csv"), "year,weight,label\n" + java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> (1970 + i % 12) + "-01-01," + (2000 + i * 10) + "," + (i % 3 == 0 ? "usa" : "japan") + "\n")
                .collect(java.util.stream.Collectors.joining()));
        assertEquals(List.of("year"), StarterConfig.of(CsvProfile.read(years), null, "cars.csv", Path.of("cars.yaml")).categorical());
        // One cell that is no date: the column is text, judged as any other (here 60 levels in 300 rows: categories).
        Files.writeString(file, csv.toString().replaceFirst("2012-01-01", "soon"));
        StarterConfig other = StarterConfig.of(CsvProfile.read(file), null, "weather.csv", Path.of("weather.yaml"));
        assertEquals(List.of("date"), other.categorical());
    }

    @Test
    void aLabelInOneOrTwoRowsIsWarnedAbout() throws Exception {
        StringBuilder csv = new StringBuilder("a,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 5).append(',').append(i == 3 ? "yse" : i == 9 || i == 30 ? "maybe" : i % 2 == 0 ? "yes" : "no").append('\n');
        }
        Path file = Files.writeString(dir.resolve("r.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "r.csv", Path.of("r.yaml"));
        assertEquals(4, s.labels());
        assertEquals(List.of("2 labels are in fewer than 3 rows ('yse' 1 row, 'maybe' 2 rows): too few to learn from; if such a"
                + " cell means no label, list it in data.unlabelled, and if it is a typo, correct it in the file"), s.warnings());
        // Three rows each: no warning; nor on a file too small to say.
        Files.writeString(file, csv.toString().replace("yse", "maybe"));
        assertEquals(List.of(), StarterConfig.of(CsvProfile.read(file), null, "r.csv", Path.of("r.yaml")).warnings());
        Files.writeString(file, "a,label\n1,x\n2,y\n3,x\n4,y\n5,z\n");
        assertEquals(List.of(), StarterConfig.of(CsvProfile.read(file), null, "r.csv", Path.of("r.yaml")).warnings());
    }

    /** birdstrikes: 401 of its 406 features one-hot, where XGBoost's hist takes 0.56x the time for the same splits. */
    @Test
    void xgboostBinsItsFeaturesWhenMostAreOneHot() throws Exception {
        StringBuilder csv = new StringBuilder("make,state,size,label\n");
        for (int i = 0; i < 60; i++) {
            csv.append("maker").append(i % 6).append(",s").append(i % 5).append(',').append(i * 0.5).append(',')
                    .append(i % 2 == 0 ? "small" : "large").append('\n');
        }
        Path file = Files.writeString(dir.resolve("cars.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "cars.csv", Path.of("cars.yaml"));
        assertEquals(11, s.levels());
        assertTrue(s.text().contains("  - id: xgboost\n    provider: tribuo\n    # hist: 11 of the 12 features are one-hot, which"
                + " it splits as the default (exact) does, in less time\n    params: { algorithm: xgboost, trees: 50, tree-method: hist }\n"),
                s.text());
        assertEquals("hist", readBack(s).experts().get(3).params().get("tree-method"));
        // Half or fewer one-hot (6 makes beside 6 measurements): the default search.
        Files.writeString(file, csv.toString().replace("make,state,size", "make,x,size").replaceAll(",s(\\d),", ",$1.5,$1.5,$1.5,$1.5,$1.5,")
                .replace("make,x,size", "make,a,b,c,d,e,size"));
        StarterConfig numeric = StarterConfig.of(CsvProfile.read(file), null, "cars.csv", Path.of("cars.yaml"));
        assertEquals(List.of("a", "b", "c", "d", "e", "size"), numeric.numeric());
        assertTrue(numeric.text().contains("    params: { algorithm: xgboost, trees: 50 }\n"), numeric.text());
    }

    /** lbw's id: 189 whole numbers from 4 to 226, so no row number, and as a measurement it would teach the file's order. */
    @Test
    void aColumnNamedAsAnIdWithAValuePerRowIsLeftOut() throws Exception {
        StringBuilder csv = new StringBuilder("id,patient_id,PassengerId,paid,valid,label\n");
        for (int i = 0; i < 30; i++) {
            csv.append(4 + i * 3).append(",p").append(i).append(',').append(1000 - i * 7).append(',').append(i * 1.5).append(',')
                    .append(i % 4).append(',').append(i % 2 == 0 ? "yes" : "no").append('\n');
        }
        Path file = Files.writeString(dir.resolve("ids.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "ids.csv", Path.of("ids.yaml"));
        assertEquals(List.of("id", "patient_id", "PassengerId"), List.copyOf(s.ignored().keySet()));
        assertEquals("named as an identifier, and a different value in every row: it names rows, which teaches the experts"
                + " nothing that carries to new ones", s.ignored().get("id"));
        // 'paid' is a measurement with a value per row, 'valid' codes: names that only end in 'id' say nothing.
        assertEquals(List.of("paid", "valid"), s.numeric());
        // An id column with a value twice is not left out for its name.
        Files.writeString(file, csv.toString().replaceFirst("\n4,", "\n7,"));
        assertEquals(List.of("patient_id", "PassengerId"), List.copyOf(StarterConfig.of(CsvProfile.read(file), null, "ids.csv",
                Path.of("ids.yaml")).ignored().keySet()));
    }

    /** SAS and Stata write a missing value as '.': penguins' sex column has one among its labels. */
    @Test
    void aDotIsAMissingCellInAFeatureAndInTheLabel() throws Exception {
        Path file = dir.resolve("p.csv");
        Files.writeString(file, "mass,island,sex\n3750,Torgersen,MALE\n.,Biscoe,FEMALE\n3800,.,.\n3250,Dream,FEMALE\n4000,Dream,MALE\n");
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "p.csv", Path.of("p.yaml"));
        assertEquals(2, s.labels());
        assertEquals(List.of("mass"), s.filled());
        assertEquals(List.of("island"), s.categorical());
        assertEquals(java.util.Map.of(".", 1L), s.unlabelled());
        assertEquals(List.of("."), readBack(s).data().unlabelled());
    }

    /** A small file's id (a value per row, fewer than moe's own refusal needs) is left out; a few makes are categories. */
    @Test
    void aTextColumnWithAValuePerRowIsLeftOutOnASmallFileToo() throws Exception {
        StringBuilder csv = new StringBuilder("make,model,size,label\n");
        for (int i = 0; i < 30; i++) {
            csv.append("maker").append(i % 6).append(",car ").append(i).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "small" : "large").append('\n');
        }
        Path file = Files.writeString(dir.resolve("cars.csv"), csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "cars.csv", Path.of("cars.yaml"));
        assertEquals(List.of("make"), s.categorical());
        assertEquals("30 distinct values in 30 cells: an id or free text, not categories", s.ignored().get("model"));
    }

    @Test
    void anyColumnNameReadsBackAsItself() throws Exception {
        List<String> names = List.of("yes", "1", ".5", "a: b", "# x", "say \"hi\"", "back\\slash", "-dash", "[x]", "all", "naïve");
        StringBuilder csv = new StringBuilder();
        for (String n : names) {
            csv.append('"').append(n.replace("\"", "\"\"")).append("\",");
        }
        csv.append("label\n");
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < names.size(); j++) {
                csv.append(i % 2 == 0 ? "u" : "v").append(',');
            }
            csv.append(i % 3).append('\n');
        }
        Path file = dir.resolve("odd names.csv");
        Files.writeString(file, csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "data/odd names.csv", Path.of("x.yaml"));
        assertEquals(names, s.categorical());
        MoeConfig config = readBack(s);
        assertEquals(names, config.data().categorical());
        assertEquals("data/odd names.csv", config.data().path());
    }

    @Test
    void aLongListIsWrappedAndALargeFileIsSampled() throws Exception {
        StringBuilder csv = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 60; j++) {
            names.add("feature_" + j);
            csv.append("feature_").append(j).append(',');
        }
        csv.append("label\n");
        for (int i = 0; i <= StarterConfig.SAMPLE_ABOVE; i++) {
            for (int j = 0; j < 60; j++) {
                csv.append((char) ('a' + (i + j) % 3)).append(',');
            }
            csv.append(i % 2).append('\n');
        }
        Path file = dir.resolve("wide.csv");
        Files.writeString(file, csv);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "wide.csv", Path.of("x.yaml"));
        for (String line : s.text().split("\n")) {
            assertTrue(line.length() <= 120, line);
        }
        MoeConfig config = readBack(s);
        assertEquals(names, config.data().categorical());
        assertEquals(StarterConfig.SAMPLE, s.sampled());
        assertEquals(StarterConfig.SAMPLE, config.data().rows());
    }

    /**
     * pandas' to_csv and R's write.csv write the row index under an empty name; init refused such a file, so a user had
     * to edit its header. It is left out as data.ignore: [""] now, and so is a trailing comma's empty column.
     */
    @Test
    void aColumnWithoutANameIsLeftOutAndTheLabelIsTheLastNamedColumn() throws Exception {
        Path file = dir.resolve("x.csv");
        StringBuilder rows = new StringBuilder(",a,b,kind,\n");
        for (int r = 0; r < 30; r++) {
            rows.append(r).append(',').append(r % 7).append(',').append(r * 0.5).append(',').append(r % 2 == 0 ? "p" : "q").append(",\n");
        }
        Files.writeString(file, rows);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals("kind", s.label());
        assertEquals(List.of("a", "b"), s.numeric());
        assertEquals(Map.of("", "the row numbers or row names that pandas' to_csv and R's write.csv write; another without a"
                + " name: no cell in any row (a trailing comma on every line)"), s.ignored());
        assertEquals(List.of(""), readBack(s).data().ignore());
        assertTrue(s.text().contains("  # the column without a name: the row numbers or row names that pandas' to_csv and R's"
                + " write.csv write; another without a name: no cell in any row (a trailing comma on every line)\n"), s.text());
        assertTrue(s.text().contains("\n  ignore: [\"\"]\n"), s.text());
        // The config init wrote reads the file: the unnamed columns are not features.
        assertEquals(List.of("a", "b"), dev.moe.runtime.data.CsvSource.read(file, "kind", readBack(s).data().ignore()).featureNames());

        // Row names that are text (R's write.csv of a data frame with names) are left out too, with a word on why.
        Files.writeString(file, ",a,label\nx,1,p\ny,2,q\nz,3,p\n");
        assertTrue(StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")).ignored().get("")
                .endsWith("(or a column the file left unnamed: name it there to read it as a feature)"));
        MoeException asLabel = assertThrows(MoeException.class, () -> StarterConfig.of(CsvProfile.read(file), "", "x.csv", Path.of("x.yaml")));
        assertTrue(asLabel.getMessage().contains("a column without a name cannot be the label"), asLabel.getMessage());
        Files.writeString(file, ",label\n0,p\n1,q\n");
        MoeException alone = assertThrows(MoeException.class, () -> StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")));
        assertTrue(alone.getMessage().endsWith(": one named column (and 1 without a name); a data file needs features and a label"),
                alone.getMessage());
    }

    /**
     * A file with its class first (UCI's wine as distributed) got the last column, 121 whole numbers, as its label,
     * with a warning. A column named class or target is taken instead when the last column cannot be a label.
     */
    @Test
    void aLabelNamedClassIsTakenWhenTheLastColumnCannotBeOne() throws Exception {
        Path file = dir.resolve("x.csv");
        StringBuilder rows = new StringBuilder("Class,a,proline\n");
        for (int r = 0; r < 60; r++) {
            rows.append("c").append(r % 3).append(',').append(r * 0.5).append(',').append(300 + r * 7).append('\n');
        }
        Files.writeString(file, rows);
        StarterConfig s = StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml"));
        assertEquals("Class", s.label());
        assertEquals(List.of("a", "proline"), s.numeric());
        assertEquals(List.of("took 'Class' as the label by its name: the last column, 'proline', holds 60 distinct values"
                + " (name another with --label)"), s.warnings());

        // A last column that can be a label stays the label, and --label is followed as given.
        Files.writeString(file, rows.toString().replace("proline", "kind").replaceAll(",(\\d+)\n", ",k$1\n")
                .replaceAll(",k(\\d*[02468])\n", ",even\n").replaceAll(",k\\d+\n", ",odd\n"));
        assertEquals("kind", StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")).label());
        assertEquals("a", StarterConfig.of(CsvProfile.read(file), "a", "x.csv", Path.of("x.yaml")).label());
    }

    @Test
    void aHeaderWithANameTwiceIsRefused() throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, "a,a,label\n0,1,p\n1,2,q\n");
        MoeException twice = assertThrows(MoeException.class, () -> StarterConfig.of(CsvProfile.read(file), null, "x.csv", Path.of("x.yaml")));
        assertTrue(twice.getMessage().contains("names column 'a' twice"), twice.getMessage());
    }
}

package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xgboost provider through the command: examples/xgboost's Python-trained model beside moe's own experts, a saved
 * mixture that predicts without the model file, each mistake a user can make as one line with exit status 2, and the
 * provider's reader left unloaded by runs without an xgboost expert.
 */
class XGBoostExpertCommandsTest {

    /** The provider's reader: loaded only when an xgboost expert is. */
    private static final String READER = "dev.moe.experts.xgboost.XGBoostJson source:";

    @TempDir
    Path dir;

    /** The example's config, model and rows copied into the test's folder, one repeat, with {@code params} instead. */
    private Path example(String params) throws Exception {
        Path examples = OnnxExpertCommandsTest.examples().resolve("xgboost");
        for (String file : List.of("vehicle-xgboost.json", "vehicle-rest.csv")) {
            Files.copy(examples.resolve(file), dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String config = Files.readString(examples.resolve("vehicle-xgboost.yaml")).replace("repeat: 10", "repeat: 1");
        String original = "params: { model: vehicle-xgboost.json, labels: [bus, opel, saab, van] }";
        assertTrue(config.contains(original));
        return Files.writeString(dir.resolve("vehicle.yaml"), params == null ? config : config.replace(original, params));
    }

    @Test
    void thePythonModelOfTheExampleCombinesWithMoesExperts() throws Exception {
        MainTest.Result r = MainTest.moe("evaluate", example(null).toString(), "-q");
        assertEquals(0, r.status(), r.err());
        // Trained on a third of vehicle's rows, alone about 0.7; the mixture with moe's two experts about 0.8.
        double xgboost = accuracy(r.out(), "python-xgboost");
        assertTrue(xgboost > 0.6 && xgboost < 0.8, xgboost + "\n" + r.out());
        assertTrue(accuracy(r.out(), "moe") > xgboost + 0.05, r.out());
    }

    @Test
    void aSavedMixtureCarriesItsXGBoostModel() throws Exception {
        Path config = example(null);
        Path bundle = dir.resolve("m.moe");
        MainTest.Result trained = MainTest.moe("train", config.toString(), "-o", bundle.toString(), "-q");
        assertEquals(0, trained.status(), trained.err());
        Path rows = dir.resolve("vehicle-rest.csv");
        Path before = dir.resolve("before.csv");
        Path after = dir.resolve("after.csv");
        MainTest.Result first = MainTest.moe("predict", "-m", bundle.toString(), "-i", rows.toString(), "-o", before.toString(), "-q");
        assertEquals(0, first.status(), first.err());
        Files.delete(dir.resolve("vehicle-xgboost.json"));
        MainTest.Result second = MainTest.moe("predict", "-m", bundle.toString(), "-i", rows.toString(), "-o", after.toString(), "-q");
        assertEquals(0, second.status(), second.err());
        assertEquals(565, Files.readAllLines(after).size());
        assertEquals(Files.readString(before), Files.readString(after));
        assertTrue(MainTest.moe("inspect", bundle.toString()).out().contains("python-xgboost  xgboost"));
    }

    /** One line on stderr, exit status 2. */
    private String refusal(String params) throws Exception {
        MainTest.Result r = MainTest.moe("evaluate", example(params).toString(), "-q");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        return r.err().strip();
    }

    @Test
    void eachMistakeIsOneLineAndExitStatus2() throws Exception {
        Path model = dir.resolve("vehicle-xgboost.json");
        assertEquals("moe: expert 'python-xgboost': XGBoost model file not found: " + dir.resolve("nope.json"),
                refusal("params: { model: nope.json }"));
        assertEquals("moe: expert 'python-xgboost': params.labels names 3 labels, but " + model + " predicts 4 classes"
                + " (multi:softprob): name 4 labels, in the order of its classes 0..3",
                refusal("params: { model: vehicle-xgboost.json, labels: [bus, opel, saab] }"));
        assertTrue(refusal("params: { model: vehicle-xgboost.json, features: [Comp, Circ] }").startsWith(
                "moe: expert 'python-xgboost': params.features names 2 columns, but " + model + " reads 18 (num_feature;"
                        + " its feature_names: Comp, Circ, D.Circ,"));
        assertTrue(refusal("params: { model: vehicle-rest.csv }").startsWith("moe: expert 'python-xgboost': "
                + dir.resolve("vehicle-rest.csv") + " is not an XGBoost JSON model (it does not start with '{'); save it"
                + " as JSON: booster.save_model(\"model.json\")"));
        Files.copy(OnnxExpertCommandsTest.examples().getParent()
                .resolve("moe-experts/moe-expert-xgboost/src/test/resources/xgboost/wine-regression.json"),
                dir.resolve("regression.json"));
        assertTrue(refusal("params: { model: regression.json, features: [Comp, Circ, D.Circ, Rad.Ra, Pr.Axis.Ra,"
                + " Max.L.Ra, Scat.Ra, Elong, Pr.Axis.Rect, Max.L.Rect, Sc.Var.Maxis, Sc.Var.maxis, Ra.Gyr] }")
                .startsWith("moe: expert 'python-xgboost': " + dir.resolve("regression.json") + " is a regression model"
                        + " (objective reg:squarederror), not a classifier moe reads"));
    }

    @Test
    void runsWithoutXGBoostExpertsLeaveItsReaderUnloaded() throws Exception {
        assertFalse(run("--version").contains(READER), "--version loaded the xgboost reader");
        assertFalse(run("experts").contains(READER), "moe experts loaded the xgboost reader");
        Path tribuo = Files.writeString(dir.resolve("tribuo.yaml"), """
                seed: 5
                data: { source: csv, path: %s }
                split: { test: 0.3 }
                experts:
                  - { id: cart, provider: tribuo, params: { algorithm: cart, max-depth: 4 } }
                  - { id: cart2, provider: tribuo, params: { algorithm: cart, max-depth: 2 } }
                """.formatted(TrainCommandTest.wineCsv()));
        assertFalse(run("evaluate", tribuo.toString(), "-q").contains(READER), "a tribuo-only run loaded the reader");
        assertTrue(run("evaluate", example(null).toString(), "-q").contains(READER));
    }

    private static double accuracy(String report, String model) {
        Matcher m = Pattern.compile("(?m)^" + model + " +([0-9.]+)").matcher(report);
        assertTrue(m.find(), model + " not in\n" + report);
        return Double.parseDouble(m.group(1));
    }

    /** Runs moe in a JVM of its own; returns its class-loading log. */
    private String run(String... args) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        SafetyTest.Process p = SafetyTest.process(null, List.of("-Xlog:class+load=info:file=" + log), args);
        assertEquals(0, p.status(), p.err());
        return Files.readString(log);
    }
}

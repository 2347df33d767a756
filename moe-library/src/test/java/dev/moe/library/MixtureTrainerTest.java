package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.moe.api.FloatMatrix;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.evaluation.CrossValidation;
import org.tribuo.provenance.ModelProvenance;

/** A mixture where Tribuo expects a model or a trainer: its evaluator and its cross-validation, unchanged. */
class MixtureTrainerTest {

    private static final IrisData IRIS = new IrisData();

    private static MixtureBuilder builder() {
        return Mixture.builder()
                .expert("logistic", new LogisticRegressionTrainer())
                .expert("cart", new CARTClassificationTrainer(3))
                .crossFitFolds(3);
    }

    @Test
    void theTrainerKeepsEverySettingOfTheBuilder() {
        // The trainer trains copies of the builder: a setting the copy drops is silently the default in every fold.
        MixtureBuilder builder = builder().seed(7).floorMargin(0).candidates("uniform", "constant").strategy("top-k", Map.of("k", 1));
        assertEquals("MixtureTrainer" + builder.describe(), builder.asTribuoTrainer().toString());
        assertTrue(builder.asTribuoTrainer().toString().contains("floor-margin=0.0"), builder.asTribuoTrainer().toString());
    }

    @Test
    void tribuosEvaluatorScoresTheMixtureAsMoeDoes() {
        MixtureTrainer trainer = builder().asTribuoTrainer();
        Model<Label> model = trainer.train(IRIS.train);
        Mixture mixture = ((TribuoMixtureModel) model).mixture();

        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, IRIS.test);
        FloatMatrix rows = MixtureTest.rows(IRIS.test, mixture.featureNames());
        Predictions own = mixture.predict(rows);
        int right = 0;
        for (int r = 0; r < own.rows(); r++) {
            right += own.label(r).equals(IRIS.test.getExample(r).getOutput().getLabel()) ? 1 : 0;
        }
        assertEquals((double) right / own.rows(), evaluation.accuracy(), 1e-12);
        assertTrue(evaluation.accuracy() > 0.9, "accuracy " + evaluation.accuracy());

        List<Prediction<Label>> predictions = model.predict(IRIS.test);
        Prediction<Label> first = predictions.get(0);
        assertTrue(first.hasProbabilities());
        assertEquals(3, first.getOutputScores().size());
        double sum = first.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
        assertEquals(1.0, sum, 1e-5);
        assertEquals(own.probability(0, first.getOutput().getLabel()), first.getOutput().getScore(), 1e-6);
        assertEquals(4, first.getNumActiveFeatures());

        // Domains: the training data's feature map, the mixture's labels.
        assertEquals(IRIS.train.getFeatureIDMap().size(), model.getFeatureIDMap().size());
        for (var feature : IRIS.train.getFeatureIDMap()) {
            assertEquals(IRIS.train.getFeatureIDMap().getID(feature.getName()), model.getFeatureIDMap().getID(feature.getName()));
            assertEquals(feature.getCount(), model.getFeatureIDMap().get(feature.getName()).getCount());
        }
        Set<String> labels = new HashSet<>();
        model.getOutputIDInfo().getDomain().forEach(l -> labels.add(l.getLabel()));
        assertEquals(Set.copyOf(mixture.labelNames()), labels);

        // Provenance: the trainer, the data set, and every expert.
        ModelProvenance provenance = model.getProvenance();
        assertEquals(MixtureTrainer.class.getName(), provenance.getTrainerProvenance().getClassName());
        assertEquals(IRIS.train.getProvenance(), provenance.getDatasetProvenance());
        assertEquals(2, ((ListProvenance<?>) provenance.getInstanceProvenance().getMap().get("experts")).getList().size());
        assertEquals(mixture.combiner(), ((StringProvenance) provenance.getInstanceProvenance().getMap().get("combiner")).getValue());
        assertEquals(1, trainer.getInvocationCount());
    }

    @Test
    void tribuosCrossValidationTrainsAMixturePerFold() {
        MixtureTrainer trainer = builder().asTribuoTrainer();
        List<Pair<LabelEvaluation, Model<Label>>> folds =
                new CrossValidation<>(trainer, IRIS.all, new LabelEvaluator(), 3, 7L).evaluate();

        assertEquals(3, folds.size());
        double mean = 0;
        for (Pair<LabelEvaluation, Model<Label>> fold : folds) {
            assertInstanceOf(TribuoMixtureModel.class, fold.getB());
            assertTrue(fold.getA().accuracy() > 0.85, "fold accuracy " + fold.getA().accuracy());
            mean += fold.getA().accuracy() / folds.size();
        }
        assertTrue(mean > 0.9, "mean accuracy " + mean);
        assertEquals(3, trainer.getInvocationCount());
        // Each fold's mixture was trained with its own seed (seed + invocation), on its own rows.
        assertNotEquals(folds.get(0).getB().getProvenance().getInstanceProvenance().getMap().get("seed"),
                folds.get(1).getB().getProvenance().getInstanceProvenance().getMap().get("seed"));
    }
}

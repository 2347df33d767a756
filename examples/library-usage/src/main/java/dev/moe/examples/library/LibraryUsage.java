package dev.moe.examples.library;

import dev.moe.library.Mixture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.KNNTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;

/** moe from Java: three Tribuo models combined, evaluated by Tribuo, saved and loaded again. */
public final class LibraryUsage {

    private LibraryUsage() {
    }

    /** @param args the labelled CSV (default ../data/iris.csv) and where to save the mixture (default target/iris.moe) */
    public static void main(String[] args) throws IOException {
        run(Path.of(args.length > 0 ? args[0] : "../data/iris.csv"), Path.of(args.length > 1 ? args[1] : "target/iris.moe"),
                System.out);
    }

    /** @return each model's test accuracy by name: the three Tribuo models, the mixture, and the mixture loaded again */
    static Map<String, Double> run(Path csv, Path saved, PrintStream out) throws IOException {
        // Data as Tribuo reads it: 70% of the rows train, 30% test.
        var split = new TrainTestSplitter<>(new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label"), 0.7, 1L);
        var train = new MutableDataset<>(split.getTrain());
        var test = new MutableDataset<>(split.getTest());

        // Three Tribuo models, trained as usual.
        Model<Label> logistic = new LogisticRegressionTrainer().train(train);
        Model<Label> tree = new CARTClassificationTrainer(4).train(train);
        Model<Label> knn = new KNNTrainer<>(5, new L2Distance(), 1, new VotingCombiner(), KNNModel.Backend.STREAMS,
                NeighboursQueryFactoryType.BRUTE_FORCE).train(train);

        // Combined by moe with the CLI's defaults (calibrated experts, the combiner chosen by cross-validation).
        // Give trainers instead of models (.expert("tree", new CARTClassificationTrainer(4))) to have moe cross-fit them.
        Mixture mixture = Mixture.builder().expert("logistic", logistic).expert("tree", tree).expert("knn", knn).train(train);

        // Saved, and loaded again.
        mixture.save(saved, true);
        Mixture loaded = Mixture.load(saved);

        // Evaluated by Tribuo, the mixture beside each model alone.
        var models = new LinkedHashMap<String, Model<Label>>();
        models.put("logistic", logistic);
        models.put("tree", tree);
        models.put("knn", knn);
        models.put("moe (" + mixture.combiner() + ")", mixture.asTribuoModel());
        models.put("moe, loaded", loaded.asTribuoModel());
        var accuracies = new LinkedHashMap<String, Double>();
        models.forEach((name, model) -> {
            double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
            accuracies.put(name, accuracy);
            out.printf("%-24s accuracy %.3f%n", name, accuracy);
        });
        return accuracies;
    }
}

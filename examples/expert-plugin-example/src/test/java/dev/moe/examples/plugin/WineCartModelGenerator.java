package dev.moe.examples.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the model this plugin ships: a Tribuo CART tree (depth at most 3, leaves of at least 10 rows, Gini, seed 1) on the 70% training
 * split of wine.csv (seed 42, see {@link WineData}), saved in Tribuo's protobuf format.
 *
 * <p>To regenerate {@code src/main/resources/dev/moe/examples/plugin/wine-cart.tribuo}, from the repository root:
 * <pre>
 * mvn -B -q -pl examples/expert-plugin-example -am test-compile
 * mvn -B -q -pl examples/expert-plugin-example -am dependency:build-classpath -Dmdep.outputFile=/tmp/plugin-cp.txt
 * java -cp examples/expert-plugin-example/target/test-classes:$(cat /tmp/plugin-cp.txt) \
 *     dev.moe.examples.plugin.WineCartModelGenerator \
 *     examples/expert-plugin-example/src/main/resources/dev/moe/examples/plugin/wine-cart.tribuo
 * </pre>
 * The tree is deterministic: {@code WineCartExpertProviderTest} checks that the shipped file predicts exactly
 * like a tree trained afresh by {@link #train()}.
 */
public final class WineCartModelGenerator {

    private WineCartModelGenerator() {
    }

    static Model<Label> train() {
        WineData train = WineData.read().split()[0];
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(
                "wine.csv, 70% training split (seed " + WineData.SPLIT_SEED + ")", factory), factory);
        String[] names = train.featureNames().toArray(String[]::new);
        for (int r = 0; r < train.labels().size(); r++) {
            double[] values = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                values[c] = train.features().get(r, c);
            }
            dataset.add(new ArrayExample<>(new Label(train.labels().get(r)), names, values));
        }
        return new CARTClassificationTrainer(3, 10f, 0f, 1f, new GiniIndex(), 1L).train(dataset);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: WineCartModelGenerator <output.tribuo>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        train().serializeToFile(out);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }
}

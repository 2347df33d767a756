package dev.moe.library;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.tribuo.DataSource;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;

/** Iris (150 rows, 4 features, 3 labels) as a Tribuo user reads it, split 70/30 with a fixed seed. */
final class IrisData {

    final MutableDataset<Label> train;
    final MutableDataset<Label> test;
    final MutableDataset<Label> all;

    IrisData() {
        try {
            Path csv = Path.of(IrisData.class.getResource("/data/iris.csv").toURI());
            DataSource<Label> source = new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label");
            TrainTestSplitter<Label> split = new TrainTestSplitter<>(source, 0.7, 1L);
            train = new MutableDataset<>(split.getTrain());
            test = new MutableDataset<>(split.getTest());
            all = new MutableDataset<>(source);
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.moe.experts.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import dev.moe.gating.nn.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpExpertTrainerTest {

    private static final MlpExpertTrainer.Settings SETTINGS =
            new MlpExpertTrainer.Settings(List.of(16), Activation.RELU, 200, 0.01, 0, 5);

    @Test
    void learnsSeparableClassesAndOutputsDistributions() {
        TrainingSet train = Blobs.make(300, 1);
        TrainingSet test = Blobs.make(300, 2);
        MlpExpert expert = new MlpExpertTrainer().train("e", train, SETTINGS);
        FloatMatrix p = expert.predict(test.features());
        assertTrue(Blobs.accuracy(p, test.labels()) > 0.95, "accuracy " + Blobs.accuracy(p, test.labels()));
        for (int r = 0; r < p.rows(); r++) {
            float sum = 0;
            for (int c = 0; c < p.columns(); c++) {
                sum += p.get(r, c);
            }
            assertEquals(1f, sum, 1e-5f);
        }
        assertEquals(List.of("red", "green", "blue"), expert.labelNames());
        assertEquals("[2, 16, 3]", expert.provenance().get("layers"));
    }

    @Test
    void miniBatchTrainingAlsoLearns() {
        TrainingSet train = Blobs.make(300, 3);
        MlpExpert expert = new MlpExpertTrainer().train("e", train,
                new MlpExpertTrainer.Settings(List.of(8), Activation.LEAKY_RELU, 20, 0.01, 32, 5));
        assertTrue(Blobs.accuracy(expert.predict(train.features()), train.labels()) > 0.95);
    }

    @Test
    void sameSeedSameModel() {
        TrainingSet train = Blobs.make(90, 4);
        MlpExpert a = new MlpExpertTrainer().train("e", train, SETTINGS);
        MlpExpert b = new MlpExpertTrainer().train("e", train, SETTINGS);
        assertArrayEquals(a.network().parameterValues(), b.network().parameterValues());
    }

    @Test
    void aTunerStandardisesRowsAgainWhenTheyChangeEvenInTheSameArray() {
        TrainingSet train = Blobs.make(60, 7);
        MlpExpert expert = new MlpExpertTrainer().train("e", train, SETTINGS);
        var tuner = expert.tuner(0.01, 1);
        FloatMatrix rows = new FloatMatrix(train.rows(), train.features().columns(), train.features().values().clone());
        assertArrayEquals(expert.predict(rows).values(), tuner.forward(rows).values(), 1e-6f);
        assertArrayEquals(expert.predict(rows).values(), tuner.forward(rows).values(), 1e-6f, "the same rows again");
        FloatMatrix others = Blobs.make(60, 8).features();
        assertArrayEquals(expert.predict(others).values(), tuner.forward(others).values(), 1e-6f, "other rows");
        for (int i = 0; i < rows.values().length; i++) {
            rows.values()[i] *= -2; // changed in place: the caller broke the read-only convention, still no stale answer
        }
        assertArrayEquals(expert.predict(rows).values(), tuner.forward(rows).values(), 1e-6f, "changed rows in the same array");
    }

    @Test
    void fineTuningLowersTheLossOnNewRows() {
        TrainingSet train = Blobs.make(60, 5);
        MlpExpert expert = new MlpExpertTrainer().train("e", train,
                new MlpExpertTrainer.Settings(List.of(8), Activation.RELU, 3, 0.01, 0, 5));
        TrainingSet more = Blobs.make(300, 6);
        var tuner = expert.tuner(0.01, 1);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 100; step++) {
            FloatMatrix p = tuner.forward(more.features());
            float[] g = new float[p.values().length];
            double nll = 0;
            for (int r = 0; r < p.rows(); r++) {
                float py = p.get(r, more.labels()[r]);
                nll -= Math.log(py);
                g[r * p.columns() + more.labels()[r]] = -1f / (py * p.rows()); // d(mean NLL)/dp
            }
            if (step == 0) {
                first = nll;
            }
            last = nll;
            tuner.backwardAndStep(new FloatMatrix(p.rows(), p.columns(), g));
        }
        assertTrue(last < first * 0.5, "NLL " + first + " -> " + last);
        // the original expert is untouched; the result is a new one
        assertArrayEquals(expert.predict(more.features()).values(),
                new MlpExpertTrainer().train("e", train, new MlpExpertTrainer.Settings(List.of(8), Activation.RELU, 3, 0.01, 0, 5))
                        .predict(more.features()).values());
        assertEquals("true", tuner.result().provenance().get("fine-tuned"));
    }
}

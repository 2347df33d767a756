package dev.moe.experts.nd4j;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.Parameters;
import dev.moe.api.ParameterException;
import dev.moe.api.ParameterSpec;
import dev.moe.api.ParameterSpec.Type;
import dev.moe.api.TrainingSet;
import dev.moe.gating.nn.Activation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nd4j-mlp}: trains an MLP classifier (the article's expert by default: one hidden layer of 32,
 * ReLU, Adam at 0.001 for 500 full-batch epochs), or loads one saved earlier.
 *
 * <p>Parameters: {@code model} (file to load), {@code save} (file to write after training),
 * {@code hidden}, {@code activation}, {@code epochs}, {@code learning-rate}, {@code batch-size}.
 * Saves its experts into a saved mixture in {@link MlpExpertFormat} (fine-tuned ones included).
 */
public final class MlpExpertProvider implements ExpertProvider {

    public static final String NAME = "nd4j-mlp";
    private static final ParameterSpec ACTIVATION = ParameterSpec.choice("activation", "relu", "train: of every hidden layer",
            Arrays.stream(Activation.values()).map(Activation::configName).toArray(String[]::new));
    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.of("model", Type.PATH, null, "load: an nd4j-mlp file written by save (then nothing is trained)"),
            ParameterSpec.of("save", Type.PATH, null, "train: write the trained expert to this file"),
            ParameterSpec.of("hidden", Type.INTEGER_LIST, "[32]", "train: hidden layer sizes ([] = linear)"),
            ACTIVATION,
            ParameterSpec.of("epochs", Type.INTEGER, "500", "train: passes over the expert's rows"),
            ParameterSpec.of("learning-rate", Type.NUMBER, "0.001", "train: Adam's step size"),
            ParameterSpec.of("batch-size", Type.INTEGER, "0", "train: rows per step; 0 = full batch"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MLP classifier on ND4J: trains one, or loads one written by save (model)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public boolean canTrain() {
        return true;
    }

    @Override
    public Expert load(ExpertSpec spec) {
        Parameters p = spec.parameters().checkDeclared(PARAMETERS);
        Path file = spec.resolvePath(p.requireString("model"));
        return MlpExpertFormat.load(file).withId(spec.id());
    }

    @Override
    public Expert train(ExpertSpec spec, TrainingSet data) {
        Parameters p = spec.parameters().checkDeclared(PARAMETERS);
        List<Integer> hidden = p.integers("hidden", List.of(32));
        for (int h : hidden) {
            if (h <= 0) {
                throw new ParameterException(p.where() + ".hidden: layer sizes must be positive, got " + hidden);
            }
        }
        Activation activation;
        try {
            activation = Activation.fromConfigName(p.choice(ACTIVATION));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(p.where() + ".activation: " + e.getMessage());
        }
        double learningRate = p.real("learning-rate", 0.001);
        if (!(learningRate > 0)) {
            throw new ParameterException(p.where() + ".learning-rate: must be positive, got " + learningRate);
        }
        int batchSize = p.integer("batch-size", 0);
        if (batchSize < 0) {
            throw new ParameterException(p.where() + ".batch-size: must be 0 (full batch) or positive, got " + batchSize);
        }
        MlpExpertTrainer.Settings settings = new MlpExpertTrainer.Settings(
                hidden, activation, p.positiveInteger("epochs", 500), learningRate, batchSize, spec.seed());
        MlpExpert expert = new MlpExpertTrainer().train(spec.id(), data, settings);
        String save = p.string("save", null);
        if (save != null) {
            MlpExpertFormat.save(expert, spec.resolvePath(save));
        }
        return expert;
    }

    @Override
    public boolean canSave(Expert expert) {
        return expert instanceof MlpExpert;
    }

    @Override
    public void save(Expert expert, OutputStream out) throws IOException {
        if (!(expert instanceof MlpExpert mlp)) {
            throw new IllegalArgumentException("not an nd4j-mlp expert: " + expert);
        }
        MlpExpertFormat.write(mlp, out);
    }

    @Override
    public Expert read(ExpertSpec spec, InputStream in) throws IOException {
        return MlpExpertFormat.read(in, spec.parameters().where()).withId(spec.id());
    }
}

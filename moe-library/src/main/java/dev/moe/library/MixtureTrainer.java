package dev.moe.library;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.Map;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * A Tribuo {@code Trainer<Label>} that trains mixtures, so that Tribuo's tools ({@code CrossValidation}, experiment
 * loops) run over moe unchanged. Each call trains a new mixture as described by the builder it was made from (a copy
 * taken then), with the seed {@code seed + invocation}: the n-th training of this trainer is reproducible, as
 * Tribuo's own trainers are.
 *
 * <pre>{@code
 * MixtureTrainer trainer = Mixture.builder()
 *         .expert("logistic", new LogisticRegressionTrainer())
 *         .expert("cart", new CARTClassificationTrainer(6))
 *         .asTribuoTrainer();
 * var folds = new CrossValidation<>(trainer, data, new LabelEvaluator(), 5).evaluate();
 * }</pre>
 *
 * Experts given as models already trained stay as they are in every training; give trainers for experts that should
 * learn from each training set. The Tribuo trainers given to the builder are shared by every training of this
 * trainer: run its trainings one at a time (as Tribuo's {@code CrossValidation} does).
 */
public final class MixtureTrainer implements Trainer<Label> {

    private final MixtureBuilder builder;
    private int invocationCount;

    MixtureTrainer(MixtureBuilder builder) {
        this.builder = builder.copy();
    }

    @Override
    public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains a mixture on every example.
     *
     * @param examples        the training data
     * @param runProvenance   not recorded: the model's provenance describes the mixture's experts instead
     * @param invocationCount which training of this trainer to reproduce, or {@link #INCREMENT_INVOCATION_COUNT} for
     *                        the next one
     * @return the mixture as a Tribuo model ({@link Mixture#asTribuoModel()})
     */
    @Override
    public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        MixtureBuilder settings;
        TrainerProvenance provenance;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            provenance = getProvenance();
            settings = builder.copy().seed(builder.seed() + this.invocationCount);
            this.invocationCount++;
        }
        return settings.train(examples, provenance).asTribuoModel();
    }

    @Override
    public synchronized int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int newInvocationCount) {
        if (newInvocationCount < 0) {
            throw new IllegalArgumentException("the invocation count must not be negative, got " + newInvocationCount);
        }
        this.invocationCount = newInvocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "MixtureTrainer" + builder.describe();
    }
}

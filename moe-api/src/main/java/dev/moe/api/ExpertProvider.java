package dev.moe.api;

/**
 * Turns an expert entry of the config into an {@link Expert}. Found with {@link java.util.ServiceLoader}:
 * a jar lists its providers in {@code META-INF/services/dev.moe.api.ExpertProvider}.
 *
 * <p>Providers are stateless factories; they must have a public no-argument constructor.
 */
public interface ExpertProvider {

    /** The name a config uses in {@code provider:}, e.g. {@code nd4j-mlp}. Unique among all providers found. */
    String name();

    /** One line for {@code moe experts}: what this provider offers and its main parameters. */
    default String description() {
        return "";
    }

    /** Whether {@link #train} is supported. */
    default boolean canTrain() {
        return false;
    }

    /**
     * Loads a pretrained expert described by {@code spec} (a file, a resource, ...).
     *
     * @throws ExpertException with a message a user can act on when the spec is wrong or the model is unreadable
     */
    Expert load(ExpertSpec spec);

    /**
     * Trains a new expert on {@code data}, the rows and features the config chose for it.
     * Called only when the config asks for training and {@link #canTrain()} is true.
     */
    default Expert train(ExpertSpec spec, TrainingSet data) {
        throw new ExpertException("provider '" + name() + "' cannot train experts; give it a pretrained model");
    }
}

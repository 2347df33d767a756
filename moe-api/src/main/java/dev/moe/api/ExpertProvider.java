package dev.moe.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Turns an expert entry of the config into an {@link Expert}. Found with {@link java.util.ServiceLoader}:
 * a jar lists its providers in {@code META-INF/services/dev.moe.api.ExpertProvider}.
 *
 * <p>Providers are stateless factories; they must have a public no-argument constructor. The constructor (and the
 * class's static initialiser) runs whenever the runtime reads the plugins folder, for every command: keep it cheap and
 * unable to fail, and leave loading models or native libraries to {@link #load} and {@link #train}.
 *
 * <p>There is one instance per provider, and the runtime calls {@link #train} and {@link #load} on it from several
 * threads at once (cross-fitting fits an expert's folds side by side): keep no mutable state, or guard it. While it
 * runs a provider's methods, and its experts' {@link Expert#predict}, the thread's context class loader is the
 * plugin's own.
 *
 * <p>Standard output belongs to the runtime (the CSV of {@code moe predict --output -}): log through SLF4J's API,
 * which the runtime provides, not {@code System.out}.
 *
 * <p>Two parameter names mean something to the runtime, whatever the provider: an entry whose parameters hold
 * {@code model} is loaded, not trained, unless the config says {@code train:}; {@code save} names a file the
 * command claims as its output (an existing one is replaced only with {@code --overwrite}). A provider that writes
 * a model file for later loading takes them under these names, and writes with {@link dev.moe.api.io.AtomicFiles}.
 */
public interface ExpertProvider {

    /**
     * {@return the name a config uses in {@code provider:}, e.g. {@code nd4j-mlp}; unique among all providers found}
     */
    String name();

    /**
     * {@return one line for {@code moe experts}: what this provider offers and its main parameters; empty by
     * default}
     */
    default String description() {
        return "";
    }

    /**
     * What this provider's libraries find on this machine, for {@code moe doctor} (as DJL's engines report their
     * environment): their versions, whether their native code loads, the devices they can run on; one finding a line.
     * Called by {@code moe doctor} only, so it may load native code and take a moment; whatever it throws is reported
     * as the finding. Empty by default.
     *
     * @return the findings, each one line
     */
    default List<String> environment() {
        return List.of();
    }

    /**
     * Every parameter this provider takes, for {@code moe experts} and for checking configs: the runtime refuses a
     * key not declared here, or a value of the wrong type, naming the config's file and line, before calling
     * {@link #load} or {@link #train}. Empty (the default): nothing declared, nothing checked by the runtime.
     *
     * @return the declarations, in the order {@code moe experts} lists them
     */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /** {@return whether {@link #train} is supported; false by default} */
    default boolean canTrain() {
        return false;
    }

    /**
     * Whether this provider loads saved models.
     *
     * @return whether {@link #load} is supported; a provider that only trains says false (and need not implement it)
     */
    default boolean canLoad() {
        return true;
    }

    /**
     * Loads a pretrained expert described by {@code spec} (a file, a resource, ...).
     * A provider whose {@link #canLoad()} is false need not implement it; the default refuses.
     *
     * @param spec the config entry; resolve relative paths with {@link ExpertSpec#resolvePath}
     * @return the expert, ready to predict
     * @throws ExpertException with a message a user can act on when the spec is wrong or the model is unreadable
     */
    default Expert load(ExpertSpec spec) {
        throw new ExpertException("provider '" + name() + "' only trains experts; it cannot load a pretrained model"
                + " (leave out train: false)");
    }

    /**
     * Trains a new expert on {@code data}, the rows and features the config chose for it.
     * Called only when the config asks for training and {@link #canTrain()} is true; the default refuses.
     *
     * @param spec the config entry; its seed is for anything random in training
     * @param data the labelled rows, its columns named by {@code data.featureNames()}
     * @return the trained expert, predicting {@code data.labelNames()}, or those of them its rows hold
     * @throws ExpertException with a message a user can act on when the spec is wrong
     */
    default Expert train(ExpertSpec spec, TrainingSet data) {
        throw new ExpertException("provider '" + name() + "' cannot train experts; give it a pretrained model");
    }

    /**
     * Whether {@link #save} can write {@code expert} (one this provider built) into a saved mixture. A provider
     * that cannot save is still usable in a saved mixture when its expert was loaded, not trained: the mixture
     * then records the provider's name and the expert's parameters, and {@link #load}s it again. A provider that
     * keeps this default never saves: {@code moe train -o} then refuses a config that trains one of its experts
     * before training anything.
     *
     * @param expert one this provider built (by {@link #load}, {@link #train} or {@link #read})
     * @return whether {@link #save} can write it; false by default
     */
    default boolean canSave(Expert expert) {
        return false;
    }

    /**
     * Writes {@code expert}'s model to {@code out} in this provider's own versioned format, such that {@link #read}
     * gives back an expert with the same features, labels and probabilities. Never Java serialization: saved
     * mixtures are shared, and reading one must not run code from it. Must not close {@code out}.
     * Called only when {@link #canSave} is true.
     *
     * @param expert one this provider built, for which {@link #canSave} said true
     * @param out    the saved mixture's entry for this expert
     * @throws IOException when writing to {@code out} fails
     */
    default void save(Expert expert, OutputStream out) throws IOException {
        throw new ExpertException("provider '" + name() + "' cannot save experts");
    }

    /**
     * Reads an expert that {@link #save} wrote.
     *
     * @param spec the expert's id and this provider's name; {@code spec.parameters().where()} names the stream (the
     *             saved mixture's entry) for messages, and the caller adds the mixture's path; no parameters otherwise
     * @param in   exactly the bytes {@link #save} wrote; the caller closes it
     * @return an expert with the features, labels and probabilities of the one saved
     * @throws IOException when reading {@code in} fails
     * @throws ExpertException naming {@code spec.parameters().where()} when the data is truncated, corrupt or newer
     */
    default Expert read(ExpertSpec spec, InputStream in) throws IOException {
        throw new ExpertException("provider '" + name() + "' cannot read saved experts");
    }
}

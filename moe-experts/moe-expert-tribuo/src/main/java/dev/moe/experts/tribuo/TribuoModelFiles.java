package dev.moe.experts.tribuo;

import dev.moe.api.ExpertException;
import dev.moe.api.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;

/**
 * Reads and writes Tribuo models in Tribuo 4.3's protobuf format ({@code Model.serializeToFile} and
 * {@code Model.deserializeFromStream}); never Java serialization, so a file from elsewhere is parsed, not run.
 */
public final class TribuoModelFiles {

    /** The prefix of a {@code model} value that names a class-path resource instead of a file. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    private TribuoModelFiles() {
    }

    /**
     * Loads a classification model from a file.
     *
     * @throws ExpertException naming the file when it is missing, unreadable, not a Tribuo model, or not a classifier
     */
    public static Model<Label> load(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return asClassifier(read(in, file.toString()), file.toString());
        } catch (NoSuchFileException e) {
            throw new ExpertException("Tribuo model file not found: " + file);
        } catch (IOException e) {
            throw new ExpertException("cannot read Tribuo model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a classification model from a class-path resource, looked up first through {@code loader} (the
     * provider's own class loader), then through the thread's context class loader (where a plugin jar's
     * resources are when the host loaded the provider).
     *
     * @param resource the resource name without {@code classpath:}, e.g. {@code models/glass-cart.tribuo}
     */
    public static Model<Label> loadResource(String resource, ClassLoader loader) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        String where = CLASSPATH_PREFIX + name;
        InputStream stream = loader == null ? null : loader.getResourceAsStream(name);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (stream == null && context != null && context != loader) {
            stream = context.getResourceAsStream(name);
        }
        if (stream == null) {
            throw new ExpertException("Tribuo model resource not found on the class path: " + where);
        }
        try (InputStream in = new BufferedInputStream(stream)) {
            return asClassifier(read(in, where), where);
        } catch (IOException e) {
            throw new ExpertException("cannot read Tribuo model resource " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a classification model from a stream holding exactly one model in Tribuo's protobuf format.
     *
     * @param where names the stream in messages
     * @throws ExpertException naming {@code where} when it is not a readable Tribuo classification model
     */
    public static Model<Label> readClassifier(InputStream in, String where) throws IOException {
        return asClassifier(read(in, where), where);
    }

    /** The first bytes of a Java serialization stream (ObjectOutputStream), as Tribuo's older examples save models. */
    private static final int JAVA_SERIALIZATION_MAGIC = 0xACED;

    /** Tribuo's message for a class it cannot load, followed by the class's name. */
    private static final String NO_CLASS = "Failed to find class ";

    private static Model<?> read(InputStream in, String where) throws IOException {
        if (in.markSupported()) {
            in.mark(2);
            int first = in.read();
            int second = in.read();
            in.reset();
            if (first < 0) {
                throw new ExpertException(where + " is empty, not a Tribuo model file");
            }
            if ((first << 8 | second) == JAVA_SERIALIZATION_MAGIC) {
                throw new ExpertException(where + " is a Java-serialized object (ObjectOutputStream), which moe does not read:"
                        + " reading one runs code the file names; save the model in Tribuo's protobuf format instead,"
                        + " model.serializeToFile(path) (Tribuo 4.3), and give moe that file");
            }
        }
        try {
            return Model.deserializeFromStream(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ExpertException(where + " is not a Tribuo 4.3 protobuf model file (" + e.getMessage()
                    + "): give a file saved by Tribuo's model.serializeToFile(path)", e);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith(NO_CLASS) && message.length() > NO_CLASS.length()) {
                throw new ExpertException(missingClass(where, message.substring(NO_CLASS.length()).strip()), e);
            }
            // Tribuo reports unknown classes, versions and inconsistent contents as unchecked exceptions.
            throw new ExpertException(where + " is not a readable Tribuo model: " + e, e);
        } catch (LinkageError e) {
            throw new ExpertException("cannot load the Tribuo model " + where
                    + " (a library it needs is missing, e.g. tribuo-classification-xgboost or XGBoost's native library): "
                    + e, e);
        }
    }

    /** Tribuo's packages of models that are not classifiers, by what they predict. */
    private static final Map<String, String> NOT_CLASSIFIERS = Map.of("org.tribuo.regression.", "regression",
            "org.tribuo.clustering.", "clustering", "org.tribuo.anomaly.", "anomaly detection",
            "org.tribuo.multilabel.", "multi-label");

    /** What a model file whose class moe lacks is, and what to do. */
    private static String missingClass(String where, String className) {
        for (Map.Entry<String, String> e : NOT_CLASSIFIERS.entrySet()) {
            if (className.startsWith(e.getKey())) {
                return where + " holds a Tribuo " + e.getValue() + " model (" + className + "), not a classification model:"
                        + " an expert predicts labels; give it a classifier";
            }
        }
        return where + " is a Tribuo model of class " + className + ", which is not on moe's class path: moe brings Tribuo"
                + " 4.3.2's sgd, tree, xgboost, liblinear, libsvm and nearest-neighbour classifiers; add the jar of the Tribuo"
                + " module that holds it, with its libraries, to the class path (-cp, beside moe-cli/target/moe-cli.jar and"
                + " moe-cli/target/lib/*)";
    }

    @SuppressWarnings("unchecked")
    private static Model<Label> asClassifier(Model<?> model, String where) {
        if (!model.validate(Label.class)) {
            String outputType = model.getOutputIDInfo().getDomain().stream()
                    .findFirst().map(o -> outputClass(o.getClass()).getSimpleName()).orElse("unknown");
            throw new ExpertException(where + " holds a Tribuo " + model.getClass().getSimpleName() + " over "
                    + outputType + " outputs, not a classification model (Label outputs)");
        }
        return (Model<Label>) model;
    }

    /** The most general Output class of a domain element: {@code Regressor} for its {@code DimensionTuple}. */
    private static Class<?> outputClass(Class<?> c) {
        while (c.getSuperclass() != null && Output.class.isAssignableFrom(c.getSuperclass())) {
            c = c.getSuperclass();
        }
        return c;
    }

    /** Writes atomically ({@link AtomicFiles}): a crash or an error leaves no half file, and the old one as it was. */
    public static void save(Model<Label> model, Path file) {
        try {
            AtomicFiles.write(file, model::serializeToStream);
        } catch (IOException e) {
            throw new ExpertException("cannot write Tribuo model to " + file + ": " + e.getMessage(), e);
        }
    }
}

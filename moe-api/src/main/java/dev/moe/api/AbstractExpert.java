package dev.moe.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The base of an expert: it holds the {@link ExpertSignature}, so that an implementation writes {@link #predict}
 * (and, for a native-backed model, {@link #close}) only.
 *
 * <pre>{@code
 * final class MyExpert extends AbstractExpert {
 *     MyExpert(ExpertSignature signature, MyModel model) { super(signature); this.model = model; }
 *     public FloatMatrix predict(FloatMatrix features) {
 *         requireColumns(features);
 *         ...
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractExpert implements Expert {

    private final ExpertSignature signature;
    private final Map<String, String> provenanceMap;

    /**
     * An expert answering with this signature.
     *
     * @param signature the id, features, labels and provenance this expert answers with
     */
    protected AbstractExpert(ExpertSignature signature) {
        this.signature = Objects.requireNonNull(signature, "signature");
        this.provenanceMap = signature.provenance().asMap();
    }

    /**
     * This expert's signature.
     *
     * @return the id, features, labels and provenance this expert was built with
     */
    public final ExpertSignature signature() {
        return signature;
    }

    @Override
    public final String id() {
        return signature.id();
    }

    @Override
    public final List<String> featureNames() {
        return signature.featureNames();
    }

    @Override
    public final List<String> labelNames() {
        return signature.labelNames();
    }

    @Override
    public final Map<String, String> provenance() {
        return provenanceMap;
    }

    /**
     * Fails, naming this expert, unless {@code features} has one column per feature name.
     *
     * @param features the batch {@link #predict} was given
     */
    protected final void requireColumns(FloatMatrix features) {
        if (features.columns() != signature.featureNames().size()) {
            throw new IllegalArgumentException("expert '" + id() + "' expects " + signature.featureNames().size()
                    + " feature columns, got " + features.columns());
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + ", " + featureNames().size() + " features, " + labelNames() + "]";
    }
}

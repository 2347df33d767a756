package dev.moe.experts.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.LinkedHashSet;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * The columns a Tribuo model's data source read with {@code IdentityProcessor}, as its provenance records them. Such a
 * column gives a row one feature, {@code column@level} = 1, and none for the other levels: they are absent, not 0. Most
 * models read an absent feature as 0; XGBoost reads it as a missing value, which takes its own branch at every split.
 * So these features must be left out of a row where they are 0, as Tribuo's loader left them out.
 */
final class CategoricalFields {

    static final String IDENTITY_PROCESSOR = "org.tribuo.data.columnar.processors.field.IdentityProcessor";

    private CategoricalFields() {
    }

    /** For each name, whether it is a level of such a column ({@code column@...}); null when none is. */
    static boolean[] absentWhenZero(Model<Label> model, String[] featureNames) {
        Set<String> fields = new LinkedHashSet<>();
        try {
            walk(model.getProvenance().getDatasetProvenance(), fields);
        } catch (RuntimeException e) {
            return null; // no data provenance: a model trained on rows in memory
        }
        if (fields.isEmpty()) {
            return null;
        }
        boolean[] sparse = new boolean[featureNames.length];
        boolean any = false;
        for (int i = 0; i < featureNames.length; i++) {
            for (String field : fields) {
                if (featureNames[i].startsWith(field + "@")) {
                    sparse[i] = true;
                    any = true;
                }
            }
        }
        return any ? sparse : null;
    }

    private static void walk(Provenance p, Set<String> fields) {
        ProvenanceTree.forEachObject(p, object -> {
            boolean identity = IDENTITY_PROCESSOR.equals(object.getClassName());
            for (Pair<String, Provenance> field : object) {
                if (identity && field.getA().equals("fieldName") && field.getB() instanceof PrimitiveProvenance<?> name) {
                    fields.add(String.valueOf(name.getValue()));
                } else {
                    walk(field.getB(), fields);
                }
            }
        });
    }
}

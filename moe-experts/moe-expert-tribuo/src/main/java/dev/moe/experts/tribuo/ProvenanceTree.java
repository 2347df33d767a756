package dev.moe.experts.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.function.Consumer;

/** A walk of Tribuo's provenance tree: lists and maps are looked through; what an object holds is the caller's. */
final class ProvenanceTree {

    private ProvenanceTree() {
    }

    /** Calls {@code onObject} for {@code p} when it is an object, else for each object its lists and maps hold. */
    static void forEachObject(Provenance p, Consumer<ObjectProvenance> onObject) {
        if (p instanceof ObjectProvenance object) {
            onObject.accept(object);
        } else if (p instanceof ListProvenance<?> list) {
            for (Provenance item : list) {
                forEachObject(item, onObject);
            }
        } else if (p instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> entry : map) {
                forEachObject(entry.getB(), onObject);
            }
        }
    }
}

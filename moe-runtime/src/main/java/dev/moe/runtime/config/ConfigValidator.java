package dev.moe.runtime.config;

import dev.moe.api.NearestName;
import dev.moe.runtime.MoeException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what the YAML types alone cannot: required entries, ranges, unique ids. Every message starts with the file
 * and the key path ({@code gate.epochs}, {@code experts[1].subset.fraction}), which {@link ConfigLoader} looks up for
 * the line.
 */
final class ConfigValidator {

    /** Rows of the report that are not configured experts. */
    static final java.util.List<String> RESERVED_IDS = java.util.List.of("moe", "uniform", "tribuo-ensemble", "stacking");

    /** What {@code gate.candidates} may name. */
    static final java.util.List<String> CANDIDATES = MoeConfig.GateConfig.KNOWN_CANDIDATES;
    static final java.util.List<String> INPUTS = java.util.List.of("features", "signals", "experts", "both");

    private ConfigValidator() {
    }

    static void validate(MoeConfig c) {
        String file = String.valueOf(c.source());
        if (c.data() == null || c.data().source() == null) {
            throw new MoeException(file + ": data.source is required (synthetic-seed or csv)");
        }
        if (!c.data().ignore().isEmpty()) {
            if (!"csv".equals(c.data().source())) {
                throw new MoeException(file + ": data.ignore names columns of a csv file; data.source is " + c.data().source());
            }
            for (String column : c.data().ignore()) {
                // "" is the name of a column the header leaves unnamed (a row index pandas or R wrote): it may be left out.
                if (column == null || column.isBlank() && !column.isEmpty()) {
                    throw new MoeException(file + ": data.ignore: every entry is a column name (\"\" for a column without one);"
                            + " got " + (column == null ? "none" : "'" + column + "'"));
                }
            }
        }
        if (!c.data().unlabelled().isEmpty()) {
            if (!"csv".equals(c.data().source())) {
                throw new MoeException(file + ": data.unlabelled names label cells of a csv file; data.source is " + c.data().source());
            }
            if (c.data().unlabelled().contains(null)) {
                throw new MoeException(file + ": data.unlabelled: every entry is a label cell's text (\"\" for a blank cell,"
                        + " NA for R's); got an empty entry (~ or null)");
            }
        }
        List<String> categorical = c.data().categorical();
        for (String column : columnList(file, c, "data.categorical", categorical)) {
            if (column.equals(c.data().labelOrDefault())) {
                throw new MoeException(file + ": data.categorical names '" + column + "', the label column; labels are"
                        + " read as text already");
            }
        }
        for (String column : columnList(file, c, "data.fill", c.data().fill())) {
            if (categorical.contains(column) && !column.equals(MoeConfig.DataConfig.ALL)) {
                throw new MoeException(file + ": data.fill names '" + column + "', which data.categorical also names;"
                        + " a categorical column's missing cells encode as none of its levels already");
            }
            if (column.equals(c.data().labelOrDefault())) {
                throw new MoeException(file + ": data.fill names '" + column + "', the label column; a row without its"
                        + " label cannot be filled in");
            }
        }
        if (c.experts().isEmpty()) {
            throw new MoeException(file + ": experts: at least one expert is required");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < c.experts().size(); i++) {
            MoeConfig.ExpertConfig e = c.experts().get(i);
            if (e == null) {
                throw new MoeException(file + ": experts[" + i + "]: an empty entry (a '-' with nothing after it); give its id and provider");
            }
            if (e.id() == null || e.id().isBlank()) {
                throw new MoeException(file + ": experts[" + i + "].id is required");
            }
            if (e.provider() == null) {
                throw new MoeException(file + ": experts[" + i + "] (" + e.id() + "): provider is required");
            }
            if (!ids.add(e.id())) {
                throw new MoeException(file + ": experts[" + i + "]: duplicate id '" + e.id() + "'");
            }
            reserved(file, "experts[" + i + "]", e.id());
            fraction(file, "experts[" + i + "].subset.fraction", e.subset().fraction(), false);
        }
        for (int i = 0; i < c.baselines().size(); i++) {
            MoeConfig.ExpertConfig b = c.baselines().get(i);
            if (b == null) {
                throw new MoeException(file + ": baselines[" + i + "]: an empty entry (a '-' with nothing after it); give its id and provider");
            }
            if (b.id() == null || b.id().isBlank() || b.provider() == null) {
                throw new MoeException(file + ": baselines[" + i + "]: id and provider are required");
            }
            if (!ids.add(b.id())) {
                throw new MoeException(file + ": baselines[" + i + "]: duplicate id '" + b.id() + "'");
            }
            reserved(file, "baselines[" + i + "]", b.id());
        }
        // Two experts saving to one file: the second's claim met the first's lock and said "another moe process is
        // writing it now". The built-in providers' save: is the file the command claims (so do plugins that use the key).
        java.util.Map<java.nio.file.Path, String> saves = new java.util.HashMap<>();
        List<MoeConfig.ExpertConfig> all = new java.util.ArrayList<>(c.experts());
        all.addAll(c.baselines());
        for (int i = 0; i < all.size(); i++) {
            MoeConfig.ExpertConfig e = all.get(i);
            if (e.params().get("save") instanceof String save && !save.isBlank()) {
                String other = saves.putIfAbsent(c.baseDirectory().resolve(save).normalize(), e.id());
                if (other != null) {
                    String key = i < c.experts().size() ? "experts[" + i + "]" : "baselines[" + (i - c.experts().size()) + "]";
                    throw new MoeException(file + ": " + key + ".params.save: " + save + " is the file expert '" + other
                            + "' saves to as well; give each its own");
                }
            }
        }
        Integer rows = c.data().rows();
        if (rows != null) {
            int least = "csv".equals(c.data().source()) ? 3 : 2; // the csv source's own minimum, said here with the line
            if (rows < least) {
                throw new MoeException(file + ": data.rows must be at least " + least + ", got " + rows);
            }
            // synthetic-seed: 4 float features a row, held with a few copies (splits, subsets, expert inputs).
            long needed = (long) rows * 4 * Float.BYTES * 4;
            long heap = Runtime.getRuntime().maxMemory();
            if (rows > Integer.MAX_VALUE / 4 || needed > heap) {
                throw new MoeException(file + ": data.rows " + rows + " needs about " + (needed >> 20) + " MiB of memory, more than "
                        + "this Java VM's " + (heap >> 20) + " MiB; lower data.rows, or raise the heap with MOE_JAVA_OPTS=-Xmx...");
            }
        }
        MoeConfig.SplitConfig s = c.split();
        if (s.crossFit() != null && (s.experts() != null || s.gate() != null)) {
            throw new MoeException(file + ": split.cross-fit trains experts and gate on every row outside the test set: drop"
                    + " split.experts and split.gate, or drop cross-fit for a three-way split");
        }
        if (s.crossFit() != null && (s.crossFit() == 1 || s.crossFit() < 0)) {
            throw new MoeException(file + ": split.cross-fit must be 0 (off) or at least 2 folds, got " + s.crossFit());
        }
        double test = s.testOrDefault();
        if (s.crossFits()) {
            if (!(test > 0 && test < 1)) {
                throw new MoeException(file + ": split.test must be a fraction in (0, 1), got " + test);
            }
        } else {
            // One fraction out of range is named by its key (and so gets its line); a sum above 1 by the section.
            fraction(file, "split.experts", s.experts(), true);
            fraction(file, "split.gate", s.gate(), false);
            fraction(file, "split.test", s.test(), false);
            double experts = s.expertsOrDefault();
            double gate = s.gateOrDefault();
            if (experts + gate + test > 1 + 1e-9) {
                // "cross-fit: 0" alone takes the three-way defaults: say which of the three the user never wrote.
                String defaults = s.experts() == null && s.gate() == null ? "experts and gate are the three-way defaults: set them"
                        : s.experts() == null ? "experts is the three-way default: set it"
                        : s.gate() == null ? "gate is the three-way default: set it" : null;
                throw new MoeException(file + ": split: experts, gate and test must be fractions (gate and test above 0)"
                        + " summing to at most 1, got " + experts + ", " + gate + ", " + test + (defaults == null ? "" : " (" + defaults + ")"));
            }
        }
        MoeConfig.GateConfig g = c.gate();
        positive(file, "gate.epochs", g.epochs());
        positive(file, "gate.learning-rate", g.learningRate());
        positive(file, "gate.expert-learning-rate", g.expertLearningRate());
        if (g.denseWarmupEpochs() != null && g.denseWarmupEpochs() < 0) {
            throw new MoeException(file + ": gate.dense-warmup-epochs must not be negative, got " + g.denseWarmupEpochs());
        }
        if (g.batchSize() != null && g.batchSize() < 0) {
            throw new MoeException(file + ": gate.batch-size must be 0 (full batch) or positive, got " + g.batchSize());
        }
        if (g.dropout() != null && !(g.dropout() >= 0 && g.dropout() < 1)) {
            throw new MoeException(file + ": gate.dropout must be in [0, 1), got " + g.dropout());
        }
        notNegative(file, "gate.load-balance-coefficient", g.loadBalanceCoefficient());
        notNegative(file, "gate.importance-coefficient", g.importanceCoefficient());
        notNegative(file, "gate.load-coefficient", g.loadCoefficient());
        notNegative(file, "gate.z-loss-coefficient", g.zLossCoefficient());
        String trainer = g.trainerOrDefault();
        if (!trainer.equals(MoeConfig.GateConfig.GRADIENT_TRAINER) && !trainer.equals(MoeConfig.GateConfig.EM_TRAINER)) {
            throw new MoeException(file + ": gate.trainer must be gradient or em, got '" + trainer + "'");
        }
        positive(file, "gate.em-step-epochs", g.emStepEpochs());
        if (g.emStepEpochs() != null && !trainer.equals(MoeConfig.GateConfig.EM_TRAINER)) {
            throw new MoeException(file + ": gate.em-step-epochs applies to trainer: em only");
        }
        if (trainer.equals(MoeConfig.GateConfig.EM_TRAINER) && Boolean.TRUE.equals(g.fineTuneExperts())) {
            throw new MoeException(file + ": gate.trainer: em trains the gate with frozen experts; it cannot be used with fine-tune-experts");
        }
        Double validation = g.validationFraction();
        if (validation != null && !(validation >= 0 && validation < 1)) {
            throw new MoeException(file + ": gate.validation-fraction must be in [0, 1), got " + validation);
        }
        positive(file, "gate.patience", g.patience());
        if (g.patience() != null && validation != null && validation == 0) {
            throw new MoeException(file + ": gate.patience needs gate.validation-fraction above 0 (the rows it watches)");
        }
        boolean fineTune = Boolean.TRUE.equals(g.fineTuneExperts());
        if (validation != null && validation > 0 && fineTune) {
            throw new MoeException(file + ": gate.validation-fraction: early stopping restores the best gate only; it cannot be"
                    + " used with fine-tune-experts");
        }
        String choose = c.gateChoice();
        if (!choose.equals(MoeConfig.GateConfig.CHOOSE_AUTO) && !choose.equals(MoeConfig.GateConfig.CHOOSE_GATE)) {
            throw new MoeException(file + ": gate.choose must be auto or gate, got '" + choose + "'");
        }
        if (fineTune && choose.equals(MoeConfig.GateConfig.CHOOSE_AUTO)) {
            throw new MoeException(file + ": gate.fine-tune-experts trains one gate together with its experts: add gate.choose: gate");
        }
        if (g.candidates() != null && choose.equals(MoeConfig.GateConfig.CHOOSE_GATE)) {
            throw new MoeException(file + ": gate.candidates are what choose: auto chooses among; with choose: gate set gate.inputs");
        }
        if (g.candidates() != null) {
            if (g.candidates().isEmpty()) {
                throw new MoeException(file + ": gate.candidates: name at least one of " + String.join(", ", CANDIDATES));
            }
            Set<String> seen = new HashSet<>();
            for (String candidate : g.candidates()) {
                if (!CANDIDATES.contains(candidate)) {
                    throw new MoeException(file + ": gate.candidates: unknown candidate '" + candidate + "'"
                            + NearestName.didYouMean(candidate, CANDIDATES) + "; known: " + String.join(", ", CANDIDATES));
                }
                if (!seen.add(candidate)) {
                    throw new MoeException(file + ": gate.candidates: '" + candidate + "' is listed twice");
                }
            }
        }
        if (g.inputs() != null && !INPUTS.contains(g.inputs())) {
            throw new MoeException(file + ": gate.inputs must be one of " + String.join(", ", INPUTS) + ", got '" + g.inputs() + "'");
        }
        if (g.inputs() != null && choose.equals(MoeConfig.GateConfig.CHOOSE_AUTO) && g.choose() != null) {
            throw new MoeException(file + ": gate.inputs is for choose: gate; choose: auto tries the inputs named in gate.candidates");
        }
        if (fineTune && g.inputs() != null && !g.inputs().equals("features")) {
            throw new MoeException(file + ": gate.inputs: fine-tuned experts change during training, so the gate can read the"
                    + " features only");
        }
        if (fineTune && Boolean.TRUE.equals(g.calibrate())) {
            throw new MoeException(file + ": gate.calibrate: fine-tuned experts change during training, so they cannot be"
                    + " calibrated beforehand");
        }
        notNegative(file, "gate.weight-decay", g.weightDecay());
        notNegative(file, "gate.floor-margin", g.floorMargin());
        if (g.floorMargin() != null && choose.equals(MoeConfig.GateConfig.CHOOSE_GATE)) {
            throw new MoeException(file + ": gate.floor-margin is for choose: auto (how clearly averaging must win the choice);"
                    + " choose: gate trains one gate and chooses nothing");
        }
        if (g.hidden() != null) {
            for (Integer h : g.hidden()) {
                if (h == null || h <= 0) {
                    throw new MoeException(file + ": gate.hidden: layer sizes must be positive, got " + g.hidden());
                }
            }
            if (g.activations() != null && g.activations().size() != g.hidden().size()) {
                throw new MoeException(file + ": gate.activations: " + g.activations().size()
                        + " activations for " + g.hidden().size() + " hidden layers");
            }
        }
        if (c.repeat() != null && c.repeat() < 1) {
            throw new MoeException(file + ": repeat: must be at least 1, got " + c.repeat());
        }
    }

    /** {@code element}: the expert or baseline entry, so that the error gets its line. */
    private static void reserved(String file, String element, String id) {
        if (RESERVED_IDS.contains(id)) {
            throw new MoeException(file + ": " + element + ": the id '" + id + "' is reserved for a report row");
        }
    }

    private static void fraction(String file, String key, Double value, boolean zeroAllowed) {
        if (value != null && !((zeroAllowed ? value >= 0 : value > 0) && value <= 1)) {
            throw new MoeException(file + ": " + key + " must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got " + value);
        }
    }

    private static void notNegative(String file, String key, Double value) {
        if (value != null && !(value >= 0)) {
            throw new MoeException(file + ": " + key + " must not be negative, got " + value);
        }
    }

    private static void positive(String file, String key, Number value) {
        if (value != null && !(value.doubleValue() > 0)) {
            throw new MoeException(file + ": " + key + " must be positive, got " + value);
        }
    }

    /**
     * The checks {@code data.categorical} and {@code data.fill} share: a csv source, names that are neither empty, given
     * twice nor ignored. Returns the list for the key's own checks.
     */
    private static List<String> columnList(String file, MoeConfig c, String key, List<String> columns) {
        if (!columns.isEmpty() && !"csv".equals(c.data().source())) {
            throw new MoeException(file + ": " + key + " names columns of a csv file; data.source is " + c.data().source());
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (column == null || column.isBlank()) {
                throw new MoeException(file + ": " + key + ": every entry is a column name (or the word all); got an empty one");
            }
            if (!seen.add(column)) {
                throw new MoeException(file + ": " + key + " names '" + column + "' twice");
            }
            if (c.data().ignore().contains(column)) {
                throw new MoeException(file + ": " + key + " names '" + column + "', which data.ignore also names;"
                        + " a column is either ignored or a feature");
            }
        }
        return columns;
    }
}

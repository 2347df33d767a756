package dev.moe.experts.xgboost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.moe.api.ExpertException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads XGBoost's JSON model format (doc/model.schema in XGBoost's repository), as XGBoost 1.0 to 3.x write it with
 * {@code save_model("model.json")}, or as UBJSON ({@code save_model("model.ubj")}, read by {@link Ubjson} into the same
 * tree): the trees of a {@code gbtree} or {@code dart} booster with a classification objective. Everything else is refused in one line that says what the file is and how to save one moe reads.
 * Differences between versions it reads: {@code base_score} as a number in a string ({@code "5E-1"}, 1.x to 3.0) or a
 * list in a string ({@code "[5E-1]"}, 3.1+; one margin per class for a multi-class model), {@code default_left} as
 * 0/1 or booleans, the fields 2.x added ({@code iteration_indptr}, categories) ignored when unused, a dart model as
 * 3.4 writes it (booster {@code gbtree}, its {@code weight_drop} in the model).
 */
final class XGBoostJson {

    /** The way to save a model this reader takes, said in every refusal of the file's format. */
    static final String HOW_TO_SAVE = "save it as JSON: booster.save_model(\"model.json\") in Python (an XGBClassifier:"
            + " clf.save_model(\"model.json\")), xgb.save(model, \"model.json\") in R";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // each float as XGBoost wrote it, rounded once
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private static final Set<String> BINARY = Set.of("binary:logistic", "binary:logitraw");
    private static final Set<String> MULTI = Set.of("multi:softprob", "multi:softmax");

    private XGBoostJson() {
    }

    /**
     * Reads a model.
     *
     * @param bytes     the file's content
     * @param source    names the file in messages
     * @param allRounds every tree; else the trees up to the best_iteration the file records, if any
     * @return the model
     * @throws ExpertException "SOURCE is ..." when it is not an XGBoost JSON model, or one moe cannot evaluate
     */
    static XGBoostModel read(byte[] bytes, String source, boolean allRounds) {
        JsonNode root;
        try {
            root = checkFormat(bytes, source) ? Ubjson.read(bytes) : MAPPER.readTree(bytes);
        } catch (Ubjson.Damaged e) {
            throw new ExpertException(source + " is not valid UBJSON (" + e.getMessage() + " at byte " + e.offset
                    + "): a damaged XGBoost model file; save the model again");
        } catch (JsonProcessingException e) {
            throw new ExpertException(source + " is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + "): not an XGBoost model file; " + HOW_TO_SAVE);
        } catch (IOException e) {
            throw new ExpertException("cannot read " + source + ": " + e.getMessage(), e);
        }
        JsonNode learner = root.path("learner");
        if (!learner.isObject()) {
            throw new ExpertException(source + " is JSON but not an XGBoost model (it has no \"learner\" object); "
                    + HOW_TO_SAVE + " (save_config() writes the training parameters, not the model)");
        }
        try {
            return parse(learner, root.path("version"), source, allRounds);
        } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ExpertException(source + " is a damaged XGBoost model: " + e.getMessage());
        }
    }

    /**
     * Tells JSON from UBJSON by the first bytes; refuses the old binary format and anything else.
     *
     * @return whether the file is UBJSON
     */
    private static boolean checkFormat(byte[] bytes, String source) {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        if (i == bytes.length) {
            throw new ExpertException(source + " is empty, not an XGBoost model");
        }
        if (bytes[i] == '{') {
            // UBJSON (what XGBoost 2.1+ writes unless the name ends in .json): the object's first key starts with its
            // length's type marker (i, U, I, l, L), or a count (#, $); JSON: a quote or white space.
            return i == 0 && bytes.length > 1 && "iUIlL#$".indexOf(bytes[1]) >= 0;
        }
        if (bytes.length >= 4 && bytes[0] == 'b' && bytes[1] == 'i' && bytes[2] == 'n' && bytes[3] == 'f') {
            throw new ExpertException(source + " is an XGBoost model in the old binary format (deprecated since XGBoost"
                    + " 1.0), which moe does not read; load it in XGBoost and " + HOW_TO_SAVE);
        }
        throw new ExpertException(source + " is not an XGBoost JSON model (it does not start with '{'); " + HOW_TO_SAVE);
    }

    private static XGBoostModel parse(JsonNode learner, JsonNode versionNode, String source, boolean allRounds) {
        String version = version(versionNode);
        JsonNode objectiveNode = learner.path("objective");
        String objective = objectiveNode.path("name").asText("");
        JsonNode params = learner.path("learner_model_param");
        int numFeature = intParam(params, "num_feature", source);
        int numClass = params.has("num_class") ? intParam(params, "num_class", source) : 0;
        int numTarget = params.has("num_target") ? intParam(params, "num_target", source) : 1;
        checkObjective(objective, source);
        if (numTarget > 1) {
            throw new ExpertException(source + " is a multi-target XGBoost model (num_target " + numTarget
                    + "), which moe does not read: an expert gives one probability per class of one label");
        }
        boolean binary = BINARY.contains(objective);
        int groups = binary ? 1 : numClass;
        if (!binary && numClass < 2) {
            throw new ExpertException(source + " has objective " + objective + " but num_class " + numClass);
        }
        String baseScore = params.path("base_score").asText("0.5");
        float[] base = baseMargins(baseScore, groups, binary, source);

        List<String> featureNames = strings(learner.path("feature_names"));
        List<String> featureTypes = strings(learner.path("feature_types"));
        for (int f = 0; f < featureTypes.size(); f++) {
            if (featureTypes.get(f).equals("c")) {
                String name = f < featureNames.size() ? "'" + featureNames.get(f) + "'" : "number " + f;
                throw new ExpertException(source + ": feature " + name + " is categorical (feature_types \"c\", trained"
                        + " with enable_categorical), which moe does not read: train it with the column one-hot encoded"
                        + " (or as numeric codes) and save it again");
            }
        }
        if (!featureNames.isEmpty() && featureNames.size() != numFeature) {
            throw new IllegalArgumentException(featureNames.size() + " feature_names for num_feature " + numFeature);
        }

        JsonNode booster = learner.path("gradient_booster");
        String boosterName = booster.path("name").asText("");
        JsonNode model;
        double[] weights = null;
        switch (boosterName) {
            case "gbtree" -> {
                model = booster.path("model");
                // XGBoost 3.4 (dart deprecated as a booster) writes a dart model as gbtree, its weights in the model
                weights = dartWeights(model.path("weight_drop"));
            }
            case "dart" -> {
                model = booster.path("gbtree").path("model");
                weights = dartWeights(booster.path("weight_drop"));
                if (weights == null) {
                    weights = new double[0];
                }
            }
            case "gblinear" -> throw new ExpertException(source + " is a linear XGBoost model (booster gblinear), which"
                    + " moe does not read: it evaluates trees (booster gbtree or dart); train with booster=\"gbtree\"");
            default -> throw new ExpertException(source + " has booster '" + boosterName + "', which moe does not read:"
                    + " it evaluates trees (gbtree, dart)");
        }
        int trees = model.path("trees").size();
        int parallel = model.path("gbtree_model_param").has("num_parallel_tree")
                ? intParam(model.path("gbtree_model_param"), "num_parallel_tree", source) : 1;
        int perRound = groups * Math.max(1, parallel);
        int rounds = trees / perRound;
        int used = rounds;
        JsonNode best = learner.path("attributes").path("best_iteration");
        if (!allRounds && best.isTextual() && !best.asText().isBlank()) {
            used = Math.min(rounds, Integer.parseInt(best.asText().strip()) + 1);
        }
        Forest forest = forest(model, weights, groups, numFeature, used == rounds ? trees : used * perRound, source);
        return new XGBoostModel(objective, binary ? 2 : numClass, numFeature, featureNames, base, forest, boosterName,
                version, baseScore, used, rounds);
    }

    /** A dart model's tree weights, or null when the node holds none (a plain gbtree). */
    private static double[] dartWeights(JsonNode drop) {
        if (!drop.isArray() || drop.isEmpty()) {
            return null;
        }
        double[] weights = new double[drop.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = drop.get(i).doubleValue();
        }
        return weights;
    }

    private static void checkObjective(String objective, String source) {
        if (BINARY.contains(objective) || MULTI.contains(objective)) {
            return;
        }
        String what;
        if (objective.startsWith("reg:") || objective.startsWith("count:") || objective.startsWith("survival:")) {
            what = "a regression model";
        } else if (objective.startsWith("rank:")) {
            what = "a ranking model";
        } else if (objective.equals("binary:hinge")) {
            what = "a classifier without probabilities (binary:hinge gives 0 or 1)";
        } else if (objective.isEmpty()) {
            throw new IllegalArgumentException("it names no objective");
        } else {
            what = "a model";
        }
        throw new ExpertException(source + " is " + what + " (objective " + objective + "), not a classifier moe reads:"
                + " an expert gives class probabilities; moe reads binary:logistic, binary:logitraw, multi:softprob and"
                + " multi:softmax");
    }

    /** {@code version: [1, 7, 4]} as 1.7.4. */
    private static String version(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return "unknown";
        }
        List<String> parts = new ArrayList<>();
        node.forEach(n -> parts.add(n.asText()));
        return String.join(".", parts);
    }

    /** XGBoost writes each model parameter as a string: {@code "num_class": "3"}. */
    private static int intParam(JsonNode params, String key, String source) {
        JsonNode node = params.get(key);
        if (node == null) {
            throw new ExpertException(source + " is not a complete XGBoost model: learner_model_param has no " + key);
        }
        return Integer.parseInt(node.asText().strip());
    }

    /**
     * The base margins: {@code base_score} read ("5E-1", or 3.1+'s "[5E-1]", or one value per class), in the margin's
     * space: a binary objective's base_score is a probability, turned into its log-odds as XGBoost does.
     */
    static float[] baseMargins(String text, int groups, boolean binary, String source) {
        String inner = text.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        String[] parts = inner.split(",");
        if (parts.length != 1 && parts.length != groups) {
            throw new ExpertException(source + " has base_score " + text + ": " + parts.length + " values for "
                    + groups + " outputs");
        }
        float[] base = new float[groups];
        for (int g = 0; g < groups; g++) {
            float score = Float.parseFloat(parts[parts.length == 1 ? 0 : g].strip());
            if (binary) {
                if (!(score > 0 && score < 1)) {
                    throw new ExpertException(source + " has base_score " + text + ", which is not a probability"
                            + " strictly between 0 and 1, as a binary objective's is");
                }
                score = (float) -Math.log(1.0 / score - 1.0);
            }
            base[g] = score;
        }
        return base;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** The first {@code limit} trees of a gbtree model, flattened; dart's weights multiplied into the leaves. */
    private static Forest forest(JsonNode model, double[] weights, int groups, int numFeature, int limit, String source) {
        JsonNode trees = model.path("trees");
        JsonNode info = model.path("tree_info");
        if (!trees.isArray()) {
            throw new ExpertException(source + " is not a complete XGBoost model: its booster has no trees");
        }
        if (info.size() != trees.size() || (weights != null && weights.length != trees.size())) {
            throw new IllegalArgumentException(trees.size() + " trees but " + info.size() + " tree_info entries"
                    + (weights != null ? " and " + weights.length + " dart weights" : ""));
        }
        int count = limit;
        int total = 0;
        for (int t = 0; t < count; t++) {
            total += trees.get(t).path("left_children").size();
        }
        int[] nodes = new int[total * Forest.STRIDE];
        float[] leaves = new float[total];
        int[] roots = new int[count];
        int[] depths = new int[count];
        int[] treeGroups = new int[count];
        int offset = 0;
        for (int t = 0; t < count; t++) {
            JsonNode tree = trees.get(t);
            int group = info.get(t).intValue();
            if (group < 0 || group >= groups) {
                throw new IllegalArgumentException("tree " + t + " adds to output " + group + " of " + groups);
            }
            int size = intParam(tree.path("tree_param"), "size_leaf_vector", source);
            if (size > 1) {
                throw new ExpertException(source + " has trees with vector leaves (size_leaf_vector " + size
                        + ", multi_strategy multi_output_tree), which moe does not read: train with"
                        + " multi_strategy=\"one_output_per_tree\" (the default)");
            }
            JsonNode lefts = tree.path("left_children");
            JsonNode rights = tree.path("right_children");
            JsonNode splits = tree.path("split_indices");
            JsonNode conditions = tree.path("split_conditions");
            JsonNode defaults = tree.path("default_left");
            JsonNode types = tree.path("split_type");
            int n = lefts.size();
            if (n == 0 || rights.size() != n || splits.size() != n || conditions.size() != n || defaults.size() != n) {
                throw new IllegalArgumentException("tree " + t + "'s arrays differ in length (" + n + " nodes)");
            }
            int[] left = new int[n];
            int[] right = new int[n];
            for (int i = 0; i < n; i++) {
                if (types.size() == n && types.get(i).intValue() != 0) {
                    throw new ExpertException(source + ": tree " + t + " has a categorical split (split_type "
                            + types.get(i).intValue() + "), which moe does not read: train with the column one-hot"
                            + " encoded (or as numeric codes) and save it again");
                }
                left[i] = lefts.get(i).intValue();
                right[i] = rights.get(i).intValue();
                int f = splits.get(i).intValue();
                if (left[i] != -1 && (left[i] <= 0 || left[i] >= n || right[i] <= 0 || right[i] >= n || f < 0
                        || f >= numFeature)) {
                    throw new IllegalArgumentException("tree " + t + ", node " + i + ": children " + left[i] + ", "
                            + right[i] + ", feature " + f + " out of range");
                }
            }
            // The nodes in breadth-first order from the root, so that each right child follows its left one.
            int[] order = new int[n];
            int[] position = new int[n];
            int reached = breadthFirst(left, right, order, position, t);
            int depth = 0;
            int[] level = new int[n];
            float weight = weights == null ? 1f : (float) weights[t];
            for (int j = 0; j < reached; j++) {
                int i = order[j];
                int k = (offset + j) * Forest.STRIDE;
                if (left[i] == -1) {
                    float value = conditions.get(i).floatValue();
                    leaves[offset + j] = weights == null ? value : value * weight;
                    nodes[k + 1] = offset + j;
                    nodes[k + 2] = Forest.LEAF_THRESHOLD;
                    depth = Math.max(depth, level[i]);
                    continue;
                }
                level[left[i]] = level[i] + 1;
                level[right[i]] = level[i] + 1;
                JsonNode d = defaults.get(i);
                boolean defaultLeft = d.isBoolean() ? d.booleanValue() : d.intValue() != 0;
                nodes[k] = splits.get(i).intValue();
                nodes[k + 1] = offset + position[left[i]];
                nodes[k + 2] = Forest.ordered(conditions.get(i).floatValue() + 0f);
                nodes[k + 3] = defaultLeft ? 0 : 1;
            }
            roots[t] = offset;
            depths[t] = depth;
            treeGroups[t] = group;
            offset += n;
        }
        return new Forest(nodes, leaves, roots, depths, treeGroups);
    }

    /**
     * Numbers the nodes reached from the root breadth-first, the two children of a node one after the other; checks
     * that each node is reached once: a damaged file cannot send the evaluation round in circles.
     *
     * @param order    filled: the nodes in their new order
     * @param position filled: each reached node's place in {@code order}
     * @return how many nodes the root reaches
     */
    private static int breadthFirst(int[] left, int[] right, int[] order, int[] position, int tree) {
        boolean[] seen = new boolean[left.length];
        order[0] = 0;
        seen[0] = true;
        int size = 1;
        for (int j = 0; j < size; j++) {
            int node = order[j];
            if (left[node] == -1) {
                continue;
            }
            for (int child : new int[] {left[node], right[node]}) {
                if (seen[child]) {
                    throw new IllegalArgumentException("tree " + tree + " reaches node " + child + " twice");
                }
                seen[child] = true;
                position[child] = size;
                order[size++] = child;
            }
        }
        return size;
    }
}

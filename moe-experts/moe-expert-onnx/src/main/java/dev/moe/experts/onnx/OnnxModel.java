package dev.moe.experts.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.moe.api.ExpertException;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX model in an ONNX Runtime session: which input it reads and which output holds the class scores, found
 * once when the session is created; {@link #run} scores a block of rows in one {@code OrtSession.run}. The session is
 * created once and shared (ONNX Runtime's {@code run} is thread-safe).
 *
 * <p>The only class of this module that touches ONNX Runtime: the provider reaches it only from {@code load} and
 * {@code read}, so its native library is extracted and loaded only when an onnx expert is used.
 */
final class OnnxModel implements AutoCloseable {

    /** Rows per {@code run} when the model's batch size is free: few runs, and bounded native memory. */
    static final int BLOCK_ROWS = 8192;

    private final OrtSession session;
    private final String where;
    /** The model's inputs, each fed a run of params.features' columns. */
    private final List<Input> inputs;
    /** The model's fixed batch size; 0 when free; -1 when the input has no batch dimension (one row per run). */
    private final long fixedBatch;
    private final String outputName;
    /** A sequence of maps (scikit-learn's ZipMap): class -> probability per row. */
    private final boolean zipMap;
    /** The ZipMap's keys in column order, as the map gives them back (Long or String). */
    private final List<Object> zipMapKeys;
    private final int outputWidth;
    private final int width;
    private final Map<String, String> description = new LinkedHashMap<>();
    private boolean closed;

    private static OrtEnvironment environment() {
        // Errors only: ONNX Runtime's warnings (unused initializers and the like) would otherwise reach stderr.
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "moe");
    }

    /** For {@code moe doctor}: loading the environment extracts and loads the native library, which is the check. */
    static List<String> environmentReport() {
        String version = environment().getVersion();
        return List.of("ONNX Runtime " + version + ", native library loaded (" + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "); execution providers: "
                + String.join(", ", OrtEnvironment.getAvailableProviders().stream().map(Enum::name).toList()));
    }

    /**
     * Creates the session and finds the input and output.
     *
     * @param bytes   the model
     * @param where   names the model in messages (its file, resource or saved-mixture entry)
     * @param width   how many feature columns the expert feeds it
     * @param output  the output that holds the class scores; null: the one float [N, C] tensor or ZipMap output
     * @param threads ONNX Runtime's threads per run
     * @throws ExpertException when the bytes are no ONNX model, ONNX Runtime cannot run it, or its input or outputs
     *                         are not what moe can feed or read
     */
    static OnnxModel open(byte[] bytes, String where, int width, String output, int threads) {
        OrtEnvironment env = environment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new ExpertException(loadFailure(where, e), e);
        }
        try {
            return new OnnxModel(session, where, width, output, env.getVersion());
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the first failure is the one to report
            }
            if (e instanceof ExpertException x) {
                throw x;
            }
            throw new ExpertException(where + ": ONNX Runtime could not describe the model: " + firstLine(e.getMessage()), e);
        }
    }

    /** How ONNX Runtime's messages start: "Error code - ORT_FAIL - message: ". */
    private static final java.util.regex.Pattern ORT_PREFIX = java.util.regex.Pattern.compile("^Error code - \\w+ - message: ");
    /** ONNX Runtime's refusal of an opset it does not know (its message quotes a C++ signature first). */
    private static final java.util.regex.Pattern NEWER_OPSET = java.util.regex.Pattern.compile(
            "Opset (\\d+) is under development.*?for domain (\\S+) is till opset (\\d+)", java.util.regex.Pattern.DOTALL);

    /** ONNX Runtime's failure to load a model, as one line that says what is wrong and what to do. */
    static String loadFailure(String where, OrtException e) {
        String full = String.valueOf(e.getMessage());
        String message = firstLine(ORT_PREFIX.matcher(full).replaceFirst(""));
        java.util.regex.Matcher opset = NEWER_OPSET.matcher(full);
        if (opset.find()) {
            message = "the model's opset " + opset.group(1) + " of domain " + opset.group(2) + " is newer than the "
                    + opset.group(3) + " it supports";
        }
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        String version = environment().getVersion(); // the same settings: another would log a warning
        if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF || lower.contains("protobuf parsing failed")) {
            return where + " is not an ONNX model (ONNX Runtime could not parse it): give a file written by an ONNX exporter"
                    + " (torch.onnx.export, skl2onnx, tf2onnx, ...)";
        }
        if (e.getCode() == OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED || lower.contains("opset")
                || lower.contains("not a registered function/op") || lower.contains("could not find an implementation")) {
            return "ONNX Runtime " + version + " cannot run " + where + ": " + message + " (ONNX Runtime " + version + " runs the"
                    + " ai.onnx opsets up to 21, without custom operators: export with an older opset, e.g."
                    + " torch.onnx.export(..., opset_version=17), or without the custom operator)";
        }
        return "ONNX Runtime " + version + " cannot load " + where + ": " + message;
    }

    private OnnxModel(OrtSession session, String where, int width, String output, String runtimeVersion)
            throws OrtException {
        this.session = session;
        this.where = where;
        this.width = width;

        Map<String, NodeInfo> inputInfo = session.getInputInfo();
        if (inputInfo.size() == 1) {
            NodeInfo input = inputInfo.values().iterator().next();
            long[] dims = tensorShape(input);
            long modelWidth;
            if (dims.length == 2) {
                fixedBatch = dims[0] > 0 ? dims[0] : 0;
                modelWidth = dims[1];
            } else if (dims.length == 1) {
                fixedBatch = -1;
                modelWidth = dims[0];
            } else {
                throw new ExpertException(where + ": its input '" + input.getName() + "' has shape " + shape(dims)
                        + "; moe feeds [rows, features] (or [features] for a model without a batch dimension)");
            }
            if (modelWidth > 0 && modelWidth != width) {
                throw new ExpertException(where + " reads " + modelWidth + " features (input " + describe(inputInfo)
                        + "), but params.features names " + width + ": name the " + modelWidth
                        + " data columns it reads, in the order it was trained on");
            }
            inputs = List.of(new Input(input.getName(), isDouble(input), 0, width));
        } else {
            // Several inputs (a converter's one input per column group): each a [rows, k] tensor of fixed k, fed the
            // next k of params.features, in the model's order of inputs.
            List<Input> slots = new ArrayList<>();
            int offset = 0;
            long batch = Long.MIN_VALUE;
            for (NodeInfo input : inputInfo.values()) {
                long[] dims = tensorShape(input);
                if (dims.length != 2 || dims[1] < 1) {
                    throw new ExpertException(where + " has " + inputInfo.size() + " inputs (" + describe(inputInfo)
                            + "); moe feeds several inputs only when each is [rows, k] with a fixed k, and '"
                            + input.getName() + "' is not: export the model with a single input of all feature columns");
                }
                long inputBatch = dims[0] > 0 ? dims[0] : 0;
                if (batch != Long.MIN_VALUE && inputBatch != batch) {
                    throw new ExpertException(where + " has inputs of different batch sizes (" + describe(inputInfo) + ")");
                }
                batch = inputBatch;
                slots.add(new Input(input.getName(), isDouble(input), offset, (int) dims[1]));
                offset += (int) dims[1];
            }
            if (offset != width) {
                throw new ExpertException(where + " reads " + offset + " features (inputs " + describe(inputInfo)
                        + ", in this order), but params.features names " + width + ": name the " + offset
                        + " data columns it reads, in the order of its inputs");
            }
            fixedBatch = batch;
            inputs = List.copyOf(slots);
        }

        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo chosen = chooseOutput(outputs, output);
        outputName = chosen.getName();
        zipMap = chosen.getInfo() instanceof SequenceInfo;

        // One probe run (a row of zeros): the output's width, ZipMap's classes, and a model that fails on rows of this
        // width, all found now rather than in the middle of an evaluation.
        int probeRows = fixedBatch > 0 ? (int) fixedBatch : 1;
        List<Object> keys = new ArrayList<>();
        int probeWidth;
        try (OrtSession.Result result = runRaw(new float[probeRows * width], 0, probeRows)) {
            OnnxValue value = result.get(outputName).orElseThrow();
            if (zipMap) {
                List<? extends OnnxValue> rows = ((OnnxSequence) value).getValue();
                if (rows.isEmpty()) {
                    throw new ExpertException(where + ": output '" + outputName + "' gave no rows for " + probeRows);
                }
                keys.addAll(((OnnxMap) rows.get(0)).getValue().keySet());
                keys.sort((a, b) -> a instanceof Long x && b instanceof Long y ? Long.compare(x, y)
                        : String.valueOf(a).compareTo(String.valueOf(b)));
                probeWidth = keys.size();
            } else {
                long[] outShape = ((OnnxTensor) value).getInfo().getShape();
                probeWidth = (int) outShape[outShape.length - 1];
            }
        } catch (OrtException e) {
            throw new ExpertException(where + " fails on a row of " + width + " features (params.features): ONNX Runtime: "
                    + firstLine(e.getMessage()), e);
        }
        if (probeWidth < 1) {
            throw new ExpertException(where + ": output '" + outputName + "' has no columns");
        }
        zipMapKeys = List.copyOf(keys);
        outputWidth = probeWidth;

        OnnxModelMetadata metadata = session.getMetadata();
        put("producer", metadata.getProducerName());
        put("graph", metadata.getGraphName());
        put("domain", metadata.getDomain());
        if (metadata.getVersion() > 0 && metadata.getVersion() != Long.MAX_VALUE) { // MAX_VALUE: not set
            put("model-version", String.valueOf(metadata.getVersion()));
        }
        put("description", metadata.getDescription());
        description.put(inputs.size() == 1 ? "input" : "inputs", describe(inputInfo)
                + (fixedBatch == -1 ? " (no batch dimension: one run per row)" : fixedBatch > 0 ? " (fixed batch: runs of " + fixedBatch + " rows)" : ""));
        description.put("output", outputName + ": " + (zipMap ? "sequence of maps (ZipMap), " + outputWidth + " classes"
                : describe(chosen.getInfo())));
        description.put("onnxruntime-version", runtimeVersion);
    }

    private void put(String key, String value) {
        if (value != null && !value.isBlank()) {
            description.put(key, value.strip());
        }
    }

    /** The output named, or the one that can hold class scores: a float [N, C] tensor or a sequence of maps. */
    private NodeInfo chooseOutput(Map<String, NodeInfo> outputs, String output) {
        if (output != null) {
            NodeInfo named = outputs.get(output);
            if (named == null) {
                throw new ExpertException(where + " has no output '" + output + "' (params.output); its outputs: "
                        + describe(outputs));
            }
            if (!isScores(named.getInfo())) {
                throw new ExpertException(where + ": output '" + output + "' is " + describe(named.getInfo())
                        + ", not class scores (a float [rows, classes] tensor, or a sequence of maps); its outputs: "
                        + describe(outputs));
            }
            return named;
        }
        List<NodeInfo> maps = new ArrayList<>();
        List<NodeInfo> tensors = new ArrayList<>();
        for (NodeInfo node : outputs.values()) {
            if (node.getInfo() instanceof SequenceInfo && isScores(node.getInfo())) {
                maps.add(node);
            } else if (isScores(node.getInfo())) {
                tensors.add(node);
            }
        }
        // scikit-learn's converter writes the label (int64 [N]) and the probabilities (a ZipMap, or float [N, C]).
        List<NodeInfo> candidates = maps.size() == 1 ? maps : maps.isEmpty() ? tensors : List.of();
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<NodeInfo> all = new ArrayList<>(maps);
        all.addAll(tensors);
        if (all.isEmpty()) {
            throw new ExpertException(where + " has no output of class scores (a float [rows, classes] tensor, or a"
                    + " sequence of maps); its outputs: " + describe(outputs));
        }
        Map<String, NodeInfo> named = new LinkedHashMap<>();
        all.forEach(n -> named.put(n.getName(), n));
        throw new ExpertException(where + " has " + all.size() + " outputs that could hold class scores (" + describe(named)
                + "): set params.output to the one that does");
    }

    /** A float [rows, classes] tensor ([classes] for a model without a batch dimension), or a sequence of maps. */
    private boolean isScores(ValueInfo info) {
        if (info instanceof TensorInfo t) {
            int rank = t.getShape().length;
            return (t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE) && (rank == 2 || rank == 1 && fixedBatch == -1);
        }
        if (info instanceof SequenceInfo s) {
            MapInfo map = s.mapInfo;
            return s.isSequenceOfMaps() && map != null
                    && (map.valueType == OnnxJavaType.FLOAT || map.valueType == OnnxJavaType.DOUBLE);
        }
        return false;
    }

    /** The output's classes in column order: ZipMap's keys as text; empty for a tensor output. */
    List<String> zipMapClasses() {
        return zipMapKeys.stream().map(String::valueOf).toList();
    }

    boolean isZipMap() {
        return zipMap;
    }

    int outputWidth() {
        return outputWidth;
    }

    String outputName() {
        return outputName;
    }

    /** Rows per {@code run}: the model's fixed batch, 1 without a batch dimension, else {@link #BLOCK_ROWS}. */
    int blockRows() {
        return fixedBatch > 0 ? (int) fixedBatch : fixedBatch == -1 ? 1 : BLOCK_ROWS;
    }

    /** What the model is, for the expert's provenance: producer, input and output, ONNX Runtime's version. */
    Map<String, String> description() {
        return description;
    }

    /**
     * Scores {@code rows} rows of {@code x} from row {@code first} in one run, and writes them to {@code out} from row
     * {@code first}, {@link #outputWidth} columns each, in the order of the output (ZipMap: {@code columnKeys}).
     *
     * @param columnKeys for a ZipMap, the key of each column; null otherwise
     */
    void run(float[] x, int first, int rows, float[] out, List<Object> columnKeys) {
        int runRows = fixedBatch > 0 ? (int) fixedBatch : rows;
        try (OrtSession.Result result = runRaw(x, first, rows, runRows)) {
            OnnxValue value = result.get(outputName).orElseThrow();
            if (zipMap) {
                List<? extends OnnxValue> maps = ((OnnxSequence) value).getValue();
                for (int r = 0; r < rows; r++) {
                    Map<? extends Object, ? extends Object> map = ((OnnxMap) maps.get(r)).getValue();
                    for (int c = 0; c < columnKeys.size(); c++) {
                        Object p = map.get(columnKeys.get(c));
                        out[(first + r) * outputWidth + c] = p == null ? Float.NaN : ((Number) p).floatValue();
                    }
                }
            } else {
                OnnxTensor tensor = (OnnxTensor) value;
                long[] shape = tensor.getInfo().getShape();
                boolean expected = fixedBatch == -1 ? tensor.getInfo().getNumElements() == outputWidth
                        : shape.length == 2 && shape[0] == runRows && shape[1] == outputWidth;
                if (!expected) {
                    throw new ExpertException(where + ": output '" + outputName + "' came back as " + shape(shape)
                            + " for " + runRows + " rows; expected [" + runRows + ", " + outputWidth + "]");
                }
                int n = rows * outputWidth;
                if (tensor.getInfo().type == OnnxJavaType.DOUBLE) {
                    double[] d = new double[n];
                    tensor.getDoubleBuffer().get(d);
                    for (int i = 0; i < n; i++) {
                        out[first * outputWidth + i] = (float) d[i];
                    }
                } else {
                    tensor.getFloatBuffer().get(out, first * outputWidth, n);
                }
            }
        } catch (OrtException e) {
            throw new ExpertException(where + ": ONNX Runtime failed on rows " + first + ".." + (first + rows - 1) + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** The key objects of the given classes (as {@link #zipMapClasses} names them), for {@link #run}. */
    List<Object> zipMapKeys(List<String> classes) {
        List<Object> keys = new ArrayList<>();
        for (String c : classes) {
            keys.add(zipMapKeys.get(zipMapClasses().indexOf(c)));
        }
        return keys;
    }

    private OrtSession.Result runRaw(float[] x, int first, int rows) throws OrtException {
        return runRaw(x, first, rows, rows);
    }

    /** One run on rows {@code first..first+rows-1} of {@code x}, padded with rows of zeros to {@code runRows}. */
    private OrtSession.Result runRaw(float[] x, int first, int rows, int runRows) throws OrtException {
        OrtEnvironment env = environment();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Input input : inputs) {
                feed.put(input.name(), tensor(env, input, x, first, rows, runRows));
            }
            return session.run(feed, Set.of(outputName));
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** The input's columns of the rows, as one tensor: the rows' own array where it can, else a copy. */
    private OnnxTensor tensor(OrtEnvironment env, Input input, float[] x, int first, int rows, int runRows)
            throws OrtException {
        int k = input.width();
        long[] shape = fixedBatch == -1 ? new long[] {k} : new long[] {runRows, k};
        if (!input.isDouble() && k == width && runRows == rows) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(x, first * width, rows * width).slice(), shape);
        }
        if (input.isDouble()) {
            double[] d = new double[runRows * k];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < k; c++) {
                    d[r * k + c] = x[(first + r) * width + input.offset() + c];
                }
            }
            return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
        }
        float[] f = new float[runRows * k]; // rows past {@code rows} stay zero: the padding of a fixed batch
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, (first + r) * width + input.offset(), f, r * k, k);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
    }

    /** One model input: its name, whether it takes doubles, and the columns of params.features it is fed. */
    private record Input(String name, boolean isDouble, int offset, int width) {
    }

    /** The shape of a float or double tensor input; anything else is refused, naming it. */
    private long[] tensorShape(NodeInfo input) {
        if (!(input.getInfo() instanceof TensorInfo tensor)) {
            throw new ExpertException(where + ": its input '" + input.getName() + "' is " + describe(input.getInfo())
                    + ", not a tensor; moe feeds float tensors of [rows, features]");
        }
        if (tensor.type != OnnxJavaType.FLOAT && tensor.type != OnnxJavaType.DOUBLE) {
            throw new ExpertException(where + ": its input '" + input.getName() + "' is " + typeName(tensor.type) + " "
                    + shape(tensor.getShape()) + "; moe feeds float features (float or double inputs): export the model"
                    + " with a float input, casting inside the model where it needs integers");
        }
        return tensor.getShape();
    }

    private static boolean isDouble(NodeInfo input) {
        return ((TensorInfo) input.getInfo()).type == OnnxJavaType.DOUBLE;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                // nothing left to do with a session that will not close
            }
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline).strip();
        }
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        List<String> parts = new ArrayList<>();
        nodes.forEach((name, node) -> parts.add(name + ": " + describe(node.getInfo())));
        return String.join(", ", parts);
    }

    private static String describe(ValueInfo info) {
        if (info instanceof TensorInfo t) {
            return typeName(t.type) + " " + shape(t.getShape());
        }
        if (info instanceof SequenceInfo s) {
            return s.isSequenceOfMaps() && s.mapInfo != null
                    ? "sequence of maps " + typeName(s.mapInfo.keyType) + " -> " + typeName(s.mapInfo.valueType)
                    : "sequence of " + typeName(s.sequenceType);
        }
        if (info instanceof MapInfo m) {
            return "map " + typeName(m.keyType) + " -> " + typeName(m.valueType);
        }
        return String.valueOf(info);
    }

    private static String typeName(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case INT64 -> "int64";
            case INT32 -> "int32";
            case INT16 -> "int16";
            case INT8 -> "int8";
            case UINT8 -> "uint8";
            case BOOL -> "bool";
            case STRING -> "string";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A shape as people write it: {@code [N, 4]}, a free dimension as N. */
    static String shape(long[] dims) {
        List<String> parts = new ArrayList<>();
        for (long d : dims) {
            parts.add(d < 0 ? "N" : String.valueOf(d));
        }
        return "[" + String.join(", ", parts) + "]";
    }
}

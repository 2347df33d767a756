package dev.moe.experts.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small ONNX graphs written in a test, with ONNX's own protobuf classes (tribuo-util-onnx, a test dependency, carries
 * them): an Identity graph is a "model" whose output is the rows it is fed, so a test chooses the scores exactly.
 */
final class OnnxGraphs {

    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private OnnxGraphs() {
    }

    /** A tensor type; a {@code Long} is a fixed dimension, a {@code String} a free one. */
    static TypeProto tensor(int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String name ? TensorShapeProto.Dimension.newBuilder().setDimParam(name)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)).build();
    }

    /** scikit-learn's ZipMap output: a sequence of maps of int64 class to float probability. */
    static TypeProto zipMapOfInt64() {
        TypeProto map = TypeProto.newBuilder().setMapType(TypeProto.Map.newBuilder().setKeyType(INT64)
                .setValueType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT)))).build();
        return TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map)).build();
    }

    static ValueInfoProto value(String name, TypeProto type) {
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    static NodeProto node(String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).addAllInput(inputs).addAllOutput(outputs);
        if (op.equals("ZipMap")) {
            node.setDomain("ai.onnx.ml");
        }
        for (AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        return node.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** A model of opset 13 (and ai.onnx.ml 1) around {@code graph}; {@code model} may set its metadata first. */
    static Path write(Path file, ModelProto.Builder model, GraphProto.Builder graph) throws IOException {
        model.setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
                .setGraph(graph);
        Files.write(file, model.build().toByteArray());
        return file;
    }

    /** x [N, width] of {@code elemType} to its output p, unchanged. */
    static Path identity(Path file, int elemType, int width) throws IOException {
        return write(file, ModelProto.newBuilder(), GraphProto.newBuilder().setName("identity")
                .addNode(node("Identity", List.of("x"), List.of("p")))
                .addInput(value("x", tensor(elemType, "N", (long) width)))
                .addOutput(value("p", tensor(elemType, "N", (long) width))));
    }
}

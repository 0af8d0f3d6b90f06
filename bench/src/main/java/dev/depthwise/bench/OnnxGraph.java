package dev.depthwise.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-graph ONNX model written straight to protobuf bytes (no protobuf library): float inputs
 * and outputs with fixed shapes, float initializers, and nodes with int / ints / float attributes.
 * Field numbers are those of {@code onnx/onnx.proto}.
 *
 * <pre>{@code
 * byte[] model = new OnnxGraph("relu").input("x", 1, 4).output("y", 1, 4)
 *         .node("Relu", List.of("x"), List.of("y")).toModel();
 * }</pre>
 */
final class OnnxGraph {
    /** IR version 8 (ONNX 1.10): read by every ONNX Runtime since 1.10. */
    static final int IR_VERSION = 8;
    /** Opset 13 of the default domain: Conv and Relu as in every later opset. */
    static final int OPSET = 13;

    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS = 7; // AttributeProto.AttributeType

    /** A node attribute: exactly one of a float, an int or a list of ints. */
    record Attribute(String name, int type, float f, long i, long[] ints) {
        static Attribute of(String name, long value) {
            return new Attribute(name, ATTR_INT, 0f, value, null);
        }

        static Attribute of(String name, float value) {
            return new Attribute(name, ATTR_FLOAT, value, 0, null);
        }

        static Attribute ints(String name, long... values) {
            return new Attribute(name, ATTR_INTS, 0f, 0, values.clone());
        }

        ProtoWriter proto() {
            ProtoWriter a = new ProtoWriter().string(1, name).varint(20, type);
            switch (type) {
                case ATTR_FLOAT -> a.float32(2, f);
                case ATTR_INT -> a.varint(3, i);
                default -> {
                    for (long v : ints) {
                        a.varint(8, v);
                    }
                }
            }
            return a;
        }
    }

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();

    OnnxGraph(String name) {
        this.name = name;
    }

    /** A float graph input of a fixed shape. */
    OnnxGraph input(String tensor, long... shape) {
        inputs.add(valueInfo(tensor, shape));
        return this;
    }

    /** A float graph output of a fixed shape. */
    OnnxGraph output(String tensor, long... shape) {
        outputs.add(valueInfo(tensor, shape));
        return this;
    }

    /** A constant float tensor (weights, bias), stored little-endian in {@code raw_data}. */
    OnnxGraph initializer(String tensor, float[] data, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("initializer " + tensor + ": " + data.length
                    + " values for a shape of " + count);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        ProtoWriter t = new ProtoWriter();
        for (long d : shape) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT).string(8, tensor).bytes(9, raw.array());
        initializers.add(t);
        return this;
    }

    /** A node of the default domain, named after its first output. */
    OnnxGraph node(String opType, List<String> in, List<String> out, Attribute... attributes) {
        ProtoWriter n = new ProtoWriter();
        in.forEach(s -> n.string(1, s));
        out.forEach(s -> n.string(2, s));
        n.string(3, opType.toLowerCase(java.util.Locale.ROOT) + "_" + out.getFirst()).string(4, opType);
        for (Attribute a : attributes) {
            n.message(5, a.proto());
        }
        nodes.add(n);
        return this;
    }

    /** The serialized {@code ModelProto}. */
    byte[] toModel() {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(v -> graph.message(11, v));
        outputs.forEach(v -> graph.message(12, v));
        return new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, "depthwise-bench")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET))
                .toByteArray();
    }

    /** ValueInfoProto {name, TypeProto {tensor_type {elem_type, TensorShapeProto {dim {dim_value}}}}}. */
    private static ProtoWriter valueInfo(String tensor, long[] shape) {
        ProtoWriter dims = new ProtoWriter();
        for (long d : shape) {
            dims.message(1, new ProtoWriter().varint(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, dims);
        return new ProtoWriter().string(1, tensor).message(2, new ProtoWriter().message(1, tensorType));
    }
}

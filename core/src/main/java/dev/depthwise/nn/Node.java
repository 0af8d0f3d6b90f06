package dev.depthwise.nn;

import java.util.List;

/**
 * A symbolic tensor of a model under construction: a model input, or the output of a layer applied
 * to other nodes. It knows its per-sample shape, which is how {@link ModelBuilder} builds each
 * layer for the right input (Keras's functional API).
 */
public final class Node {
    private final ModelBuilder owner;
    private final String name;
    private final Layer layer;
    private final List<Node> inputs;
    private final int[] shape;

    Node(ModelBuilder owner, String name, Layer layer, List<Node> inputs, int[] shape) {
        this.owner = owner;
        this.name = name;
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        this.shape = shape.clone();
    }

    ModelBuilder owner() { return owner; }

    /** The layer's name, or the input's. */
    public String name() { return name; }

    /** The layer that computes this node, or null for a model input. */
    public Layer layer() { return layer; }

    /** True for a model input. */
    public boolean isInput() { return layer == null; }

    /** The nodes this one is computed from. */
    public List<Node> inputs() { return inputs; }

    /** The per-sample shape (no batch axis). */
    public int[] shape() { return shape.clone(); }

    /** The layer's type, or {@code InputLayer}. */
    public String type() { return layer == null ? "InputLayer" : layer.type(); }

    @Override
    public String toString() {
        return name + " (" + type() + ") " + Shapes.keras(shape);
    }
}

package dev.depthwise.nn;

import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Model} as a graph of layers, Keras's functional API in Java:
 *
 * <pre>{@code
 * ModelBuilder b = ModelBuilder.create("tiny");
 * Node x = b.input(32, 32, 3);
 * Node y = b.apply(new DepthwiseConv2D(3).padding("same"), x);
 * y = b.apply(new BatchNorm(), y);
 * Node sum = b.apply(new Add(), x, y);         // a residual connection
 * Model m = b.build(sum, 42);                  // seed 42: repeatable initial weights
 * }</pre>
 *
 * <p>Each {@link #apply} builds the layer for its inputs' shapes at once, so a shape mistake is
 * reported at the layer that makes it, naming the layer. Unnamed layers are named
 * {@code prefix_N} (e.g. {@code depthwise_conv2d_3}), N counting that prefix from 1 in the order the
 * layers were applied: the same code always gives the same names.
 */
public final class ModelBuilder {
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private boolean done;

    private ModelBuilder(String name) {
        this.name = name;
    }

    /** A builder for a model called {@code name}. */
    public static ModelBuilder create(String name) {
        if (name == null || name.isBlank()) {
            throw new ShapeException("model: name must not be empty");
        }
        return new ModelBuilder(name);
    }

    /** A chain of layers from one input: Keras's {@code Sequential}. */
    public static Model sequential(String name, int[] inputShape, long seed, Layer... layers) {
        ModelBuilder b = create(name);
        Node x = b.input(inputShape);
        for (Layer l : layers) {
            x = b.apply(l, x);
        }
        return b.build(x, seed);
    }

    /** A model input of per-sample {@code shape} (no batch axis), e.g. {@code input(224, 224, 3)}. */
    public Node input(int... shape) {
        requireOpen();
        if (shape == null || shape.length == 0) {
            throw new ShapeException(name + ": input shape must have at least 1 axis");
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new ShapeException(name + ": input shape[" + i + "] must be >= 1, got " + shape[i]);
            }
        }
        Shapes.product(shape);
        Node n = new Node(this, uniqueName("input"), null, List.of(), shape);
        nodes.add(n);
        return n;
    }

    /** Applies {@code layer} to {@code inputs}: builds it for their shapes, names it, returns its output. */
    public Node apply(Layer layer, Node... inputs) {
        requireOpen();
        if (layer == null) {
            throw new ShapeException(name + ": layer must not be null");
        }
        if (layer.built()) {
            throw new ShapeException(name + ": layer " + layer.name() + " is already part of a model; create a new "
                    + "layer (weight sharing is not supported)");
        }
        if (inputs == null || inputs.length == 0) {
            throw new ShapeException(name + ": " + layer.type() + " needs an input");
        }
        for (Node n : inputs) {
            if (n == null || n.owner() != this) {
                throw new ShapeException(name + ": an input of " + layer.type() + " comes from another model builder");
            }
        }
        if (layer.arity() == 1 && inputs.length != 1) {
            throw new ShapeException(name + ": " + layer.type() + " takes 1 input, got " + inputs.length);
        }
        String explicit = layer.name();
        if (explicit != null && names.contains(explicit)) {
            throw new ShapeException(name + ": layer name '" + explicit + "' is already used (names must be unique)");
        }
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].shape();
        }
        int[] out;
        try {
            out = layer.buildFor(shapes);
        } catch (ShapeException e) {
            String who = (explicit != null ? explicit : layer.prefix()) + " (" + layer.type() + ")";
            throw new ShapeException(e.getMessage().startsWith(who) ? e.getMessage() : who + ": " + e.getMessage());
        }
        String n = explicit;
        if (n == null) {
            n = uniqueName(layer.prefix());
            layer.assignName(n);
        } else {
            names.add(n);
        }
        Node node = new Node(this, n, layer, List.of(inputs), out);
        nodes.add(node);
        return node;
    }

    /** {@code prefix_N} with the next free N of that prefix. */
    private String uniqueName(String prefix) {
        String n;
        do {
            int k = counters.merge(prefix, 1, Integer::sum);
            n = prefix + "_" + k;
        } while (names.contains(n));
        names.add(n);
        return n;
    }

    /** The model computing {@code output}; {@code seed} draws every initial weight and dropout mask. */
    public Model build(Node output, long seed) {
        requireOpen();
        if (output == null || output.owner() != this) {
            throw new ShapeException(name + ": the output must be a node of this builder");
        }
        // Only what the output depends on belongs to the model (creation order is a topological order).
        Set<Node> needed = new HashSet<>();
        List<Node> stack = new ArrayList<>(List.of(output));
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (needed.add(n)) {
                stack.addAll(n.inputs());
            }
        }
        List<Node> order = new ArrayList<>();
        for (Node n : nodes) {
            if (needed.contains(n)) {
                order.add(n);
            }
        }
        done = true;
        return new Model(name, order, output, seed);
    }

    private void requireOpen() {
        if (done) {
            throw new IllegalStateException(name + ": the model is built; start a new ModelBuilder");
        }
    }
}

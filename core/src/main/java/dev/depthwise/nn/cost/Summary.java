package dev.depthwise.nn.cost;

import dev.depthwise.nn.Layer;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.Node;
import dev.depthwise.nn.OpCost;
import dev.depthwise.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's cost, layer by layer: Keras's {@code model.summary()} plus multiply-adds, and the
 * breakdown by layer type of the MobileNets paper's Table 2.
 *
 * <p>Conventions: a multiply-add is one multiplication and one addition, counted for one forward
 * pass on one sample; only convolutions and fully connected layers cost any (batch norm,
 * activations, pooling, additions and biases are not counted, as in the papers). Parameters are
 * counted as Keras does: BatchNorm's moving mean and variance are non-trainable parameters. Nothing
 * is allocated: the weights are never drawn for a summary.
 */
public final class Summary {
    private final String model;
    private final int[] inputShape;
    private final int[] outputShape;
    private final List<LayerCost> layers;
    private final List<TypeCost> breakdown;
    private final long trainable;
    private final long nonTrainable;
    private final long multAdds;

    private Summary(String model, int[] inputShape, int[] outputShape, List<LayerCost> layers,
                    List<TypeCost> breakdown) {
        this.model = model;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.layers = List.copyOf(layers);
        this.breakdown = List.copyOf(breakdown);
        long t = 0, n = 0, m = 0;
        for (LayerCost l : layers) {
            t += l.trainable();
            n += l.nonTrainable();
            m += l.multAdds();
        }
        trainable = t;
        nonTrainable = n;
        multAdds = m;
    }

    /** The summary of {@code m}. */
    public static Summary of(Model m) {
        List<LayerCost> rows = new ArrayList<>();
        Map<String, long[]> kinds = new LinkedHashMap<>();
        for (Node node : m.nodes()) {
            List<String> in = node.inputs().stream().map(Node::name).toList();
            Layer l = node.layer();
            if (l == null) {
                rows.add(new LayerCost(node.name(), node.type(), node.shape(), 0, 0, 0, in));
                continue;
            }
            long t = 0, n = 0;
            for (Parameter p : l.parameters()) {
                if (p.trainable()) {
                    t += p.size();
                } else {
                    n += p.size();
                }
            }
            rows.add(new LayerCost(node.name(), node.type(), node.shape(), t, n, l.multAdds(), in));
            for (OpCost c : l.costs()) {
                long[] k = kinds.computeIfAbsent(kindOf(c), x -> new long[2]);
                k[0] += c.multAdds();
                k[1] += c.weights();
            }
        }
        long macs = 0, weights = 0;
        for (long[] k : kinds.values()) {
            macs += k[0];
            weights += k[1];
        }
        List<TypeCost> breakdown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : kinds.entrySet()) {
            long[] k = e.getValue();
            breakdown.add(new TypeCost(e.getKey(), k[0], k[1], macs == 0 ? 0 : (double) k[0] / macs,
                    weights == 0 ? 0 : (double) k[1] / weights));
        }
        breakdown.sort((a, b) -> Long.compare(b.multAdds(), a.multAdds()));
        return new Summary(m.name(), m.inputShapes().get(0), m.outputShape(), rows, breakdown);
    }

    /**
     * The Table 2 row an operation belongs to: {@code Conv 1x1} (grouped ones too),
     * {@code Conv DW 3x3}, {@code Conv 3x3}, {@code Fully Connected}.
     */
    public static String kindOf(OpCost c) {
        return switch (c.kind()) {
            case DENSE -> "Fully Connected";
            case DEPTHWISE -> "Conv DW " + c.kernelText();
            case CONVOLUTION -> "Conv " + c.kernelText();
        };
    }

    public String model() { return model; }

    public int[] inputShape() { return inputShape.clone(); }

    public int[] outputShape() { return outputShape.clone(); }

    /** One row per layer, the model input first, in execution order. */
    public List<LayerCost> layers() { return layers; }

    /** Table 2: one row per kind of weighted operation, most multiply-adds first. */
    public List<TypeCost> breakdown() { return breakdown; }

    public long totalParams() { return trainable + nonTrainable; }

    public long trainableParams() { return trainable; }

    public long nonTrainableParams() { return nonTrainable; }

    /** Multiply-adds of one forward pass on one sample. */
    public long multAdds() { return multAdds; }

    /** The breakdown row of {@code kind}, or null. */
    public TypeCost kind(String kind) {
        for (TypeCost t : breakdown) {
            if (t.kind().equals(kind)) {
                return t;
            }
        }
        return null;
    }

    /**
     * A Keras-style table (with each layer's non-trainable parameters and mult-adds added), then
     * totals and the breakdown by type.
     */
    public String toText() {
        int nameWidth = "Layer (type)".length();
        int shapeWidth = "Output Shape".length();
        for (LayerCost l : layers) {
            nameWidth = Math.max(nameWidth, l.name().length() + l.type().length() + 3);
            shapeWidth = Math.max(shapeWidth, keras(l.outputShape()).length());
        }
        String row = "%-" + nameWidth + "s  %-" + shapeWidth + "s  %12s  %13s  %15s  %s%n";
        int width = nameWidth + shapeWidth + 12 + 13 + 15 + 10 + "Connected to".length();
        StringBuilder s = new StringBuilder();
        s.append("Model: \"").append(model).append("\"\n");
        s.append(String.format(Locale.ROOT, row, "Layer (type)", "Output Shape", "Param #", "Non-trainable",
                "Mult-Adds", "Connected to"));
        s.append("=".repeat(width)).append('\n');
        for (LayerCost l : layers) {
            s.append(String.format(Locale.ROOT, row, l.name() + " (" + l.type() + ")", keras(l.outputShape()),
                    group(l.params()), l.nonTrainable() == 0 ? "" : group(l.nonTrainable()), group(l.multAdds()),
                    String.join(", ", l.inputs())));
        }
        s.append("=".repeat(width)).append('\n');
        s.append(String.format(Locale.ROOT, "Total params: %s (%s)%n", group(totalParams()), millions(totalParams())));
        s.append(String.format(Locale.ROOT, "Trainable params: %s%n", group(trainable)));
        s.append(String.format(Locale.ROOT, "Non-trainable params: %s%n", group(nonTrainable)));
        s.append(String.format(Locale.ROOT, "Total mult-adds: %s (%s)%n", group(multAdds), millions(multAdds)));
        s.append('\n');
        s.append("By layer type (the MobileNets paper's Table 2; weights exclude biases and batch norm):\n");
        String b = "%-18s  %15s  %8s  %12s  %8s%n";
        s.append(String.format(Locale.ROOT, b, "Type", "Mult-Adds", "Share", "Weights", "Share"));
        for (TypeCost t : breakdown) {
            s.append(String.format(Locale.ROOT, b, t.kind(), group(t.multAdds()), percent(t.multAddsShare()),
                    group(t.weights()), percent(t.weightsShare())));
        }
        return s.toString();
    }

    /**
     * One JSON object: {@code model}, {@code input_shape}, {@code output_shape},
     * {@code params {total, trainable, non_trainable}}, {@code mult_adds}, {@code layers} (name, type,
     * output_shape, params, trainable_params, non_trainable_params, mult_adds, inputs) and
     * {@code breakdown} (type, mult_adds, mult_adds_share, weights, weights_share).
     */
    public String toJson() {
        Json j = new Json().begin();
        j.field("model", model).field("input_shape", inputShape).field("output_shape", outputShape);
        j.key("params").begin().field("total", totalParams()).field("trainable", trainable)
                .field("non_trainable", nonTrainable).end();
        j.field("mult_adds", multAdds);
        j.key("layers").beginArray();
        for (LayerCost l : layers) {
            j.begin().field("name", l.name()).field("type", l.type()).field("output_shape", l.outputShape())
                    .field("params", l.params()).field("trainable_params", l.trainable())
                    .field("non_trainable_params", l.nonTrainable()).field("mult_adds", l.multAdds());
            j.key("inputs").beginArray();
            for (String in : l.inputs()) {
                j.value(in);
            }
            j.endArray().end();
        }
        j.endArray();
        j.key("breakdown").beginArray();
        for (TypeCost t : breakdown) {
            j.begin().field("type", t.kind()).field("mult_adds", t.multAdds())
                    .field("mult_adds_share", t.multAddsShare()).field("weights", t.weights())
                    .field("weights_share", t.weightsShare()).end();
        }
        return j.endArray().end().toString();
    }

    static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** {@code 568.7M}, {@code 4.25M}: three significant digits at least. */
    static String millions(long v) {
        double m = v / 1e6;
        return String.format(Locale.ROOT, m >= 100 ? "%.1fM" : m >= 1 ? "%.2fM" : "%.3fM", m);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static String keras(int[] shape) {
        StringBuilder s = new StringBuilder("(None");
        for (int d : shape) {
            s.append(", ").append(d);
        }
        return s.append(')').toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}

package dev.depthwise.cli;

import dev.depthwise.nn.Model;
import dev.depthwise.nn.zoo.Zoo;
import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which model {@code train} builds and {@code eval} rebuilds: a model zoo architecture (with its
 * options) or one of the demo's two CNNs, with the input shape and class count resolved. It travels in
 * a checkpoint's metadata, so that {@code eval --checkpoint FILE} needs nothing else.
 *
 * @param name a {@link Zoo#names() zoo name}, {@value #DEMO_STANDARD} or {@value #DEMO_SEPARABLE}
 * @param input per-sample input shape {@code [H, W, C]}
 * @param classes classifier outputs
 * @param alpha zoo width multiplier, or null
 * @param groups ShuffleNet groups, or null
 * @param scale ShuffleNet scale, or null
 */
record ModelChoice(String name, int[] input, int classes, Double alpha, Integer groups, Double scale) {
    static final String DEMO_STANDARD = "demo-standard";
    static final String DEMO_SEPARABLE = "demo-separable";

    private static final String KIND = "model.kind";
    private static final String INPUT = "model.input";
    private static final String CLASSES = "model.classes";
    private static final String ALPHA = "model.alpha";
    private static final String GROUPS = "model.groups";
    private static final String SCALE = "model.scale";

    /** Every name {@code train --model} takes. */
    static List<String> names() {
        List<String> r = new ArrayList<>(List.of(DEMO_STANDARD, DEMO_SEPARABLE));
        r.addAll(Zoo.names());
        return r;
    }

    /**
     * The choice for model {@code name} trained on {@code h x w x c} images: the demo models take the images
     * as they are (or at {@code resolution}), zoo models take {@code resolution} (their default when null)
     * and 3 channels.
     */
    static ModelChoice resolve(String name, Integer resolution, int classes, Double alpha, Integer groups, Double scale,
                               int h, int w, int c) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (isDemo(n)) {
            if (alpha != null || groups != null || scale != null) {
                throw new ShapeException(n + ": --alpha, --groups and --scale apply to zoo models only");
            }
            int[] in = resolution == null ? new int[] {h, w, c} : new int[] {resolution, resolution, c};
            return new ModelChoice(n, in, classes, null, null, null);
        }
        // Build once to validate the options and learn the input shape (weights are drawn lazily: cheap).
        Model m = Zoo.build(n, new Zoo.Options(alpha, resolution, classes, groups, scale, 0));
        return new ModelChoice(n, m.inputShapes().getFirst(), classes, alpha, groups, scale);
    }

    private static boolean isDemo(String n) {
        return n.equals(DEMO_STANDARD) || n.equals(DEMO_SEPARABLE);
    }

    /** The model, its first weights drawn from {@code seed}. */
    Model build(long seed) {
        if (isDemo(name)) {
            return name.equals(DEMO_STANDARD) ? DemoModels.standard(input[0], input[1], input[2], classes, seed)
                    : DemoModels.separable(input[0], input[1], input[2], classes, seed);
        }
        return Zoo.build(name, new Zoo.Options(alpha, input[0], classes, groups, scale, seed));
    }

    /** The metadata that {@link #fromMetadata} reads back. */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KIND, name);
        m.put(INPUT, input[0] + "x" + input[1] + "x" + input[2]);
        m.put(CLASSES, Integer.toString(classes));
        if (alpha != null) {
            m.put(ALPHA, alpha.toString());
        }
        if (groups != null) {
            m.put(GROUPS, groups.toString());
        }
        if (scale != null) {
            m.put(SCALE, scale.toString());
        }
        return m;
    }

    /**
     * The choice a checkpoint was saved with.
     *
     * @throws ShapeException naming the checkpoint and the key, if the metadata is missing or unreadable
     */
    static ModelChoice fromMetadata(Map<String, String> meta, String source) {
        String kind = meta.get(KIND);
        if (kind == null) {
            throw new ShapeException(source + ": has no metadata " + KIND + " (it was not saved by depthwise train or "
                    + "demo), so the model cannot be rebuilt");
        }
        try {
            String[] in = require(meta, INPUT, source).split("x");
            int[] input = {Integer.parseInt(in[0]), Integer.parseInt(in[1]), Integer.parseInt(in[2])};
            int classes = Integer.parseInt(require(meta, CLASSES, source));
            Double alpha = meta.containsKey(ALPHA) ? Double.valueOf(meta.get(ALPHA)) : null;
            Integer groups = meta.containsKey(GROUPS) ? Integer.valueOf(meta.get(GROUPS)) : null;
            Double scale = meta.containsKey(SCALE) ? Double.valueOf(meta.get(SCALE)) : null;
            return new ModelChoice(kind, input, classes, alpha, groups, scale);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ShapeException(source + ": unreadable model metadata " + meta);
        }
    }

    private static String require(Map<String, String> meta, String key, String source) {
        String v = meta.get(key);
        if (v == null) {
            throw new ShapeException(source + ": has no metadata " + key + ", so the model cannot be rebuilt");
        }
        return v;
    }

    @Override
    public String toString() {
        return name + " (" + input[0] + "x" + input[1] + "x" + input[2] + ", " + classes + " classes"
                + (alpha == null ? "" : ", alpha " + alpha) + (groups == null ? "" : ", groups " + groups)
                + (scale == null ? "" : ", scale " + scale) + ")";
    }
}

package dev.depthwise.nn.zoo;

import dev.depthwise.nn.Model;
import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model zoo by name, for the command line and other tools: {@code mobilenet-v1},
 * {@code mobilenet-v2}, {@code xception}, {@code shufflenet-v1}, {@code effnet}, and each one's
 * {@code -full} twin (standard convolutions where the architecture has depthwise ones).
 */
public final class Zoo {
    private static final List<String> BASE = List.of("mobilenet-v1", "mobilenet-v2", "xception", "shufflenet-v1",
            "effnet");

    private Zoo() {
    }

    /** Every model name, each architecture followed by its {@code -full} twin. */
    public static List<String> names() {
        List<String> r = new ArrayList<>();
        for (String n : BASE) {
            r.add(n);
            r.add(n + "-full");
        }
        return r;
    }

    /**
     * Hyper-parameters; null means the architecture's default. Not every model takes every one:
     * alpha (MobileNets), groups and scale (ShuffleNet).
     *
     * @param alpha      width multiplier (MobileNetV1: 1, 0.75, 0.5, 0.25; MobileNetV2: 0.35 to 1.4); default 1
     * @param resolution input height and width; default 224 (Xception 299, EffNet 32)
     * @param classes    classifier outputs; default 1000 (EffNet 10)
     * @param groups     ShuffleNet groups (1, 2, 3, 4, 8); default 3
     * @param scale      ShuffleNet scale factor; default 1
     * @param seed       initial weights' seed
     */
    public record Options(Double alpha, Integer resolution, Integer classes, Integer groups, Double scale, long seed) {
        /** Every default. */
        public static Options defaults() {
            return new Options(null, null, null, null, null, 0);
        }

        public Options withAlpha(double a) { return new Options(a, resolution, classes, groups, scale, seed); }

        public Options withResolution(int r) { return new Options(alpha, r, classes, groups, scale, seed); }

        public Options withClasses(int c) { return new Options(alpha, resolution, c, groups, scale, seed); }

        public Options withGroups(int g) { return new Options(alpha, resolution, classes, g, scale, seed); }

        public Options withScale(double s) { return new Options(alpha, resolution, classes, groups, s, seed); }

        public Options withSeed(long s) { return new Options(alpha, resolution, classes, groups, scale, s); }
    }

    /** Builds model {@code name} with {@code o}; refuses unknown names and options the model does not take. */
    public static Model build(String name, Options o) {
        if (name == null) {
            throw new ShapeException("model name must not be null; known: " + String.join(", ", names()));
        }
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        boolean full = n.endsWith("-full");
        String base = full ? n.substring(0, n.length() - 5) : n;
        if (!BASE.contains(base)) {
            throw new ShapeException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        boolean mobile = base.startsWith("mobilenet");
        boolean shuffle = base.equals("shufflenet-v1");
        refuse(n, "alpha", o.alpha() != null && !mobile);
        refuse(n, "groups", o.groups() != null && !shuffle);
        refuse(n, "scale", o.scale() != null && !shuffle);
        double alpha = o.alpha() == null ? 1.0 : o.alpha();
        int classes = o.classes() == null ? (base.equals("effnet") ? 10 : 1000) : o.classes();
        int resolution = o.resolution() != null ? o.resolution()
                : base.equals("xception") ? 299 : base.equals("effnet") ? 32 : 224;
        return switch (base) {
            case "mobilenet-v1" -> MobileNetV1.build(alpha, resolution, classes, full, o.seed());
            case "mobilenet-v2" -> MobileNetV2.build(alpha, resolution, classes, full, o.seed());
            case "xception" -> Xception.build(resolution, classes, full, o.seed());
            case "shufflenet-v1" -> ShuffleNetV1.build(o.groups() == null ? 3 : o.groups(),
                    o.scale() == null ? 1.0 : o.scale(), resolution, classes, full, o.seed());
            default -> EffNet.build(resolution, classes, full, o.seed());
        };
    }

    private static void refuse(String model, String option, boolean given) {
        if (given) {
            throw new ShapeException(model + ": option " + option + " does not apply to this model");
        }
    }
}

package dev.depthwise.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The unique depthwise, pointwise and separable layer shapes of MobileNet V1 and V2 at 224x224
 * (XNNPACK's {@code bench/models} idea), derived from the architectures as the papers give them,
 * in order of first appearance. A network repeats some shapes; each is timed once.
 */
public final class MobileNets {
    private MobileNets() {
    }

    /** The networks {@code depthwise bench --model} knows. */
    public enum Model {
        MOBILENET_V1("mobilenet-v1"),
        MOBILENET_V2("mobilenet-v2"),
        /** Two small layers of each kind: checks the harness in a second. */
        TINY("tiny");

        private final String label;

        Model(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Parses {@code mobilenet-v1}, {@code mobilenet-v2} (also {@code v1}, {@code v2}) or {@code tiny}. */
        public static Model parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Model m : values()) {
                if (m.label.equals(t) || m.label.equals("mobilenet-" + t)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--model must be mobilenet-v1, mobilenet-v2 or tiny, got '" + text + "'");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The unique layers of {@code kind} in {@code model}. */
    public static List<Layer> layers(Model model, Layer.Kind kind) {
        List<Layer> all = switch (model) {
            case MOBILENET_V1 -> v1();
            case MOBILENET_V2 -> v2();
            case TINY -> List.of(Layer.sep(8, 8, 16, 1, 32), Layer.sep(8, 8, 16, 2, 24));
        };
        Set<Layer> unique = new LinkedHashSet<>();
        for (Layer block : all) {
            boolean sep = block.kind() == Layer.Kind.SEP;
            switch (kind) {
                case SEP -> {
                    if (sep) {
                        unique.add(block);
                    }
                }
                case DW -> {
                    if (sep) {
                        unique.add(Layer.dw(block.h(), block.w(), block.c(), block.stride()));
                    }
                }
                case PW -> unique.add(sep ? Layer.pw(block.outH(), block.outW(), block.c(), block.k()) : block);
            }
        }
        return List.copyOf(unique);
    }

    /** The layer of {@code model} and {@code kind} whose {@link Layer#id()} is {@code id}. */
    public static Layer byId(Model model, Layer.Kind kind, String id) {
        for (Layer l : layers(model, kind)) {
            if (l.id().equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no " + kind + " layer " + id + " in " + model);
    }

    /**
     * MobileNet V1 (Table 1 of the paper): a 3x3 conv to 32 channels at stride 2, then 13 separable
     * blocks given as (depthwise stride, pointwise output channels). The paper's second-to-last
     * depthwise row says s2 at 7x7; implementations (and the output size) use s2 on 14x14 then s1.
     */
    private static List<Layer> v1() {
        int[][] blocks = {{1, 64}, {2, 128}, {1, 128}, {2, 256}, {1, 256}, {2, 512},
            {1, 512}, {1, 512}, {1, 512}, {1, 512}, {1, 512}, {2, 1024}, {1, 1024}};
        List<Layer> net = new ArrayList<>();
        int size = 112;
        int channels = 32;
        for (int[] b : blocks) {
            Layer sep = Layer.sep(size, size, channels, b[0], b[1]);
            net.add(sep);
            size = sep.outH();
            channels = b[1];
        }
        return net;
    }

    /**
     * MobileNet V2 (Table 2 of the paper): a 3x3 conv to 32 channels at stride 2, then bottleneck
     * rows (expansion t, output channels c, repeats n, first stride s); each block is an expansion
     * 1x1 (absent when t = 1), a 3x3 depthwise layer and a projection 1x1; the depthwise layer and
     * the projection form the separable block. Then a 1x1 conv from 320 to 1280 channels.
     */
    private static List<Layer> v2() {
        int[][] rows = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
            {6, 160, 3, 2}, {6, 320, 1, 1}};
        List<Layer> net = new ArrayList<>();
        int size = 112;
        int channels = 32;
        for (int[] r : rows) {
            for (int i = 0; i < r[2]; i++) {
                int hidden = channels * r[0];
                if (r[0] != 1) {
                    net.add(Layer.pw(size, size, channels, hidden));
                }
                Layer sep = Layer.sep(size, size, hidden, i == 0 ? r[3] : 1, r[1]);
                net.add(sep);
                size = sep.outH();
                channels = r[1];
            }
        }
        net.add(Layer.pw(size, size, channels, 1280));
        return net;
    }
}

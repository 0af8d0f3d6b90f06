package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.nn.Layer;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.OpCost;
import dev.depthwise.nn.cost.Summary;
import dev.depthwise.nn.cost.TypeCost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's twins: the same shape, only the 3x3 convolutions differ, and the cost target holds. */
class DemoModelsTest {
    private final Model std = DemoModels.standard(28, 28, 1, 10, 1);
    private final Model sep = DemoModels.separable(28, 28, 1, 10, 1);

    @Test
    void separableHasAtLeastFiveTimesFewerConvolutionMultAdds() {
        Summary a = Summary.of(std);
        Summary b = Summary.of(sep);
        long stdConv = convMultAdds(a);
        long sepConv = convMultAdds(b);
        assertEquals(stdConv, DemoModels.convMultAdds(std));
        assertEquals(sepConv, DemoModels.convMultAdds(sep));
        double ratio = (double) stdConv / sepConv;
        assertTrue(ratio >= DemoReport.TARGET_RATIO, "ratio " + ratio);
        // the numbers in DemoModels' comment and the report: 3.64M vs 0.50M, 7.3x
        assertEquals(3_640_896, stdConv);
        assertEquals(500_192, sepConv);
        assertEquals(a.multAdds() - stdConv, b.multAdds() - sepConv, "the dense layer is the same");
    }

    /** Conv rows of the MobileNets Table 2 breakdown: everything but the fully connected layer. */
    private static long convMultAdds(Summary s) {
        long m = 0;
        for (TypeCost t : s.breakdown()) {
            if (!t.kind().equals("Fully Connected")) {
                m += t.multAdds();
            }
        }
        return m;
    }

    @Test
    void sameDepthWidthsAndOutputs() {
        assertEquals(List.of(3, 3, 3, 3), kernels(std, OpCost.Kind.CONVOLUTION));
        assertEquals(List.of(3, 1, 1, 1), kernels(sep, OpCost.Kind.CONVOLUTION)); // stem, then the pointwise stages
        assertEquals(List.of(3, 3, 3), kernels(sep, OpCost.Kind.DEPTHWISE));
        assertEquals(widths(std), widths(sep));
        assertArrayEquals(new int[] {10}, std.outputShape());
        assertArrayEquals(new int[] {10}, sep.outputShape());
        assertArrayEquals(std.layer("stem").parameters().getFirst().value(),
                sep.layer("stem").parameters().getFirst().value(), "the same seed draws the same stem");
    }

    private static List<Integer> kernels(Model m, OpCost.Kind kind) {
        List<Integer> r = new ArrayList<>();
        for (Layer l : m.layers()) {
            for (OpCost c : l.costs()) {
                if (c.kind() == kind) {
                    r.add(c.kernel()[0]);
                }
            }
        }
        return r;
    }

    /** The channels after each ReLU: the widths the blocks produce. */
    private static List<Integer> widths(Model m) {
        List<Integer> r = new ArrayList<>();
        for (Layer l : m.layers()) {
            if (l.name().endsWith("_relu") && !l.name().contains("_dw")) {
                int[] s = l.outputShape();
                r.add(s[s.length - 1]);
            }
        }
        return r;
    }
}

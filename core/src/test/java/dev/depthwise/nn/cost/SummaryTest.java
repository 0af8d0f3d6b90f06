package dev.depthwise.nn.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.nn.zoo.Zoo;
import dev.depthwise.testutil.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary's text and JSON forms, and the layer comparison behind {@code explain}. */
class SummaryTest {

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTotalsLayersAndBreakdown() {
        Summary s = Summary.of(Zoo.build("mobilenet-v1", Zoo.Options.defaults().withAlpha(0.25).withResolution(128)));
        Map<String, Object> j = Json.parseObject(s.toJson());
        Map<String, Object> params = (Map<String, Object>) j.get("params");
        assertEquals((double) s.totalParams(), params.get("total"));
        assertEquals((double) s.trainableParams(), params.get("trainable"));
        assertEquals((double) s.nonTrainableParams(), params.get("non_trainable"));
        assertEquals((double) s.multAdds(), j.get("mult_adds"));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) j.get("layers");
        assertEquals(s.layers().size(), layers.size());
        Map<String, Object> dw = layers.stream().filter(l -> l.get("name").equals("conv_dw_2")).findFirst().orElseThrow();
        assertEquals("DepthwiseConv2D", dw.get("type"));
        assertEquals(List.of(32.0, 32.0, 16.0), dw.get("output_shape"));
        assertEquals(List.of("conv_pw_1_relu"), dw.get("inputs"));
        double share = 0;
        for (Map<String, Object> b : (List<Map<String, Object>>) j.get("breakdown")) {
            share += (Double) b.get("mult_adds_share");
        }
        assertEquals(1.0, share, 1e-9);
    }

    @Test
    void textLooksLikeKerasSummary() {
        String t = Summary.of(Zoo.build("mobilenet-v1", Zoo.Options.defaults())).toText();
        assertTrue(t.startsWith("Model: \"mobilenet_1.00_224\"\n"), t);
        assertTrue(t.contains("conv_dw_1 (DepthwiseConv2D)"), t);
        assertTrue(t.contains("(None, 112, 112, 32)"), t);
        assertTrue(t.contains("Total params: 4,253,864 (4.25M)"), t);
        assertTrue(t.contains("Trainable params: 4,231,976"), t);
        assertTrue(t.contains("Non-trainable params: 21,888"), t);
        assertTrue(t.contains("Total mult-adds: 568,740,352 (568.7M)"), t);
        assertTrue(t.matches("(?s).*Conv 1x1\\s+539,492,352\\s+94\\.86%\\s+3,139,584\\s+74\\.59%.*"), t);
    }

    @Test
    void summaryNeverAllocatesWeights() {
        var model = Zoo.build("xception-full", Zoo.Options.defaults());
        Summary s = Summary.of(model);
        assertTrue(s.totalParams() > 100_000_000L, "a large model, counted: " + s.totalParams());
        assertTrue(model.parameters().stream().noneMatch(dev.depthwise.nn.Parameter::materialized));
    }

    @Test
    void comparisonMatchesThePaperFormula() {
        CostComparison c = CostComparison.of(112, 112, 32, 64, 3, 1, 1);
        assertEquals(3L * 3 * 32 * 64 * 112 * 112, c.standardMultAdds());
        assertEquals(3L * 3 * 32 * 112 * 112 + 32L * 64 * 112 * 112, c.separableMultAdds());
        assertEquals(3 * 3 * 32 * 64, c.standardParams());
        assertEquals(3 * 3 * 32 + 32 * 64, c.separableParams());
        assertEquals(1.0 / 64 + 1.0 / 9, c.ratio(), 1e-12);
        assertEquals(c.formulaRatio(), c.paramsRatio(), 1e-12);
        // stride 2 and a multiplier: Df = ceil(D / 2), both stages carry the multiplier
        CostComparison s = CostComparison.of(15, 14, 8, 16, 5, 2, 2);
        assertEquals(5L * 5 * 8 * 16 * 8 * 7, s.standardMultAdds());
        assertEquals(5L * 5 * 8 * 2 * 8 * 7 + 8L * 2 * 16 * 8 * 7, s.separableMultAdds());
        assertEquals(2 * (1.0 / 16 + 1.0 / 25), s.ratio(), 1e-12);
    }

    /** "8 to 9 times less computation": every MobileNet layer with N >= 128 saves between 8 and 9 times. */
    @Test
    void eightToNineTimesLessForMobileNetLayers() {
        int[][] layers = {{56, 64, 128}, {56, 128, 128}, {28, 128, 256}, {14, 256, 512}, {14, 512, 512},
            {7, 512, 1024}, {7, 1024, 1024}};
        for (int[] l : layers) {
            double saving = 1 / CostComparison.of(l[0], l[0], l[1], l[2], 3, 1, 1).ratio();
            assertTrue(saving > 8 && saving < 9, l[0] + "x" + l[0] + "x" + l[1] + " -> " + l[2] + ": " + saving);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void comparisonJsonAndText() {
        CostComparison c = CostComparison.of(112, 112, 32, 64, 3, 1, 1);
        Map<String, Object> j = Json.parseObject(c.toJson());
        assertEquals(18432.0, ((Map<String, Object>) j.get("standard")).get("params"));
        assertEquals(231211008.0, ((Map<String, Object>) j.get("standard")).get("mult_adds"));
        assertEquals(2336.0, ((Map<String, Object>) j.get("separable")).get("params"));
        assertEquals(29302784.0, ((Map<String, Object>) j.get("separable")).get("mult_adds"));
        assertEquals(c.ratio(), (Double) j.get("ratio"), 1e-9);
        String t = c.toText();
        assertTrue(t.contains("Dk*Dk*M*Df*Df + M*N*Df*Df = 3*3*32*112*112 + 32*64*112*112 = 29,302,784"), t);
        assertTrue(t.contains("Dk*Dk*M*N*Df*Df = 3*3*32*64*112*112 = 231,211,008"), t);
        assertTrue(t.contains("1/N + 1/Dk^2 = 1/64 + 1/9 = 0.1267"), t);
        assertEquals("explain: output channels N must be >= 1, got 0",
                org.junit.jupiter.api.Assertions.assertThrows(dev.depthwise.spec.ShapeException.class,
                        () -> CostComparison.of(8, 8, 3, 0, 3, 1, 1)).getMessage());
    }
}

package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.bench.MobileNets.Model;
import dev.depthwise.bench.jmh.DwConvBenchmark;
import dev.depthwise.bench.jmh.PwConvBenchmark;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** The layer tables against the papers' tables (MobileNet V1 Table 1, MobileNetV2 Table 2). */
class MobileNetsTest {
    private static List<String> names(Model m, Layer.Kind k) {
        return MobileNets.layers(m, k).stream().map(Layer::name).toList();
    }

    @Test
    void v2DepthwiseLayers() {
        assertEquals(List.of("112x112x32 s1", "112x112x96 s2", "56x56x144 s1", "56x56x144 s2", "28x28x192 s1",
                "28x28x192 s2", "14x14x384 s1", "14x14x576 s1", "14x14x576 s2", "7x7x960 s1"),
                names(Model.MOBILENET_V2, Layer.Kind.DW));
    }

    @Test
    void v1DepthwiseLayers() {
        assertEquals(List.of("112x112x32 s1", "112x112x64 s2", "56x56x128 s1", "56x56x128 s2", "28x28x256 s1",
                "28x28x256 s2", "14x14x512 s1", "14x14x512 s2", "7x7x1024 s1"),
                names(Model.MOBILENET_V1, Layer.Kind.DW));
    }

    @Test
    void v1PointwiseLayers() {
        assertEquals(List.of("112x112 32>64", "56x56 64>128", "56x56 128>128", "28x28 128>256", "28x28 256>256",
                "14x14 256>512", "14x14 512>512", "7x7 512>1024", "7x7 1024>1024"),
                names(Model.MOBILENET_V1, Layer.Kind.PW));
    }

    @Test
    void v2PointwiseLayersAreTheExpansionsAndProjectionsOfTable2() {
        assertEquals(List.of("112x112 32>16", "112x112 16>96", "56x56 96>24", "56x56 24>144", "56x56 144>24",
                "28x28 144>32", "28x28 32>192", "28x28 192>32", "14x14 192>64", "14x14 64>384", "14x14 384>64",
                "14x14 384>96", "14x14 96>576", "14x14 576>96", "7x7 576>160", "7x7 160>960", "7x7 960>160",
                "7x7 960>320", "7x7 320>1280"),
                names(Model.MOBILENET_V2, Layer.Kind.PW));
    }

    @Test
    void separableBlocksAreADepthwiseLayerAndThePointwiseLayerAfterIt() {
        assertEquals(9, MobileNets.layers(Model.MOBILENET_V1, Layer.Kind.SEP).size());
        // V2: 14x14x384 s1 is followed by 384>64 (blocks 2-4 of c=64) and by 384>96 (first block of c=96),
        // 7x7x960 s1 by 960>160 and 960>320.
        assertEquals(List.of("112x112x32 s1 >16", "112x112x96 s2 >24", "56x56x144 s1 >24", "56x56x144 s2 >32",
                "28x28x192 s1 >32", "28x28x192 s2 >64", "14x14x384 s1 >64", "14x14x384 s1 >96", "14x14x576 s1 >96",
                "14x14x576 s2 >160", "7x7x960 s1 >160", "7x7x960 s1 >320"),
                names(Model.MOBILENET_V2, Layer.Kind.SEP));
        for (Model m : Model.values()) {
            List<Layer> dw = MobileNets.layers(m, Layer.Kind.DW);
            List<Layer> pw = MobileNets.layers(m, Layer.Kind.PW);
            for (Layer s : MobileNets.layers(m, Layer.Kind.SEP)) {
                assertTrue(dw.contains(Layer.dw(s.h(), s.w(), s.c(), s.stride())), s.name());
                assertTrue(pw.contains(Layer.pw(s.outH(), s.outW(), s.c(), s.k())), s.name());
            }
        }
    }

    @Test
    void modelsParseAndLayersAreFoundById() {
        assertEquals(Model.MOBILENET_V1, Model.parse("mobilenet-v1"));
        assertEquals(Model.MOBILENET_V2, Model.parse(" V2 "));
        assertEquals(Model.TINY, Model.parse("tiny"));
        assertThrows(IllegalArgumentException.class, () -> Model.parse("resnet"));
        assertEquals(Layer.pw(14, 14, 96, 576), MobileNets.byId(Model.MOBILENET_V2, Layer.Kind.PW, "14x14:96-576"));
        assertThrows(IllegalArgumentException.class, () -> MobileNets.byId(Model.MOBILENET_V2, Layer.Kind.DW, "1x1x1s1"));
    }

    @Test
    void jmhBenchmarksListEveryLayer() throws Exception {
        assertEquals(ids(Layer.Kind.DW), params(DwConvBenchmark.class));
        assertEquals(ids(Layer.Kind.PW), params(PwConvBenchmark.class));
    }

    private static List<String> ids(Layer.Kind kind) {
        List<String> ids = new ArrayList<>();
        for (Model m : List.of(Model.MOBILENET_V1, Model.MOBILENET_V2)) {
            String prefix = m == Model.MOBILENET_V1 ? "v1/" : "v2/";
            MobileNets.layers(m, kind).forEach(l -> ids.add(prefix + l.id()));
        }
        return ids;
    }

    private static List<String> params(Class<?> benchmark) throws NoSuchFieldException {
        return List.of(benchmark.getField("layer").getAnnotation(Param.class).value());
    }
}

package dev.depthwise.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.depthwise.spec.Layout;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models written here, loaded by ONNX Runtime: it must read them and compute what this library computes. */
class OrtRoundTripTest {
    private static final OrtEnvironment ENV = OrtSide.environment();

    @Test
    void ortReadsTheGraphsNamesShapesAndAttributes() throws Exception {
        byte[] model = new OnnxGraph("relu").input("x", 1, 2, 3).output("y", 1, 2, 3)
                .node("Relu", List.of("x"), List.of("y")).toModel();
        try (OrtSession s = ENV.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(new float[] {-1, 2, -3, 4, -5, 6}),
                     new long[] {1, 2, 3});
             OrtSession.Result r = s.run(Map.of("x", x))) {
            NodeInfo in = s.getInputInfo().get("x");
            assertArrayEquals(new long[] {1, 2, 3}, ((TensorInfo) in.getInfo()).getShape());
            assertEquals(Set.of("y"), s.getOutputInfo().keySet());
            float[][][] y = (float[][][]) r.get(0).getValue();
            assertArrayEquals(new float[] {0, 2, 0}, y[0][0]);
            assertArrayEquals(new float[] {4, 0, 6}, y[0][1]);
        }
    }

    @Test
    void ortAgreesWithUsOnEachKindOfLayer() throws Exception {
        // Odd sizes, stride 2 with 'same' padding (padding after only), channels not a multiple of 16.
        for (Layer layer : List.of(Layer.dw(7, 5, 3, 2), Layer.dw(6, 6, 16, 1), Layer.pw(5, 3, 7, 9),
                Layer.sep(7, 7, 5, 2, 6))) {
            LayerData d = LayerData.random(layer, 2, 7);
            try (OrtSide ort = new OrtSide(ENV, d, 1, true, 1)) {
                ort.run(0);
                List<OurSide> ours = List.of(OurSide.of(d, Layout.CHANNELS_FIRST, 1, 2),
                        OurSide.of(d, Layout.CHANNELS_LAST, 1, 2),
                        new OurSide(d, Layout.CHANNELS_FIRST, true, 1, 2));
                for (OurSide side : ours) {
                    side.run(1);
                    double err = LayerBench.relativeError(side.outputNchw(1), ort.outputNchw(0));
                    assertTrue(err <= 1e-5, layer.name() + " " + side.path() + ": relative error " + err);
                }
                assertTrue(ours.get(2).transposes() && ours.get(2).path().startsWith("T+"), ours.get(2).path());
            }
        }
    }

    @Test
    void theProfilerReportsTheConvKernel(@TempDir Path dir) throws Exception {
        LayerData d = LayerData.random(Layer.dw(8, 8, 16, 1), 1, 3);
        try (OrtSide ort = OrtSide.profiled(ENV, d, 1, true, 2, dir)) {
            for (int i = 0; i < 4; i++) {
                ort.run(i % 2);
            }
            OrtProfile p = ort.endProfiling();
            assertEquals(4, p.runs().size());
            OrtProfile.Summary s = p.summary(1);
            assertTrue(s.ops().contains("Conv"), "ops " + s.ops());
            assertTrue(s.kernelUs() >= 0 && s.reorderUs() >= 0);
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the profile file is deleted once read");
        }
    }
}

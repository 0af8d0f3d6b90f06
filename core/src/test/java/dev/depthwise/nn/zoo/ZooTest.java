package dev.depthwise.nn.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.io.NdArray;
import dev.depthwise.nn.Layer;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.Parameter;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.testutil.Tensors;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every builder: a forward and a backward pass on a small input, unique and stable layer names,
 * and clear errors for bad hyper-parameters. (Finite-difference checks of each architecture's
 * blocks, with tiny channels, are in {@link ZooGradientTest}.)
 */
class ZooTest {

    /** Small but complete configurations: every layer of the architecture runs. */
    private static List<Object[]> small() {
        return List.of(
                new Object[] {"mobilenet-v1", Zoo.Options.defaults().withAlpha(0.25).withResolution(32)},
                new Object[] {"mobilenet-v1-full", Zoo.Options.defaults().withAlpha(0.25).withResolution(32)},
                new Object[] {"mobilenet-v2", Zoo.Options.defaults().withAlpha(0.35).withResolution(32)},
                new Object[] {"mobilenet-v2-full", Zoo.Options.defaults().withAlpha(0.35).withResolution(32)},
                new Object[] {"xception", Zoo.Options.defaults().withResolution(32)},
                new Object[] {"shufflenet-v1", Zoo.Options.defaults().withScale(0.25).withResolution(32)},
                new Object[] {"shufflenet-v1-full", Zoo.Options.defaults().withGroups(8).withScale(0.25)
                        .withResolution(32)},
                new Object[] {"effnet", Zoo.Options.defaults().withResolution(16)},
                new Object[] {"effnet-full", Zoo.Options.defaults().withResolution(16)});
    }

    @TestFactory
    Stream<DynamicTest> forwardAndBackwardRun() {
        return small().stream().map(c -> DynamicTest.dynamicTest((String) c[0], () -> {
            Zoo.Options o = ((Zoo.Options) c[1]).withClasses(5).withSeed(1);
            Model m = Zoo.build((String) c[0], o);
            int[] in = m.inputShapes().get(0);
            // training mode with a batch of 2 exercises the batch statistics and dropout; Xception's 22M
            // weights run one sample (the reference kernels are plain loops) in inference mode, since
            // its last 1x1 feature maps would leave batch norm one value per channel
            boolean xception = ((String) c[0]).startsWith("xception");
            int batch = xception ? 1 : 2;
            m.setTraining(!xception);
            int[] shape = {batch, in[0], in[1], in[2]};
            NdArray x = new NdArray(shape, Tensors.random(3, batch * in[0] * in[1] * in[2]));
            NdArray y = m.forward(x);
            assertArrayEquals(new int[] {batch, 5}, y.shape());
            for (int r = 0; r < batch; r++) {
                double sum = 0;
                for (int k = 0; k < 5; k++) {
                    sum += y.data()[r * 5 + k];
                }
                assertEquals(1, sum, 1e-5, "softmax rows sum to 1");
            }
            NdArray dx = m.backward(new NdArray(y.shape(), Tensors.random(4, 5 * batch)))[0];
            assertArrayEquals(shape, dx.shape());
            assertTrue(finite(dx.data()), "input gradient finite");
            for (Parameter p : m.trainableParameters()) {
                assertTrue(finite(p.gradient()), p.name() + " gradient finite");
            }
            Parameter last = m.trainableParameters().getLast();
            assertTrue(nonZero(last.gradient()), "the classifier receives a gradient");
            Parameter first = m.trainableParameters().getFirst();
            assertTrue(nonZero(first.gradient()), first.name() + ": the gradient reaches the first layer");
        }));
    }

    @Test
    void namesAreUniqueAndStable() {
        for (String name : Zoo.names()) {
            List<String> a = Zoo.build(name, Zoo.Options.defaults()).layers().stream().map(Layer::name).toList();
            List<String> b = Zoo.build(name, Zoo.Options.defaults().withSeed(9)).layers().stream()
                    .map(Layer::name).toList();
            assertEquals(a, b, name + ": the same names every time");
            assertEquals(a.size(), new HashSet<>(a).size(), name + ": unique names");
        }
        List<String> v1 = Zoo.build("mobilenet-v1", Zoo.Options.defaults()).layers().stream().map(Layer::name)
                .toList();
        assertEquals(List.of("conv1", "conv1_bn", "conv1_relu", "conv_dw_1", "conv_dw_1_bn", "conv_dw_1_relu",
                "conv_pw_1"), v1.subList(0, 7), "Keras's names");
        List<String> x = Zoo.build("xception", Zoo.Options.defaults()).layers().stream().map(Layer::name).toList();
        assertTrue(x.contains("conv2d_1") && x.contains("add_12") && x.contains("block12_sepconv3_bn"), x.toString());
    }

    @Test
    void seedsGiveRepeatableWeights() {
        Model a = Zoo.build("effnet", Zoo.Options.defaults().withSeed(5));
        Model b = Zoo.build("effnet", Zoo.Options.defaults().withSeed(5));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).value(), b.parameters().get(i).value());
        }
    }

    @Test
    void badHyperParametersGiveClearErrors() {
        refused("mobilenet-v1: alpha must be > 0 and <= 16, got 0.0", "mobilenet-v1", Zoo.Options.defaults().withAlpha(0));
        refused("mobilenet-v1: alpha must be > 0 and <= 16, got -0.5", "mobilenet-v1", Zoo.Options.defaults().withAlpha(-0.5));
        refused("mobilenet-v2-full: alpha must be > 0 and <= 16, got 0.0", "mobilenet-v2-full",
                Zoo.Options.defaults().withAlpha(0));
        refused("mobilenet-v1: alpha 0.01 leaves 32 * 0.01 < 1 channel; it must be >= 0.03125", "mobilenet-v1",
                Zoo.Options.defaults().withAlpha(0.01));
        refused("mobilenet-v1: resolution must be a positive multiple of 32 (its 5 stride-2 stages halve it "
                + "exactly), got 200", "mobilenet-v1", Zoo.Options.defaults().withResolution(200));
        refused("shufflenet-v1: resolution must be a positive multiple of 32 (its 5 stride-2 stages halve it "
                + "exactly), got 0", "shufflenet-v1", Zoo.Options.defaults().withResolution(0));
        refused("effnet: resolution must be a positive multiple of 8 (its 3 stride-2 stages halve it exactly), "
                + "got 12", "effnet", Zoo.Options.defaults().withResolution(12));
        refused("xception: resolution must be >= 32 (two valid 3x3 convolutions and four stride-2 stages must "
                + "leave a feature map), got 31", "xception", Zoo.Options.defaults().withResolution(31));
        refused("shufflenet-v1: groups must be 1, 2, 3, 4 or 8 (the paper's Table 1), got 5", "shufflenet-v1",
                Zoo.Options.defaults().withGroups(5));
        refused("shufflenet-v1: scale must be > 0 and <= 16, got 0.0", "shufflenet-v1", Zoo.Options.defaults().withScale(0));
        refused("mobilenet-v1: classes must be >= 1, got 0", "mobilenet-v1", Zoo.Options.defaults().withClasses(0));
        refused("xception: option alpha does not apply to this model", "xception",
                Zoo.Options.defaults().withAlpha(0.5));
        refused("mobilenet-v2: option groups does not apply to this model", "mobilenet-v2",
                Zoo.Options.defaults().withGroups(2));
        refused("unknown model 'resnet50'; known: mobilenet-v1, mobilenet-v1-full, mobilenet-v2, "
                + "mobilenet-v2-full, xception, xception-full, shufflenet-v1, shufflenet-v1-full, effnet, effnet-full",
                "resnet50", Zoo.Options.defaults());
    }

    private static void refused(String message, String model, Zoo.Options o) {
        assertEquals(message, assertThrows(ShapeException.class, () -> Zoo.build(model, o)).getMessage());
    }

    private static boolean finite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean nonZero(float[] a) {
        for (float v : a) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }
}

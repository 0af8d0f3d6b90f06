package dev.depthwise.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.testutil.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Model graphs: naming, parameters, modes, regularization, constraints, seeding and errors. */
class ModelTest {

    private static Model small(long seed) {
        ModelBuilder b = ModelBuilder.create("small");
        Node x = b.input(6, 6, 3);
        Node y = b.apply(new Conv2D(4, 3).padding("same").useBias(false), x);
        y = b.apply(new BatchNorm(), y);
        y = b.apply(ReLU.relu6(), y);
        y = b.apply(new DepthwiseConv2D(3).strides(2).padding("same"), y);
        y = b.apply(new BatchNorm(), y);
        y = b.apply(new ReLU(), y);
        y = b.apply(new GlobalAveragePool(), y);
        y = b.apply(new Dropout(0.5), y);
        y = b.apply(new Dense(3), y);
        return b.build(b.apply(new Softmax(), y), seed);
    }

    @Test
    void automaticNamesArePrefixPlusIndexAndStable() {
        List<String> names = small(1).layers().stream().map(Layer::name).toList();
        assertEquals(List.of("conv2d_1", "batch_normalization_1", "re_lu_1", "depthwise_conv2d_1",
                "batch_normalization_2", "re_lu_2", "global_average_pooling2d_1", "dropout_1", "dense_1",
                "softmax_1"), names);
        assertEquals(names, small(2).layers().stream().map(Layer::name).toList(), "same code, same names");
        assertEquals("depthwise_conv2d_1/depthwise_kernel", small(1).parameters().get(5).name());
    }

    @Test
    void explicitNamesMustBeUnique() {
        ModelBuilder b = ModelBuilder.create("m");
        Node x = b.input(4, 4, 2);
        Node y = b.apply(new DepthwiseConv2D(3).name("conv_dw_1"), x);
        ShapeException e = assertThrows(ShapeException.class,
                () -> b.apply(new DepthwiseConv2D(3).name("conv_dw_1"), y));
        assertEquals("m: layer name 'conv_dw_1' is already used (names must be unique)", e.getMessage());
        // an automatic name steps over an explicit one that took its place
        b.apply(new ReLU().name("re_lu_1"), y);
        Node z = b.apply(new ReLU(), y);
        assertEquals("re_lu_2", z.name());
    }

    @Test
    void parameterCountsFollowKeras() {
        Model m = small(1);
        // conv 3*3*3*4 = 108; BN 4*4 = 16 (8 non-trainable); dw 3*3*4 + 4 = 40; BN 16; dense 4*3 + 3 = 15
        assertEquals(108 + 16 + 40 + 16 + 15, m.countParameters());
        assertEquals(108 + 8 + 40 + 8 + 15, m.countTrainableParameters());
        assertFalse(m.parameters().get(0).materialized(), "counting does not allocate the weights");
    }

    @Test
    void seededInitialisationRepeats() {
        float[] a = small(42).parameters().get(0).value();
        assertArrayEquals(a, small(42).parameters().get(0).value());
        assertNotEquals(a[0], small(43).parameters().get(0).value()[0]);
        // glorot_uniform on [3, 3, 3, 4]: limit sqrt(6 / (27 + 36))
        double limit = Math.sqrt(6.0 / (27 + 36));
        for (float v : a) {
            assertTrue(Math.abs(v) <= limit, "glorot_uniform within its limit");
        }
    }

    @Test
    void trainingModeUpdatesMovingStatisticsAndDropsOut() {
        Model m = small(3);
        NdArray x = ModelCheck.input(m, 4, 4);
        BatchNorm bn = (BatchNorm) m.layer("batch_normalization_1");
        NdArray eval1 = m.forward(x);
        assertArrayEquals(new float[] {0, 0, 0, 0}, bn.movingMean().value(), "inference leaves the statistics alone");
        m.setTraining(true);
        m.forward(x);
        assertNotEquals(0f, bn.movingMean().value()[0], "training moves them (momentum 0.99)");
        m.setTraining(false);
        NdArray eval2 = m.forward(x);
        assertFalse(java.util.Arrays.equals(eval1.data(), eval2.data()));
        assertArrayEquals(eval2.data(), m.forward(x).data(), "inference is deterministic");
    }

    @Test
    void dropoutMasksAreSeededAndBackwardUsesTheSameMask() {
        Model m = ModelBuilder.sequential("d", new int[] {100}, 9, new Dropout(0.5));
        m.setTraining(true);
        NdArray x = new NdArray(new int[] {1, 100}, Tensors.random(1, 100));
        NdArray y = m.forward(x);
        NdArray dx = m.backward(new NdArray(new int[] {1, 100}, filled(100, 1f)))[0];
        for (int i = 0; i < 100; i++) {
            assertEquals(y.data()[i] == 0 && x.data()[i] != 0 ? 0f : 2f, dx.data()[i]);
        }
        Model again = ModelBuilder.sequential("d", new int[] {100}, 9, new Dropout(0.5));
        again.setTraining(true);
        assertArrayEquals(y.data(), again.forward(x).data(), "same seed, same masks");
    }

    @Test
    void regularizersAddToLossAndGradient() {
        Dense d = new Dense(2).kernelRegularizer(Regularizer.l1l2(0.1, 0.2)).useBias(false);
        Model m = ModelBuilder.sequential("r", new int[] {3}, 5, d);
        float[] w = d.kernel().value();
        double l1 = 0, l2 = 0;
        for (float v : w) {
            l1 += Math.abs(v);
            l2 += v * v;
        }
        assertEquals(0.1 * l1 + 0.2 * l2, m.regularizationLoss(), 1e-6);
        NdArray x = new NdArray(new int[] {1, 3}, new float[3]);
        m.forward(x);
        m.backward(new NdArray(new int[] {1, 2}, new float[2]));
        for (int i = 0; i < w.length; i++) {
            assertEquals(0.1 * Math.signum(w[i]) + 0.4 * w[i], d.kernel().gradient()[i], 1e-6,
                    "zero data gradient: only the penalty's");
        }
    }

    @Test
    void constraintsProject() {
        Dense d = new Dense(2).kernelConstraint(Constraint.maxNorm(1, 0)).biasConstraint(Constraint.nonNeg())
                .biasInitializer(Initializer.constant(-1));
        Model m = ModelBuilder.sequential("c", new int[] {2}, 5, d);
        d.kernel().set(new float[] {3, 0.3f, 4, 0.4f}); // column norms 5 and 0.5
        m.applyConstraints();
        assertArrayEquals(new float[] {0.6f, 0.3f, 0.8f, 0.4f}, d.kernel().value(), 1e-6f);
        assertArrayEquals(new float[] {0, 0}, d.bias().value());
    }

    @Test
    void batchNormFoldsIntoThePrecedingConvolution() {
        DepthwiseConv2D conv = new DepthwiseConv2D(3).depthMultiplier(2).padding("same");
        BatchNorm bn = new BatchNorm().movingVarianceInitializer(Initializer.constant(0.5f))
                .movingMeanInitializer(Initializer.constant(0.25f)).gammaInitializer(Initializer.heNormal());
        Model m = ModelBuilder.sequential("f", new int[] {4, 4, 2}, 6, conv, bn);
        NdArray x = ModelCheck.input(m, 1, 1);
        float[] expected = m.forward(x).data();
        var folded = bn.fold(conv.kernel().value(), conv.bias().value());
        DepthwiseConv2D merged = new DepthwiseConv2D(3).depthMultiplier(2).padding("same");
        Model n = ModelBuilder.sequential("g", new int[] {4, 4, 2}, 6, merged);
        merged.kernel().set(folded.kernel());
        merged.bias().set(folded.bias());
        Tensors.assertClose(expected, n.forward(x).data(), 1e-5, 1e-5, "conv + BN == folded conv");
    }

    @Test
    void errorsNameTheLayer() {
        ModelBuilder b = ModelBuilder.create("e");
        Node x = b.input(4, 4, 3);
        assertEquals("conv_big (Conv2D): conv: kernel extent 5 on axis H is larger than the padded input 4 "
                        + "(input 4, padding 0+0)",
                assertThrows(ShapeException.class, () -> b.apply(new Conv2D(2, 5).name("conv_big"), x)).getMessage());
        assertEquals("conv2d (Conv2D): input must have 3 axes (HWC) per sample, got (4, 4, 3, 1)",
                assertThrows(ShapeException.class,
                        () -> b.apply(new Conv2D(2, 1), b.input(4, 4, 3, 1))).getMessage());
        assertEquals("e: ReLU takes 1 input, got 2",
                assertThrows(ShapeException.class, () -> b.apply(new ReLU(), x, x)).getMessage());
        assertEquals("add (Add): inputs must have the same shape, input 0 is (4, 4, 3), input 1 is (2, 2, 3)",
                assertThrows(ShapeException.class,
                        () -> b.apply(new Add(), x, b.apply(new MaxPool(2, 2), x))).getMessage());
        Layer used = new ReLU();
        b.apply(used, x);
        assertThrows(ShapeException.class, () -> b.apply(used, x));
        Model m = b.build(b.apply(new ReLU(), x), 1);
        assertEquals("e: input 0 must have shape (batch, 4, 4, 3), got (1, 4, 3, 3)",
                assertThrows(ShapeException.class, () -> m.forward(new NdArray(new int[] {1, 4, 3, 3},
                        new float[36]))).getMessage());
        assertThrows(IllegalStateException.class, () -> used.name("renamed"));
    }

    @Test
    void badHyperParametersAreRefusedEarly() {
        assertEquals("Conv2D: filters must be >= 1, got 0",
                assertThrows(ShapeException.class, () -> new Conv2D(0, 3)).getMessage());
        assertEquals("ReLU: max_value must be 6 (ReLU6) or unset, got 5.0",
                assertThrows(ShapeException.class, () -> new ReLU(5)).getMessage());
        assertEquals("Dropout: rate must be in [0, 1), got 1.5",
                assertThrows(ShapeException.class, () -> new Dropout(1.5)).getMessage());
        assertEquals("initializer must be one of zeros, ones, glorot_uniform, glorot_normal, he_normal, he_uniform, "
                        + "lecun_normal, lecun_uniform, random_normal, random_uniform, truncated_normal; got 'glorot'",
                assertThrows(ShapeException.class, () -> Initializer.parse("glorot")).getMessage());
        assertEquals("data_format must be channels_last or channels_first, got 'nhwc?'",
                assertThrows(ShapeException.class, () -> new Conv2D(1, 1).dataFormat("nhwc?")).getMessage());
    }

    @Test
    void branchesOnlyCountWhatTheOutputNeeds() {
        ModelBuilder b = ModelBuilder.create("b");
        Node x = b.input(2, 2, 1);
        b.apply(new Conv2D(8, 1), x); // a dead branch
        Node y = b.apply(new Flatten(), x);
        Model m = b.build(y, 1);
        assertEquals(1, m.layers().size());
        assertSame(m.layers().get(0), m.layer("flatten_1"));
    }

    @Test
    void initializerFansAndScalesFollowKeras() {
        assertArrayEquals(new double[] {3 * 3 * 32, 3 * 3 * 1}, Initializer.fans(new int[] {3, 3, 32, 1}));
        assertArrayEquals(new double[] {1024, 1000}, Initializer.fans(new int[] {1024, 1000}));
        float[] v = new float[20000];
        Initializer.heNormal().fill(v, new int[] {100, 200}, new java.util.SplittableRandom(1));
        double s2 = 0;
        for (float f : v) {
            s2 += f * f;
        }
        assertEquals(2.0 / 100, s2 / v.length, 0.002, "he_normal variance 2 / fan_in");
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}

package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelSpec;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.PoolSpec;
import dev.depthwise.testutil.GradientCheck;
import dev.depthwise.testutil.Tensors;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient checks of the ops that are not convolutions: batch norm (both forms),
 * pooling, global average pooling, dense, softmax, activations, concat, zero padding, dropout.
 */
class NonConvGradientTest {

    @Test
    void batchNormTraining() {
        for (ChannelSpec spec : List.of(ChannelSpec.of("bn", CHANNELS_LAST, 3, 4, 2, 3),
                ChannelSpec.of("bn", CHANNELS_FIRST, 2, 3, 5), ChannelSpec.of("bn", CHANNELS_LAST, 6, 4))) {
            BatchNorm op = BatchNorm.of(spec, 1e-3f);
            int c = spec.channels();
            float[][] p = {Tensors.random(1, spec.length()), Tensors.random(2, c), Tensors.random(3, c)};
            float[] dy = Tensors.random(4, spec.length());
            BatchNorm.Gradients g = op.backwardTraining(p[0], p[1], p[2], dy);
            GradientCheck.check("batch norm training " + spec, p, new float[][] {g.dx(), g.dgamma(), g.dbeta()},
                    q -> GradientCheck.dot(op.forwardTraining(q[0], q[1], q[2]).y(), dy));
        }
    }

    @Test
    void batchNormTrainingWithoutScaleOrCenter() {
        ChannelSpec spec = ChannelSpec.of("bn", CHANNELS_LAST, 4, 3, 2);
        BatchNorm op = BatchNorm.of(spec, 1e-3f);
        float[][] p = {Tensors.random(5, spec.length())};
        float[] dy = Tensors.random(6, spec.length());
        BatchNorm.Gradients g = op.backwardTraining(p[0], null, null, dy);
        assertEquals(null, g.dgamma());
        GradientCheck.check("batch norm no affine", p, new float[][] {g.dx()},
                q -> GradientCheck.dot(op.forwardTraining(q[0], null, null).y(), dy));
    }

    @Test
    void batchNormInference() {
        ChannelSpec spec = ChannelSpec.of("bn", CHANNELS_FIRST, 2, 3, 2, 2);
        BatchNorm op = BatchNorm.of(spec, 1e-3f);
        float[] mean = Tensors.random(7, 3);
        float[] var = {0.5f, 1.5f, 2f};
        float[][] p = {Tensors.random(8, spec.length()), Tensors.random(9, 3), Tensors.random(10, 3)};
        float[] dy = Tensors.random(11, spec.length());
        BatchNorm.Gradients g = op.backwardInference(p[0], p[1], p[2], mean, var, dy);
        GradientCheck.check("batch norm inference", p, new float[][] {g.dx(), g.dgamma(), g.dbeta()},
                q -> GradientCheck.dot(op.forwardInference(q[0], q[1], q[2], mean, var), dy));
    }

    @Test
    void batchNormTrainingNormalizesEachChannel() {
        ChannelSpec spec = ChannelSpec.of("bn", CHANNELS_LAST, 5, 3, 2);
        float[] x = Tensors.random(12, spec.length());
        BatchNorm.Training t = BatchNorm.of(spec, 1e-5f).forwardTraining(x, null, null);
        for (int ch = 0; ch < 2; ch++) {
            double s = 0, s2 = 0;
            for (int i = ch; i < x.length; i += 2) {
                s += t.y()[i];
                s2 += t.y()[i] * t.y()[i];
            }
            assertEquals(0, s / 15, 1e-6);
            assertEquals(1, s2 / 15, 1e-3);
        }
    }

    @Test
    void pooling() {
        for (PoolSpec spec : List.of(
                PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 2, 5, 4, 3).pool(2, 2).build(),
                PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 1, 7, 6, 2).pool(3, 3).stride(2)
                        .padding(Padding.same()).build(),
                PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_FIRST, 1, 2, 6, 4).pool(2, 1).build(),
                PoolSpec.builder(PoolSpec.Kind.AVERAGE, CHANNELS_LAST, 2, 5, 5, 2).pool(3, 3).stride(2)
                        .padding(Padding.same()).build(),
                PoolSpec.builder(PoolSpec.Kind.AVERAGE, CHANNELS_FIRST, 1, 3, 7).pool(2).stride(1).build(),
                PoolSpec.builder(PoolSpec.Kind.AVERAGE, CHANNELS_LAST, 1, 3, 4, 4, 2).pool(2, 2, 3)
                        .padding(Padding.same()).build())) {
            Pool op = Pool.of(spec);
            // distinct values 0.05 apart: no two elements of a window within the finite-difference step
            float[][] p = {distinct(spec.inputLength(), 13)};
            float[] dy = Tensors.random(14, spec.outputLength());
            GradientCheck.check(spec.toString(), p, new float[][] {op.backward(p[0], dy)},
                    q -> GradientCheck.dot(op.forward(q[0]), dy));
        }
    }

    @Test
    void averagePoolSameIgnoresPadding() {
        PoolSpec spec = PoolSpec.builder(PoolSpec.Kind.AVERAGE, CHANNELS_LAST, 1, 3, 3, 1).pool(2, 2)
                .stride(1).padding(Padding.same()).build();
        float[] y = Pool.of(spec).forward(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        // windows at the right/bottom border hold fewer real cells: (3+6)/2, (7+8)/2, 9
        assertArrayEquals(new float[] {3, 4, 4.5f, 6, 7, 7.5f, 7.5f, 8.5f, 9}, y);
        assertEquals("1x3x3x1 avgpool2x2/s1,1 same -> 1x3x3x1", spec.toString());
    }

    @Test
    void globalAveragePool() {
        for (ChannelSpec spec : List.of(ChannelSpec.of("gap", CHANNELS_LAST, 2, 3, 2, 4),
                ChannelSpec.of("gap", CHANNELS_FIRST, 2, 3, 5))) {
            SpatialMean op = SpatialMean.of(spec);
            float[][] p = {Tensors.random(15, spec.length())};
            float[] dy = Tensors.random(16, spec.batch() * spec.channels());
            GradientCheck.check("gap " + spec, p, new float[][] {op.backward(dy)},
                    q -> GradientCheck.dot(op.forward(q[0]), dy));
        }
    }

    @Test
    void dense() {
        for (Activation act : List.of(Activation.NONE, Activation.SIGMOID)) {
            MatMul op = MatMul.of(3, 4, 5, act);
            float[][] p = {Tensors.random(17, 12), Tensors.random(18, 20), Tensors.random(19, 5)};
            float[] dy = Tensors.random(20, 15);
            MatMul.Gradients g = op.backward(p[0], p[1], p[2], dy);
            GradientCheck.check("dense " + act, p, new float[][] {g.dx(), g.dkernel(), g.dbias()},
                    q -> GradientCheck.dot(op.forward(q[0], q[1], q[2]), dy));
        }
    }

    @Test
    void softmax() {
        for (int axis : new int[] {-1, 1, 0}) {
            Softmax op = Softmax.of(new int[] {2, 3, 4}, axis);
            float[][] p = {Tensors.random(21, 24)};
            float[] dy = Tensors.random(22, 24);
            float[] y = op.forward(p[0]);
            GradientCheck.check("softmax axis " + axis, p, new float[][] {op.backward(y, dy)},
                    q -> GradientCheck.dot(op.forward(q[0]), dy));
        }
        float[] y = Softmax.of(new int[] {1, 3}, -1).forward(new float[] {1000, 1000, 1000});
        assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, y, 1e-7f, "large logits must not overflow");
    }

    @Test
    void activations() {
        for (Activation act : List.of(Activation.RELU, Activation.RELU6, Activation.leakyRelu(0.3f),
                Activation.SIGMOID, Activation.HARD_SWISH)) {
            Activate op = Activate.of(act);
            // away from the kinks at 0, 6 and +-3, where a finite difference straddles two pieces
            float[] x = {-4.5f, -2.2f, -1.1f, -0.4f, 0.3f, 1.7f, 2.4f, 4.1f, 5.2f, 7.3f};
            float[][] p = {x};
            float[] dy = Tensors.random(23, x.length);
            GradientCheck.check("activation " + act, p, new float[][] {op.backward(x, dy)},
                    q -> GradientCheck.dot(op.forward(q[0]), dy));
        }
    }

    @Test
    void concat() {
        Concat op = Concat.of(-1, new int[] {2, 2, 3}, new int[] {2, 2, 1});
        assertArrayEquals(new int[] {2, 2, 4}, op.outputShape());
        float[][] p = {Tensors.random(24, 12), Tensors.random(25, 4)};
        float[] dy = Tensors.random(26, 16);
        GradientCheck.check("concat", p, op.backward(dy), q -> GradientCheck.dot(op.forward(q[0], q[1]), dy));
        Concat first = Concat.of(1, new int[] {1, 2, 2}, new int[] {1, 1, 2});
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, first.forward(new float[] {1, 2, 3, 4}, new float[] {5, 6}));
    }

    @Test
    void zeroPad() {
        ZeroPad last = ZeroPad.of(CHANNELS_LAST, new int[] {1, 2, 2, 1}, new int[] {1, 0}, new int[] {0, 1});
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 0, 3, 4, 0}, last.forward(new float[] {1, 2, 3, 4}));
        List<int[]> shapes = List.of(new int[] {1, 2, 2, 1}, new int[] {2, 2, 3, 2}, new int[] {1, 3, 2});
        List<ZeroPad> ops = List.of(last,
                ZeroPad.of(CHANNELS_FIRST, shapes.get(1), new int[] {1, 2}, new int[] {2, 0}),
                ZeroPad.of(CHANNELS_LAST, shapes.get(2), new int[] {2}, new int[] {1}));
        for (int k = 0; k < ops.size(); k++) {
            ZeroPad op = ops.get(k);
            float[][] p = {Tensors.random(27, product(shapes.get(k)))};
            float[] dy = Tensors.random(28, product(op.outputShape()));
            GradientCheck.check("zero pad " + k, p, new float[][] {op.backward(dy)},
                    q -> GradientCheck.dot(op.forward(q[0]), dy));
        }
    }

    private static int product(int[] s) {
        int p = 1;
        for (int d : s) {
            p *= d;
        }
        return p;
    }

    @Test
    void dropout() {
        DropoutMask op = DropoutMask.of(0.5f);
        float[] mask = op.mask(1000, new SplittableRandom(29));
        int kept = 0;
        for (float m : mask) {
            if (m != 0) {
                assertEquals(2f, m);
                kept++;
            }
        }
        assertEquals(500, kept, 60);
        assertArrayEquals(mask, op.mask(1000, new SplittableRandom(29)), "same seed, same mask");
        float[] small = op.mask(6, new SplittableRandom(30));
        float[][] p = {Tensors.random(31, 6)};
        float[] dy = Tensors.random(32, 6);
        GradientCheck.check("dropout", p, new float[][] {op.apply(dy, small)},
                q -> GradientCheck.dot(op.apply(q[0], small), dy));
    }

    @Test
    void foldingBatchNormMatchesConvThenBatchNorm() {
        var spec = dev.depthwise.spec.ConvSpec.builder(CHANNELS_LAST, 1, 4, 4, 3).kernel(3, 3).depthwise(2)
                .padding(Padding.same()).build();
        Conv conv = Conv.of(spec);
        float[] x = Tensors.random(33, spec.inputLength());
        float[] f = Tensors.random(34, spec.filterLength());
        float[] b = Tensors.random(35, 6);
        float[] gamma = Tensors.random(36, 6), beta = Tensors.random(37, 6), mean = Tensors.random(38, 6);
        float[] var = {0.1f, 0.5f, 1, 2, 3, 4};
        BatchNorm bn = BatchNorm.of(ChannelSpec.of("bn", CHANNELS_LAST, spec.outputShape()), 1e-3f);
        float[] expected = bn.forwardInference(conv.forward(x, f, b), gamma, beta, mean, var);
        BatchNorm.Folded folded = BatchNorm.fold(f, b, 6, gamma, beta, mean, var, 1e-3f);
        Tensors.assertClose(expected, conv.forward(x, folded.kernel(), folded.bias()), 1e-5, 1e-5, "folded");
    }

    private static float[] distinct(int n, long seed) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) * 0.05f;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }
}

package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.DwActivation;
import dev.depthwise.kernel.DwNchw3x3s1;
import dev.depthwise.kernel.DwNchw3x3s2;
import dev.depthwise.kernel.DwNhwc3x3s1;
import dev.depthwise.kernel.DwNhwc3x3s2;
import dev.depthwise.kernel.DwNhwcGeneral;
import dev.depthwise.kernel.DwWeightsPacked;
import dev.depthwise.kernel.VecSpecies;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The forward kernels called directly, with x and y inside larger arrays at an offset and the rest
 * of y filled with NaN: the kernel writes exactly its output region and reads x only through its
 * offset. Also a non-finite weight on a padded tap, which the channels-first kernels must skip.
 */
@Tag("simd")
class DepthwiseForwardKernelTest {
    private static final int X_OFF = 11, Y_OFF = 29, SLACK = 41;

    @Test
    void channelsLastKernelsWriteOnlyTheirRegion() {
        for (int c : new int[] {1, 7, 16, 33}) {
            for (int s = 1; s <= 2; s++) {
                ConvSpec spec = ConvSpec.builder(CHANNELS_LAST, 2, 9, 11, c).kernel(3, 3).depthwise(1).stride(s)
                        .padding(Padding.same()).activation(Activation.RELU6).build();
                ConvGeometry g = spec.geometry();
                DepthwiseForward.NhwcRows fast = s == 1 ? DwNhwc3x3s1::rows : DwNhwc3x3s2::rows;
                check(spec, (x, xOff, f, b, y, yOff) -> run(g, fast, x, xOff, f, b, y, yOff), "3x3s" + s + " C=" + c);
                check(spec, (x, xOff, f, b, y, yOff) -> run(g, DwNhwcGeneral::rows, x, xOff, f, b, y, yOff),
                        "general C=" + c);
            }
        }
    }

    @Test
    void channelsFirstKernelsWriteOnlyTheirRegion() {
        for (int w : new int[] {5, 16, 37}) {
            for (int s = 1; s <= 2; s++) {
                ConvSpec spec = ConvSpec.builder(CHANNELS_FIRST, 2, 3, 7, w).kernel(3, 3).depthwise(2).stride(s)
                        .padding(Padding.same()).activation(Activation.leakyRelu(0.2f)).build();
                ConvGeometry g = spec.geometry();
                DepthwiseForward.NchwPlanes fast = s == 1 ? DwNchw3x3s1::planes : DwNchw3x3s2::planes;
                check(spec, (x, xOff, f, b, y, yOff) -> fast.planes(g, x, xOff, f, b, DwActivation.LEAKY, 0.2f, y,
                        yOff, 0, g.n * g.k, 0, g.outH),
                        "nchw 3x3s" + s + " W=" + w);
            }
        }
    }

    @Test
    void channelsFirstKernelsSkipPaddedTapsWithAnInfiniteWeight() {
        ConvSpec spec = ConvSpec.builder(CHANNELS_FIRST, 1, 2, 6, 21).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).build();
        float[] x = Tensors.random(1, spec.inputLength());
        float[] f = Tensors.random(2, spec.filterLength());
        f[0] = Float.POSITIVE_INFINITY;   // channel 0, tap (0, 0): padded for the top row and left column
        float[] want = DepthwiseForwardTest.reference(spec, x, f, null);
        float[] got = Conv.of(spec).forward(x, f, null);
        for (int i = 0; i < want.length; i++) {
            boolean same = Float.isFinite(want[i]) ? Math.abs(want[i] - got[i]) < 1e-4
                    : Float.compare(want[i], got[i]) == 0;
            assertTrue(same, "element " + i + ": " + got[i] + ", expected " + want[i]);
        }
    }

    private static void run(ConvGeometry g, DepthwiseForward.NhwcRows kernel, float[] x, int xOff, float[] f,
                            float[] b, float[] y, int yOff) {
        float[] w = new float[DwWeightsPacked.length(g.k, 9, VecSpecies.LEN)];
        DwWeightsPacked.pack(g, f, b, VecSpecies.LEN, w);
        kernel.rows(g, x, xOff, w, DwActivation.RELU6, 0f, y, yOff, 0, g.n * g.outD * g.outH, 0, g.k);
    }

    @FunctionalInterface
    interface Call {
        void run(float[] x, int xOff, float[] f, float[] b, float[] y, int yOff);
    }

    static void check(ConvSpec spec, Call call, String what) {
        float[] x = Tensors.random(3, spec.inputLength());
        float[] f = Tensors.random(4, spec.filterLength());
        float[] b = Tensors.random(5, spec.outChannels());
        float[] want = DepthwiseForwardTest.reference(spec, x, f, b);
        double[] tol = DepthwiseForwardTest.tolerance(spec, x, f, b);
        float[] bigX = new float[X_OFF + x.length + SLACK];
        Arrays.fill(bigX, Float.NaN);
        System.arraycopy(x, 0, bigX, X_OFF, x.length);
        float[] bigY = new float[Y_OFF + want.length + SLACK];
        Arrays.fill(bigY, Float.NaN);
        call.run(bigX, X_OFF, f, b, bigY, Y_OFF);
        for (int i = 0; i < bigY.length; i++) {
            boolean inside = i >= Y_OFF && i < Y_OFF + want.length;
            if (!inside && !Float.isNaN(bigY[i])) {
                fail(what + ": wrote " + bigY[i] + " outside its region at " + i);
            }
            if (inside && !(Math.abs(bigY[i] - want[i - Y_OFF]) <= tol[i - Y_OFF])) {
                fail(what + ": element " + (i - Y_OFF) + " is " + bigY[i] + ", expected " + want[i - Y_OFF]);
            }
        }
    }
}

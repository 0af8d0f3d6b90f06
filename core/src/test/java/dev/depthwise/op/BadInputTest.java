package dev.depthwise.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.ShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad data rather than bad shapes: NaN and infinities in x must flow through forward and backward
 * as IEEE arithmetic says, touching only the outputs that read them; and one {@link Conv} shared by
 * many threads must give exactly the single-threaded results. Also holds the helpers that
 * {@link BadSpecTest} and {@link BadArrayTest} share.
 */
class BadInputTest {

    // ---------------------------------------------------------------- shared helpers

    /**
     * Runs {@code call}, requires it to throw {@link ShapeException} (not any other exception) and
     * its message to contain every fragment (the parameter's name, the offending value, ...).
     */
    static ShapeException assertRefused(Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call);
        String message = e.getMessage();
        assertNotNull(message, "ShapeException without a message");
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message should name '" + f + "': " + message);
        }
        return e;
    }

    static ConvSpec.Builder nhwc(int... shape) {
        return ConvSpec.builder(Layout.CHANNELS_LAST, shape);
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** Random values with magnitude in [0.5, 1.5] and either sign: never 0, so Inf * w is never NaN. */
    static float[] randomNonZero(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (0.5f + r.nextFloat()) * (r.nextBoolean() ? 1 : -1);
        }
        return v;
    }

    static float[] nans(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    static void assertAllNaN(float[] y, String what) {
        for (int i = 0; i < y.length; i++) {
            if (!Float.isNaN(y[i])) {
                fail(what + ": y[" + i + "] was written (" + y[i] + ") although the call was refused");
            }
        }
    }

    // ---------------------------------------------------------------- 15. NaN and Inf

    private static final int H = 6, W = 6, C = 2, M = 2;
    /** Where the special value sits: (h, w, channel 0) of an NHWC 1x6x6x2 input. */
    private static final int PH = 2, PW = 3;

    static Stream<Arguments> specialValues() {
        List<Arguments> list = new ArrayList<>();
        Activation[] acts = {Activation.NONE, Activation.RELU, Activation.RELU6, Activation.leakyRelu(0.1f),
                Activation.SIGMOID, Activation.HARD_SWISH};
        float[] values = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (Activation a : acts) {
            for (float v : values) {
                list.add(Arguments.of(a, v));
            }
        }
        return list.stream();
    }

    private static ConvSpec nanSpec(Activation act) {
        return nhwc(1, H, W, C).kernel(3, 3).depthwise(M).padding(Padding.same()).activation(act).build();
    }

    /** Does output (oh, ow) read input (ph, pw) through some tap? */
    private static boolean reads(ConvSpec s, int oh, int ow, int ph, int pw) {
        int[] k = s.kernel(), st = s.stride(), d = s.dilation(), pb = s.padBefore();
        boolean h = false, w = false;
        for (int j = 0; j < k[0]; j++) {
            h |= oh * st[0] - pb[0] + j * d[0] == ph;
        }
        for (int l = 0; l < k[1]; l++) {
            w |= ow * st[1] - pb[1] + l * d[1] == pw;
        }
        return h && w;
    }

    @ParameterizedTest(name = "{0} with x containing {1}")
    @MethodSource("specialValues")
    void specialValueInXPropagatesThroughForwardOnlyWhereRead(Activation act, float special) {
        ConvSpec spec = nanSpec(act);
        Conv conv = Conv.of(spec);
        Random r = new Random(15);
        float[] x = random(r, spec.inputLength());
        float[] f = randomNonZero(r, spec.filterLength());
        float[] b = random(r, spec.outChannels());
        int at = (PH * W + PW) * C;   // channel 0
        x[at] = 0;
        float[] clean = conv.forward(x, f, b);
        x[at] = special;

        float[] y = conv.forward(x, f, b);

        int[] out = spec.outputSpatial();
        int k = spec.outChannels();
        int readers = 0;
        for (int oh = 0; oh < out[0]; oh++) {
            for (int ow = 0; ow < out[1]; ow++) {
                for (int o = 0; o < k; o++) {
                    int i = (oh * out[1] + ow) * k + o;
                    boolean read = o / M == 0 && reads(spec, oh, ow, PH, PW);
                    String where = act + ", x=" + special + ": y[h=" + oh + ",w=" + ow + ",k=" + o + "]";
                    if (!read) {
                        assertTrue(Float.isFinite(y[i]), where + " does not read the special value but is " + y[i]);
                        assertEquals(clean[i], y[i], 0f, where + " changed although it does not read x[" + at + "]");
                        continue;
                    }
                    readers++;
                    if (Float.isNaN(special)) {
                        assertTrue(Float.isNaN(y[i]), where + " reads NaN and must be NaN, got " + y[i]);
                    } else if (act.kind() == Activation.Kind.NONE) {
                        assertTrue(Float.isInfinite(y[i]), where + " reads an infinity and must be one, got " + y[i]);
                    }
                }
            }
        }
        assertEquals(3 * 3 * M, readers, "outputs that read the special value");
    }

    @ParameterizedTest(name = "{0} with x containing {1}")
    @MethodSource("specialValues")
    void specialValueInXPropagatesThroughBackwardOnlyToItsChannel(Activation act, float special) {
        ConvSpec spec = nanSpec(act);
        Conv conv = Conv.of(spec);
        Random r = new Random(16);
        float[] x = random(r, spec.inputLength());
        float[] f = randomNonZero(r, spec.filterLength());
        float[] b = random(r, spec.outChannels());
        float[] dy = randomNonZero(r, spec.outputLength());
        int at = (PH * W + PW) * C;
        x[at] = 0;
        ConvGradients clean = conv.backward(x, f, b, dy);
        x[at] = special;

        ConvGradients g = conv.backward(x, f, b, dy);

        String what = act + ", x=" + special;
        // Input channel 1 (output channels 2 and 3) never meets the special value.
        for (int p = 0; p < H * W; p++) {
            int i = p * C + 1;
            assertTrue(Float.isFinite(g.dx()[i]), what + ": dx of channel 1 must be finite, got " + g.dx()[i]);
            assertEquals(clean.dx()[i], g.dx()[i], 0f, what + ": dx[" + i + "] of channel 1 changed");
        }
        // HWCM filter: element (tap, c, m) at tap*C*M + c*M + m, output channel c*M + m.
        for (int tap = 0; tap < 9; tap++) {
            for (int o = 0; o < C * M; o++) {
                int i = tap * C * M + o;
                if (o / M == 1) {
                    assertTrue(Float.isFinite(g.dfilter()[i]), what + ": dfilter[" + i + "] of channel 1 must be finite");
                    assertEquals(clean.dfilter()[i], g.dfilter()[i], 0f, what + ": dfilter[" + i + "] changed");
                } else if (Float.isNaN(special)) {
                    // Every tap of channel 0 meets x[at] for some output: NaN * dz is NaN.
                    assertTrue(Float.isNaN(g.dfilter()[i]), what + ": dfilter[" + i + "] must be NaN, got "
                            + g.dfilter()[i]);
                } else {
                    assertFalse(Float.isFinite(g.dfilter()[i]), what + ": dfilter[" + i + "] must not be finite, got "
                            + g.dfilter()[i]);
                }
            }
        }
        for (int o = M; o < C * M; o++) {
            assertEquals(clean.dbias()[o], g.dbias()[o], 0f, what + ": dbias[" + o + "] of channel 1 changed");
        }
    }

    @Test
    void nanInBiasOrFilterDoesNotCrash() {
        ConvSpec spec = nanSpec(Activation.RELU);
        Conv conv = Conv.of(spec);
        Random r = new Random(17);
        float[] x = random(r, spec.inputLength());
        float[] f = random(r, spec.filterLength());
        float[] b = random(r, spec.outChannels());
        b[0] = Float.NaN;
        f[f.length - 1] = Float.POSITIVE_INFINITY;   // tap (2,2), output channel 3
        float[] y = conv.forward(x, f, b);
        for (int p = 0; p < H * W; p++) {
            assertTrue(Float.isNaN(y[p * C * M]), "relu(NaN bias + ...) must stay NaN at position " + p);
            assertTrue(Float.isFinite(y[p * C * M + 1]), "channel 1 does not use the NaN bias");
        }
        ConvGradients g = conv.backward(x, f, b, random(r, spec.outputLength()));
        assertNotNull(g.dx());
    }

    // ---------------------------------------------------------------- 16. thread safety

    @Test
    void oneConvSharedByEightThreadsMatchesSingleThreaded() throws Exception {
        ConvSpec spec = nhwc(2, 7, 6, 3).kernel(3, 3).depthwise(2).stride(2, 1).dilation(1, 2)
                .padding(Padding.same()).activation(Activation.RELU6).build();
        Conv conv = Conv.of(spec);
        int threads = 8;
        int perThread = 50;   // 400 forward + 400 backward calls in all
        float[][][] inputs = new float[threads * perThread][][];
        float[][] expectedY = new float[inputs.length][];
        ConvGradients[] expectedG = new ConvGradients[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Random r = new Random(1000 + i);
            float[] x = random(r, spec.inputLength());
            float[] f = random(r, spec.filterLength());
            float[] b = i % 3 == 0 ? null : random(r, spec.outChannels());
            float[] dy = random(r, spec.outputLength());
            inputs[i] = new float[][] {x, f, b, dy};
            expectedY[i] = conv.forward(x, f, b);
            expectedG[i] = conv.backward(x, f, b, dy);
        }

        float[][] gotY = new float[inputs.length][];
        float[][] gotInto = new float[inputs.length][];
        ConvGradients[] gotG = new ConvGradients[inputs.length];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = first; i < first + perThread; i++) {
                        float[][] in = inputs[i];
                        gotY[i] = conv.forward(in[0], in[1], in[2]);
                        float[] y = nans(spec.outputLength());
                        conv.forward(in[0], in[1], in[2], y);
                        gotInto[i] = y;
                        gotG[i] = conv.backward(in[0], in[1], in[2], in[3]);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> fu : futures) {
                fu.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < inputs.length; i++) {
            assertArrayEquals(expectedY[i], gotY[i], 0f, "forward, call " + i);
            assertArrayEquals(expectedY[i], gotInto[i], 0f, "forward into y, call " + i);
            assertArrayEquals(expectedG[i].dx(), gotG[i].dx(), 0f, "dx, call " + i);
            assertArrayEquals(expectedG[i].dfilter(), gotG[i].dfilter(), 0f, "dfilter, call " + i);
            assertArrayEquals(expectedG[i].dbias(), gotG[i].dbias(), 0f, "dbias, call " + i);
        }
    }
}

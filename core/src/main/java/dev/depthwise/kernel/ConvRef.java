package dev.depthwise.kernel;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;

/**
 * The reference grouped convolution: plain loops over every output element and every tap, double
 * accumulators, written to be read. It is the oracle every fast kernel is tested against, so it
 * favours the obvious over the quick. Layouts and padding modes come in through the geometry's
 * strides and {@link PadIndex}, so the loops never branch on them.
 *
 * <p>Output channel {@code o} belongs to group {@code o / kPerGroup} and reads that group's input
 * channels; for depthwise convolution ({@code cPerGroup == 1}) that is input channel
 * {@code o / M}, TensorFlow's {@code c*M + m} order.
 */
public final class ConvRef {
    private ConvRef() {
    }

    /** {@code y = act(conv(x, f) + bias)}; {@code bias} may be null. */
    public static void forward(ConvGeometry g, float[] x, float[] f, float[] bias, Activation act, float[] y) {
        for (int n = 0; n < g.n; n++) {
            for (int o = 0; o < g.k; o++) {
                for (int od = 0; od < g.outD; od++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        for (int ow = 0; ow < g.outW; ow++) {
                            double z = (bias == null ? 0 : bias[o]) + dot(g, x, f, n, o, od, oh, ow);
                            y[n * g.yN + o * g.yK + od * g.yD + oh * g.yH + ow * g.yW] =
                                    (float) ActivationRef.apply(act, z);
                        }
                    }
                }
            }
        }
    }

    /** The sum over the receptive field of output element (n, o, od, oh, ow). */
    private static double dot(ConvGeometry g, float[] x, float[] f, int n, int o, int od, int oh, int ow) {
        int c0 = o / g.kPerGroup * g.cPerGroup;
        double acc = 0;
        for (int ci = 0; ci < g.cPerGroup; ci++) {
            for (int i = 0; i < g.kD; i++) {
                int id = PadIndex.map(od * g.sD - g.padD + i * g.dD, g.inD, g.padMode);
                if (id < 0) {
                    continue;
                }
                for (int j = 0; j < g.kH; j++) {
                    int ih = PadIndex.map(oh * g.sH - g.padH + j * g.dH, g.inH, g.padMode);
                    if (ih < 0) {
                        continue;
                    }
                    for (int l = 0; l < g.kW; l++) {
                        int iw = PadIndex.map(ow * g.sW - g.padW + l * g.dW, g.inW, g.padMode);
                        if (iw < 0) {
                            continue;
                        }
                        acc += (double) x[n * g.xN + (c0 + ci) * g.xC + id * g.xD + ih * g.xH + iw * g.xW]
                                * f[o * g.fO + ci * g.fI + i * g.fD + j * g.fH + l * g.fW];
                    }
                }
            }
        }
        return acc;
    }

    /**
     * Gradient w.r.t. the input: every output gradient {@code dz} (taken after the activation's
     * derivative) is scattered back, through the filter, onto the input elements it was computed
     * from. {@code dx} is accumulated in double and must start at zero.
     */
    public static void backwardData(ConvGeometry g, float[] dz, float[] f, double[] dx) {
        for (int n = 0; n < g.n; n++) {
            for (int o = 0; o < g.k; o++) {
                int c0 = o / g.kPerGroup * g.cPerGroup;
                for (int od = 0; od < g.outD; od++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        for (int ow = 0; ow < g.outW; ow++) {
                            double d = dz[n * g.yN + o * g.yK + od * g.yD + oh * g.yH + ow * g.yW];
                            for (int ci = 0; ci < g.cPerGroup; ci++) {
                                for (int i = 0; i < g.kD; i++) {
                                    int id = PadIndex.map(od * g.sD - g.padD + i * g.dD, g.inD, g.padMode);
                                    if (id < 0) {
                                        continue;
                                    }
                                    for (int j = 0; j < g.kH; j++) {
                                        int ih = PadIndex.map(oh * g.sH - g.padH + j * g.dH, g.inH, g.padMode);
                                        if (ih < 0) {
                                            continue;
                                        }
                                        for (int l = 0; l < g.kW; l++) {
                                            int iw = PadIndex.map(ow * g.sW - g.padW + l * g.dW, g.inW, g.padMode);
                                            if (iw < 0) {
                                                continue;
                                            }
                                            dx[n * g.xN + (c0 + ci) * g.xC + id * g.xD + ih * g.xH + iw * g.xW] +=
                                                    d * f[o * g.fO + ci * g.fI + i * g.fD + j * g.fH + l * g.fW];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Gradient w.r.t. the filter: for each filter element, the sum of input times {@code dz} it met. */
    public static void backwardFilter(ConvGeometry g, float[] x, float[] dz, float[] df) {
        for (int o = 0; o < g.k; o++) {
            int c0 = o / g.kPerGroup * g.cPerGroup;
            for (int ci = 0; ci < g.cPerGroup; ci++) {
                for (int i = 0; i < g.kD; i++) {
                    for (int j = 0; j < g.kH; j++) {
                        for (int l = 0; l < g.kW; l++) {
                            double acc = 0;
                            for (int n = 0; n < g.n; n++) {
                                for (int od = 0; od < g.outD; od++) {
                                    int id = PadIndex.map(od * g.sD - g.padD + i * g.dD, g.inD, g.padMode);
                                    if (id < 0) {
                                        continue;
                                    }
                                    for (int oh = 0; oh < g.outH; oh++) {
                                        int ih = PadIndex.map(oh * g.sH - g.padH + j * g.dH, g.inH, g.padMode);
                                        if (ih < 0) {
                                            continue;
                                        }
                                        for (int ow = 0; ow < g.outW; ow++) {
                                            int iw = PadIndex.map(ow * g.sW - g.padW + l * g.dW, g.inW, g.padMode);
                                            if (iw < 0) {
                                                continue;
                                            }
                                            acc += (double) x[n * g.xN + (c0 + ci) * g.xC + id * g.xD + ih * g.xH
                                                    + iw * g.xW]
                                                    * dz[n * g.yN + o * g.yK + od * g.yD + oh * g.yH + ow * g.yW];
                                        }
                                    }
                                }
                            }
                            df[o * g.fO + ci * g.fI + i * g.fD + j * g.fH + l * g.fW] = (float) acc;
                        }
                    }
                }
            }
        }
    }

    /** Gradient w.r.t. the bias: the sum of {@code dz} over batch and space, per output channel. */
    public static void backwardBias(ConvGeometry g, float[] dz, float[] db) {
        for (int o = 0; o < g.k; o++) {
            double acc = 0;
            for (int n = 0; n < g.n; n++) {
                for (int od = 0; od < g.outD; od++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        for (int ow = 0; ow < g.outW; ow++) {
                            acc += dz[n * g.yN + o * g.yK + od * g.yD + oh * g.yH + ow * g.yW];
                        }
                    }
                }
            }
            db[o] = (float) acc;
        }
    }
}

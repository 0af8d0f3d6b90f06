package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The adjoint of {@link Im2colNhwc}: a matrix of receptive-field gradients ({@code dcols = dZ . W^T},
 * rows are output pixels, columns {@code tap*cg + ci}) added back onto the input gradient, each
 * column onto the input element it was copied from; padding columns are dropped. Overlapping
 * receptive fields add into the same elements, so callers give each thread pixels of its own images.
 */
public final class Col2imNhwc {
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int L = VecSpecies.LEN;

    private Col2imNhwc() {
    }

    /**
     * {@code dx += col2im(rows [0, q1 - q0) of dcols)}, the rows at {@code dcols[off + r*ld + col]}
     * being pixels {@code q0 ...} of the batch, onto the {@code cg} channels starting at {@code c0}
     * of the channels-last {@code dx} (geometry {@code g}; {@code dxOff} is where dx starts).
     */
    public static void add(ConvGeometry g, float[] dcols, int off, int ld, int q0, int q1,
                           float[] dx, int dxOff, int c0, int cg) {
        int outPixels = g.outD * g.outH * g.outW;
        int rowW = g.kW * cg;
        boolean runs = g.dW == 1 && cg == g.c;
        for (int q = q0; q < q1; q++) {
            int n = q / outPixels;
            int p = q - n * outPixels;
            int od = p / (g.outH * g.outW);
            int oh = p / g.outW - od * g.outH;
            int ow = p - (od * g.outH + oh) * g.outW;
            int row = off + (q - q0) * ld;
            int wBase = ow * g.sW - g.padW;
            int l0 = Im2colNhwc.firstTap(wBase, g.dW, g.kW);
            int l1 = Math.max(l0, Im2colNhwc.endTap(wBase, g.dW, g.inW, g.kW));
            int image = dxOff + n * g.xN + c0;
            for (int i = 0; i < g.kD; i++) {
                int id = od * g.sD - g.padD + i * g.dD;
                if (id < 0 || id >= g.inD) {
                    continue;
                }
                for (int j = 0; j < g.kH; j++) {
                    int ih = oh * g.sH - g.padH + j * g.dH;
                    if (ih < 0 || ih >= g.inH) {
                        continue;
                    }
                    int src = row + (i * g.kH + j) * rowW;
                    int dst = image + id * g.xD + ih * g.xH + wBase * g.xW;
                    if (runs) {
                        addInto(dcols, src + l0 * cg, dx, dst + l0 * g.xW, (l1 - l0) * cg);
                    } else {
                        for (int l = l0; l < l1; l++) {
                            addInto(dcols, src + l * cg, dx, dst + l * g.dW * g.xW, cg);
                        }
                    }
                }
            }
        }
    }

    private static void addInto(float[] src, int so, float[] dst, int dOff, int len) {
        int c = 0;
        for (; c < VecSpecies.bound(len); c += L) {
            FloatVector.fromArray(F, dst, dOff + c).add(FloatVector.fromArray(F, src, so + c))
                    .intoArray(dst, dOff + c);
        }
        for (; c < len; c++) {
            dst[dOff + c] += src[so + c];
        }
    }
}

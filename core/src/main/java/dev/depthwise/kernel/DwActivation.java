package dev.depthwise.kernel;

import dev.depthwise.spec.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The fused activations in float, applied in registers before a kernel stores its outputs: one
 * vector form and one scalar form for the tails. NaN stays NaN and the branches sit where
 * {@link ActivationRef} puts them, so both agree with the reference up to float rounding.
 */
public final class DwActivation {
    /** {@link Activation.Kind} ordinals, as ints the kernels switch on. */
    public static final int NONE = 0, RELU = 1, RELU6 = 2, LEAKY = 3, SIGMOID = 4, HARD_SWISH = 5;

    private static final float SIXTH = 1f / 6f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUNDER = 12582912f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f;
    private static final float E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    private DwActivation() {
    }

    /** The code of {@code act} for {@link #apply}. */
    public static int code(Activation act) {
        return switch (act.kind()) {
            case NONE -> NONE;
            case RELU -> RELU;
            case RELU6 -> RELU6;
            case LEAKY_RELU -> LEAKY;
            case SIGMOID -> SIGMOID;
            case HARD_SWISH -> HARD_SWISH;
        };
    }

    /**
     * {@code act(z)} lane-wise; {@code alpha} is leaky ReLU's slope. Written as a chain of tiny
     * methods (each under the JIT's 35-byte always-inline size) so that it inlines into every kernel
     * however cold the call site looks: a vector passed to a method that is not inlined gets boxed,
     * one allocation per store.
     */
    public static FloatVector apply(FloatVector z, int code, float alpha) {
        return code == NONE ? z : nonLinear(z, code, alpha);
    }

    private static FloatVector nonLinear(FloatVector z, int code, float alpha) {
        return code <= RELU6 ? clamp(z, code) : smooth(z, code, alpha);
    }

    private static FloatVector clamp(FloatVector z, int code) {
        FloatVector r = z.max(0f);
        return code == RELU ? r : r.min(6f);
    }

    private static FloatVector smooth(FloatVector z, int code, float alpha) {
        return code == LEAKY ? z.blend(z.mul(alpha), z.lt(0f)) : curve(z, code);
    }

    private static FloatVector curve(FloatVector z, int code) {
        return code == SIGMOID ? sigmoid(z) : hardSwish(z);
    }

    /** {@code 1 / (1 + exp(-z))}, with {@link #exp}: the same bits at every JIT tier. */
    static FloatVector sigmoid(FloatVector z) {
        return z.broadcast(1f).div(exp(z.neg()).add(1f));
    }

    /**
     * e to the {@code x}, to about an ulp, by Cephes' expf: {@code x = n*ln2 + r}, a degree-5
     * polynomial in r, and 2^n built in the exponent bits. Only adds, multiplies, FMAs and bit moves,
     * which give the same bits interpreted and compiled: the Vector API's own EXP does not (its
     * fallback and the JIT's intrinsic round apart), so a call could differ from the one before. x
     * is held to [-87.3, 88.3], where 2^n stays a normal float: e^x there is 1.2e-38 to 2.2e38, which
     * the sigmoid turns into 1 and 4.5e-39 where the exact value is 1 and below that. NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(-87.3f).min(88.3f);
        FloatVector n = expSteps(c);
        return expPoly(expRest(c, n)).mul(pow2(n));
    }

    /**
     * The scalar {@link #sigmoid(FloatVector)}: the same operations in the same order, so that a tail
     * element gets the bits a vector lane would (how rows split into vectors and tails moves with the
     * thread count).
     */
    static float sigmoid(float z) {
        return 1f / (exp(-z) + 1f);
    }

    /** The scalar {@link #exp(FloatVector)}, operation for operation. */
    static float exp(float x) {
        float c = Math.min(Math.max(x, -87.3f), 88.3f);
        float n = c * LOG2E + ROUNDER - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c) + n * -LN2_LO;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E0, E1), r, E2), r, E3), r, E4), r, E5);
        return (Math.fma(p, r * r, r) + 1f) * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** {@code round(c / ln2)}, by adding and taking away 1.5*2^23 (round to nearest even). */
    private static FloatVector expSteps(FloatVector c) {
        return c.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
    }

    /** {@code c - n*ln2}, ln2 in two parts so that the product's error stays out of r. */
    private static FloatVector expRest(FloatVector c, FloatVector n) {
        return n.fma(c.broadcast(-LN2_HI), c).add(n.mul(-LN2_LO));
    }

    /** {@code e^r} for |r| <= ln2/2: {@code 1 + r + r^2 * p(r)}. */
    private static FloatVector expPoly(FloatVector r) {
        FloatVector p = r.fma(r.broadcast(E0), r.broadcast(E1)).fma(r, r.broadcast(E2)).fma(r, r.broadcast(E3));
        return p.fma(r, r.broadcast(E4)).fma(r, r.broadcast(E5)).fma(r.mul(r), r).add(1f);
    }

    /** 2^n for whole n in [-126, 127], written into the exponent bits. */
    private static FloatVector pow2(FloatVector n) {
        return ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
    }

    private static FloatVector hardSwish(FloatVector z) {
        return hardSwishEnds(z, z.mul(z.add(3f)).mul(SIXTH));
    }

    /** {@code t} in the middle, 0 at or below -3, {@code z} at or above 3 (NaN compares false: stays NaN). */
    private static FloatVector hardSwishEnds(FloatVector z, FloatVector t) {
        return t.blend(0f, z.compare(VectorOperators.LE, -3f)).blend(z, z.compare(VectorOperators.GE, 3f));
    }

    /**
     * The lower end of the clamp a kernel may apply in registers instead of {@link #apply}: 0 for ReLU
     * and ReLU6, else -Inf (with {@link #high}, the whole activation for none, ReLU and ReLU6).
     */
    public static float low(int code) {
        return code == RELU || code == RELU6 ? 0f : Float.NEGATIVE_INFINITY;
    }

    /** The upper end of that clamp: 6 for ReLU6, else +Inf. */
    public static float high(int code) {
        return code == RELU6 ? 6f : Float.POSITIVE_INFINITY;
    }

    /**
     * What remains of the activation after the clamp {@link #low}..{@link #high}, applied in place to
     * {@code y[from, to)}: nothing for none, ReLU and ReLU6. Kernels that clamp in registers run this
     * over outputs still in cache, so that the rarer activations cost them no code in their loops.
     */
    public static void finish(float[] y, int from, int to, int code, float alpha) {
        if (code <= RELU6) {
            return;
        }
        int i = from;
        for (int end = from + VecSpecies.bound(to - from); i < end; i += VecSpecies.LEN) {
            apply(FloatVector.fromArray(VecSpecies.F, y, i), code, alpha).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = apply(y[i], code, alpha);
        }
    }

    /**
     * {@link #finish} over channels {@code [cFrom, cTo)} of the {@code pixels} pixels of a channels-last
     * row at {@code yRow} with {@code k} channels a pixel.
     */
    public static void finish(float[] y, int yRow, int pixels, int k, int cFrom, int cTo, int code, float alpha) {
        if (code <= RELU6) {
            return;
        }
        for (int px = 0, at = yRow; px < pixels; px++, at += k) {
            finish(y, at + cFrom, at + cTo, code, alpha);
        }
    }

    /** {@code act(z)} for one element. */
    public static float apply(float z, int code, float alpha) {
        return switch (code) {
            case NONE -> z;
            case RELU -> Math.max(z, 0f);
            case RELU6 -> Math.min(Math.max(z, 0f), 6f);
            case LEAKY -> z < 0f ? alpha * z : z;
            case SIGMOID -> sigmoid(z);
            default -> z <= -3f ? 0f : z >= 3f ? z : z * (z + 3f) * SIXTH;
        };
    }
}

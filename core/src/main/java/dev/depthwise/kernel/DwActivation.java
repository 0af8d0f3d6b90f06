package dev.depthwise.kernel;

import dev.depthwise.spec.Activation;
import jdk.incubator.vector.FloatVector;
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

    private static FloatVector sigmoid(FloatVector z) {
        return z.broadcast(1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
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
            case SIGMOID -> 1f / (1f + (float) Math.exp(-z));
            default -> z <= -3f ? 0f : z >= 3f ? z : z * (z + 3f) * SIXTH;
        };
    }
}

package dev.depthwise.kernel;

import dev.depthwise.spec.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What a pointwise GEMM does to its output besides the product: add the bias (one per column for
 * channels-last outputs, one per row for channels-first) and apply the activation. Built by the op
 * once per call (it holds that call's bias array). The register tiles take the bias as their
 * starting value and none / ReLU / ReLU6 as a clamp ({@link #lo}, {@link #hi}) before they store;
 * what they cannot do ({@link #apply} on partial tiles, {@link #activate} for the other
 * activations) runs here on the finished tile while it is still in L1. NaN stays NaN and the
 * branch points are {@link ActivationRef}'s, so results match the reference up to float rounding.
 */
public final class PwEpilogue {
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int L = VecSpecies.LEN;
    private static final float SIXTH = 1f / 6f;
    private static final int NONE = 0, RELU = 1, RELU6 = 2, LEAKY = 3, SIGMOID = 4, HARD_SWISH = 5;

    private final float[] bias;
    private final int biasOff;
    private final boolean perRow;
    private final int act;
    private final float alpha;
    private final float lo, hi;

    private PwEpilogue(float[] bias, int biasOff, boolean perRow, Activation activation) {
        this.bias = bias;
        this.biasOff = biasOff;
        this.perRow = perRow;
        this.act = switch (activation.kind()) {
            case NONE -> NONE;
            case RELU -> RELU;
            case RELU6 -> RELU6;
            case LEAKY_RELU -> LEAKY;
            case SIGMOID -> SIGMOID;
            case HARD_SWISH -> HARD_SWISH;
        };
        this.alpha = activation.alpha();
        this.lo = act == RELU || act == RELU6 ? 0f : Float.NEGATIVE_INFINITY;
        this.hi = act == RELU6 ? 6f : Float.POSITIVE_INFINITY;
    }

    /**
     * The epilogue adding {@code bias[biasOff + row]} ({@code perRow}) or {@code bias[biasOff + column]}
     * (bias may be null) then applying {@code activation}; null when there is nothing to do.
     */
    public static PwEpilogue of(float[] bias, int biasOff, boolean perRow, Activation activation) {
        if (bias == null && activation.kind() == Activation.Kind.NONE) {
            return null;
        }
        return new PwEpilogue(bias, biasOff, perRow, activation);
    }

    /** The bias array, or null. */
    public float[] bias() {
        return bias;
    }

    /** Where the bias of row or column 0 of the whole output sits. */
    public int biasOff() {
        return biasOff;
    }

    /** One bias per row (channels-first output), not per column. */
    public boolean perRow() {
        return perRow;
    }

    /** True when the activation is a clamp to {@code [lo, hi]}, which a register tile applies itself. */
    public boolean clamps() {
        return act == NONE || act == RELU || act == RELU6;
    }

    /** Lower bound of the clamp ({@code -inf} for none). */
    public float lo() {
        return lo;
    }

    /** Upper bound of the clamp ({@code +inf} for none and ReLU). */
    public float hi() {
        return hi;
    }

    /**
     * Bias then activation, in place, on {@code rows x cols} elements at {@code c[off + i*ldc + j]},
     * which are rows {@code row0 + i} and columns {@code col0 + j} of the whole output.
     */
    public void apply(float[] c, int off, int ldc, int rows, int cols, int row0, int col0) {
        run(c, off, ldc, false, c, off, ldc, rows, cols, row0, col0, bias != null, true);
    }

    /** The activation alone, in place on a finished tile (its bias is in already). */
    public void activate(float[] c, int off, int ldc, int rows, int cols) {
        if (act != NONE) {
            run(c, off, ldc, false, c, off, ldc, rows, cols, 0, 0, false, true);
        }
    }

    /**
     * A tile computed into scratch ({@code t}, row stride {@code ldt}) moved into its
     * {@code rows x cols} place in {@code C}: added to what C holds with {@code accumulate}, plus the
     * bias with {@code withBias}, through the activation with {@code withAct}. The tile's rows and
     * columns are rows {@code row0 + i}, columns {@code col0 + j} of the whole output.
     * {@code epilogue} may be null (a plain copy or sum).
     */
    public static void merge(PwEpilogue epilogue, float[] t, int ldt, float[] c, int off, int ldc, int rows, int cols,
                             boolean accumulate, boolean withBias, boolean withAct, int row0, int col0) {
        if (epilogue == null) {
            NO_OP.run(t, 0, ldt, accumulate, c, off, ldc, rows, cols, 0, 0, false, false);
        } else {
            epilogue.run(t, 0, ldt, accumulate, c, off, ldc, rows, cols, row0, col0,
                    withBias && epilogue.bias != null, withAct);
        }
    }

    private static final PwEpilogue NO_OP = new PwEpilogue(null, 0, false, Activation.NONE);

    /**
     * {@code c = act((accumulate ? c : 0) + src + bias)} over a region, a vector at a time, the last
     * one of each row masked (tiles here are the ragged ones: 24 of 32 columns, 4 of 16); all scalar
     * when the vector bodies are off. One method, the activation switched inside the loop: a vector
     * passed to a call that is not inlined would be boxed.
     */
    private void run(float[] src, int srcOff, int lds, boolean accumulate, float[] c, int off, int ldc,
                     int rows, int cols, int row0, int col0, boolean withBias, boolean withAct) {
        boolean columnBias = withBias && !perRow;
        int code = withAct ? act : NONE;
        int vectorCols = Simd.enabled() ? cols : 0;
        for (int i = 0; i < rows; i++) {
            int o = off + i * ldc;
            int so = srcOff + i * lds;
            int bi = biasOff + (perRow ? row0 + i : col0);
            float rowBias = withBias && perRow ? bias[bi] : 0f;
            for (int j = 0; j < vectorCols; j += L) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector z = FloatVector.fromArray(F, src, so + j, m);
                if (accumulate) {
                    z = z.add(FloatVector.fromArray(F, c, o + j, m));
                }
                z = columnBias ? z.add(FloatVector.fromArray(F, bias, bi + j, m)) : z.add(rowBias);
                z = switch (code) {
                    case NONE -> z;
                    case RELU -> z.max(0f);
                    case RELU6 -> z.max(0f).min(6f);
                    case LEAKY -> z.blend(z.mul(alpha), z.lt(0f));
                    case SIGMOID -> DwActivation.sigmoid(z);
                    default -> z.mul(z.add(3f)).mul(SIXTH).blend(0f, z.compare(VectorOperators.LE, -3f))
                            .blend(z, z.compare(VectorOperators.GE, 3f));
                };
                z.intoArray(c, o + j, m);
            }
            for (int j = vectorCols; j < cols; j++) {
                float z = src[so + j] + (accumulate ? c[o + j] : 0f) + (columnBias ? bias[bi + j] : rowBias);
                c[o + j] = withAct ? activate(z) : z;
            }
        }
    }

    /** {@code act(z)} for one element, the same branches as the vector form. */
    public float activate(float z) {
        return switch (act) {
            case NONE -> z;
            case RELU -> z > 0f ? z : z <= 0f ? 0f : z;
            case RELU6 -> z > 6f ? 6f : z > 0f ? z : z <= 0f ? 0f : z;
            case LEAKY -> z >= 0f ? z : alpha * z;
            case SIGMOID -> DwActivation.sigmoid(z);
            default -> z <= -3f ? 0f : z >= 3f ? z : z * (z + 3f) * SIXTH;
        };
    }
}

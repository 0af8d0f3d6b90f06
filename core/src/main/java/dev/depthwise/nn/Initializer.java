package dev.depthwise.nn;

import dev.depthwise.spec.ShapeException;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How a parameter's first values are drawn, with Keras's names and formulas. Fans follow Keras:
 * for a kernel of shape {@code [k..., in, out]} the receptive field {@code prod(k)} multiplies both
 * {@code in} and {@code out} (so a depthwise kernel {@code [kh, kw, C, M]} has fan-in {@code kh*kw*C},
 * as in Keras); a 2-D shape {@code [in, out]} is a dense kernel; a 1-D shape has both fans equal to
 * its length.
 */
public sealed interface Initializer {

    /** Fills {@code values}, a tensor of {@code shape}, from {@code random}. */
    void fill(float[] values, int[] shape, RandomGenerator random);

    /** Every value {@code value}: Keras's {@code zeros}, {@code ones} and {@code Constant}. */
    record Constant(float value) implements Initializer {
        @Override
        public void fill(float[] values, int[] shape, RandomGenerator random) {
            java.util.Arrays.fill(values, value);
        }

        @Override
        public String toString() {
            return value == 0 ? "zeros" : value == 1 ? "ones" : "constant(" + value + ")";
        }
    }

    /** Uniform in {@code [min, max)} (Keras {@code RandomUniform}, default +-0.05). */
    record RandomUniform(double min, double max) implements Initializer {
        public RandomUniform {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new ShapeException("random_uniform: minval must be < maxval and both finite, got " + min
                        + ", " + max);
            }
        }

        @Override
        public void fill(float[] values, int[] shape, RandomGenerator random) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (min + (max - min) * random.nextDouble());
            }
        }

        @Override
        public String toString() { return "random_uniform(" + min + ", " + max + ")"; }
    }

    /**
     * Normal with {@code mean} and {@code stddev}; when {@code truncated}, draws beyond two standard
     * deviations are redrawn (Keras {@code RandomNormal}, {@code TruncatedNormal}, default 0.05).
     */
    record RandomNormal(double mean, double stddev, boolean truncated) implements Initializer {
        public RandomNormal {
            if (!(stddev >= 0) || !Double.isFinite(stddev) || !Double.isFinite(mean)) {
                throw new ShapeException("random_normal: stddev must be >= 0 and finite, mean finite, got mean "
                        + mean + ", stddev " + stddev);
            }
        }

        @Override
        public void fill(float[] values, int[] shape, RandomGenerator random) {
            for (int i = 0; i < values.length; i++) {
                double z = random.nextGaussian();
                while (truncated && Math.abs(z) > 2) {
                    z = random.nextGaussian();
                }
                values[i] = (float) (mean + stddev * z);
            }
        }

        @Override
        public String toString() {
            return (truncated ? "truncated_normal(" : "random_normal(") + mean + ", " + stddev + ")";
        }
    }

    /** Which fan divides the scale of {@link VarianceScaling}. */
    enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

    /** Which distribution {@link VarianceScaling} draws from. */
    enum Distribution { TRUNCATED_NORMAL, UNTRUNCATED_NORMAL, UNIFORM }

    /**
     * Keras's {@code VarianceScaling}: variance {@code scale / fan}; a truncated normal's standard
     * deviation is divided by 0.8796 (the standard deviation of a unit normal cut at +-2) so the
     * variance comes out right; a uniform one has limit {@code sqrt(3 * scale / fan)}.
     */
    record VarianceScaling(double scale, Mode mode, Distribution distribution, String name) implements Initializer {
        public VarianceScaling {
            if (!(scale > 0) || !Double.isFinite(scale) || mode == null || distribution == null) {
                throw new ShapeException("variance_scaling: scale must be > 0 and finite, mode and distribution "
                        + "given, got scale " + scale);
            }
        }

        @Override
        public void fill(float[] values, int[] shape, RandomGenerator random) {
            double[] fans = fans(shape);
            double fan = switch (mode) {
                case FAN_IN -> fans[0];
                case FAN_OUT -> fans[1];
                case FAN_AVG -> (fans[0] + fans[1]) / 2;
            };
            double s = scale / Math.max(1, fan);
            Initializer inner = switch (distribution) {
                case TRUNCATED_NORMAL -> new RandomNormal(0, Math.sqrt(s) / 0.87962566103423978, true);
                case UNTRUNCATED_NORMAL -> new RandomNormal(0, Math.sqrt(s), false);
                case UNIFORM -> new RandomUniform(-Math.sqrt(3 * s), Math.sqrt(3 * s));
            };
            inner.fill(values, shape, random);
        }

        @Override
        public String toString() { return name; }
    }

    /** {@code {fan_in, fan_out}} of a tensor of {@code shape}, by Keras's rule. */
    static double[] fans(int[] shape) {
        if (shape.length == 0) {
            return new double[] {1, 1};
        }
        if (shape.length == 1) {
            return new double[] {shape[0], shape[0]};
        }
        double receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return new double[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
    }

    static Initializer zeros() { return new Constant(0); }

    static Initializer ones() { return new Constant(1); }

    static Initializer constant(float value) { return new Constant(value); }

    /** Keras default of {@code Dense}, {@code Conv*D} and the depthwise kernels. */
    static Initializer glorotUniform() {
        return new VarianceScaling(1, Mode.FAN_AVG, Distribution.UNIFORM, "glorot_uniform");
    }

    static Initializer glorotNormal() {
        return new VarianceScaling(1, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, "glorot_normal");
    }

    static Initializer heNormal() {
        return new VarianceScaling(2, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, "he_normal");
    }

    static Initializer heUniform() {
        return new VarianceScaling(2, Mode.FAN_IN, Distribution.UNIFORM, "he_uniform");
    }

    static Initializer lecunNormal() {
        return new VarianceScaling(1, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, "lecun_normal");
    }

    static Initializer lecunUniform() {
        return new VarianceScaling(1, Mode.FAN_IN, Distribution.UNIFORM, "lecun_uniform");
    }

    /**
     * Parses a Keras initializer name: {@code zeros}, {@code ones}, {@code glorot_uniform},
     * {@code glorot_normal}, {@code he_normal}, {@code he_uniform}, {@code lecun_normal},
     * {@code lecun_uniform}, {@code random_normal}, {@code random_uniform}, {@code truncated_normal}
     * (the last three with Keras's defaults).
     */
    static Initializer parse(String name) {
        if (name == null) {
            throw new ShapeException("initializer must not be null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "zeros", "zero" -> zeros();
            case "ones", "one" -> ones();
            case "glorot_uniform", "xavier_uniform" -> glorotUniform();
            case "glorot_normal", "xavier_normal" -> glorotNormal();
            case "he_normal" -> heNormal();
            case "he_uniform" -> heUniform();
            case "lecun_normal" -> lecunNormal();
            case "lecun_uniform" -> lecunUniform();
            case "random_normal" -> new RandomNormal(0, 0.05, false);
            case "random_uniform" -> new RandomUniform(-0.05, 0.05);
            case "truncated_normal" -> new RandomNormal(0, 0.05, true);
            default -> throw new ShapeException("initializer must be one of zeros, ones, glorot_uniform, "
                    + "glorot_normal, he_normal, he_uniform, lecun_normal, lecun_uniform, random_normal, "
                    + "random_uniform, truncated_normal; got '" + name + "'");
        };
    }
}

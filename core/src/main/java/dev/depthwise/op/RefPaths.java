package dev.depthwise.op;

import dev.depthwise.kernel.ConvRef;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;

/** The reference kernels as paths: every spec, every option, one thread, double accumulators. */
final class RefPaths {
    private RefPaths() {
    }

    static ForwardPath forward(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        return new ForwardPath() {
            @Override
            public void forward(float[] x, float[] filter, float[] bias, float[] y) {
                ConvRef.forward(g, x, filter, bias, spec.activation(), y);
            }

            @Override
            public String name() {
                return "reference";
            }
        };
    }

    static BackwardPath backward(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        return new BackwardPath() {
            @Override
            public void backward(float[] x, float[] filter, float[] bias, float[] dz, float[] dx, float[] dfilter,
                                 float[] dbias) {
                double[] acc = new double[dx.length];
                ConvRef.backwardData(g, dz, filter, acc);
                for (int i = 0; i < dx.length; i++) {
                    dx[i] = (float) acc[i];
                }
                // both write every element
                ConvRef.backwardFilter(g, x, dz, dfilter);
                if (bias != null) {
                    ConvRef.backwardBias(g, dz, dbias);
                }
            }

            @Override
            public String name() {
                return "reference";
            }
        };
    }
}

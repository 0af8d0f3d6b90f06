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
            public ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dz) {
                double[] acc = new double[spec.inputLength()];
                ConvRef.backwardData(g, dz, filter, acc);
                float[] dx = new float[acc.length];
                for (int i = 0; i < dx.length; i++) {
                    dx[i] = (float) acc[i];
                }
                float[] df = new float[spec.filterLength()];
                ConvRef.backwardFilter(g, x, dz, df);
                float[] db = null;
                if (bias != null) {
                    db = new float[spec.outChannels()];
                    ConvRef.backwardBias(g, dz, db);
                }
                return new ConvGradients(dx, df, db);
            }

            @Override
            public String name() {
                return "reference";
            }
        };
    }
}

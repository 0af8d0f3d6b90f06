package dev.depthwise.nn;

/** Public entry points to {@link ModelCheck} for the tests of other packages (the zoo). */
public final class ModelChecks {
    private ModelChecks() {
    }

    /** Every element, for one sample (inference mode) or a batch of 2 (training mode: batch statistics). */
    public static void gradients(String what, Model m, boolean training, long seed) {
        m.setTraining(training);
        ModelCheck.gradients(what, m, ModelCheck.input(m, training ? 2 : 1, seed), 0, seed + 1);
    }

    /** {@code count} elements drawn at random across the input and the parameters; one sample, inference mode. */
    public static void sampled(String what, Model m, int count, long seed) {
        m.setTraining(false);
        ModelCheck.gradients(what, m, ModelCheck.input(m, 1, seed), count, seed + 1);
    }
}

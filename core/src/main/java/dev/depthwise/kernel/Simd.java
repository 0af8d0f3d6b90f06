package dev.depthwise.kernel;

import java.lang.System.Logger.Level;

/**
 * The SIMD width the fast kernels use, chosen once per JVM. The system property
 * {@value #PROPERTY} selects it: {@code preferred} (the default: the widest the CPU has),
 * {@code 512}, {@code 256}, {@code 128}, or {@code scalar} (vector bodies off, every element goes
 * through the kernels' scalar tails: the tests run every path this way). Without the incubator
 * module {@code jdk.incubator.vector} the kernels fall back to scalar, and one line is logged.
 * Only this class decides; the vector kernels read {@link VecSpecies#F}, a static final species,
 * so the JIT compiles them for one fixed width.
 */
public final class Simd {
    /** The system property that selects the width. */
    public static final String PROPERTY = "depthwise.simd";

    /** True when the Vector API module is present, so the vector kernel classes can be loaded at all. */
    public static final boolean AVAILABLE = probe();

    /** Bits per vector: 512, 256, 128, or 0 for scalar. */
    public static final int BITS = choose();

    private Simd() {
    }

    /** True when the vector kernels run with vectors (not only their scalar tails). */
    public static boolean enabled() {
        return BITS > 0;
    }

    /** Float lanes per vector, 1 when scalar. */
    public static int lanes() {
        return BITS == 0 ? 1 : BITS / 32;
    }

    /** E.g. {@code 512-bit (16 floats)} or {@code scalar}. */
    public static String describe() {
        return BITS == 0 ? "scalar" : BITS + "-bit (" + lanes() + " floats)";
    }

    private static boolean probe() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static int choose() {
        String want = System.getProperty(PROPERTY, "preferred").trim().toLowerCase(java.util.Locale.ROOT);
        if (want.equals("scalar") || want.equals("off") || want.equals("0")) {
            return 0;
        }
        if (!AVAILABLE) {
            System.getLogger("dev.depthwise").log(Level.WARNING, "depthwise: the Vector API (module "
                    + "jdk.incubator.vector) is not available; running the scalar reference kernels. Start java "
                    + "with --add-modules jdk.incubator.vector to enable SIMD.");
            return 0;
        }
        int preferred = VecProbe.preferredBits();
        return switch (want) {
            case "preferred", "auto", "" -> preferred;
            case "512", "256", "128" -> Math.min(Integer.parseInt(want), preferred);
            default -> throw new IllegalArgumentException(PROPERTY + " must be preferred, 512, 256, 128 or scalar, "
                    + "got '" + want + "'");
        };
    }
}

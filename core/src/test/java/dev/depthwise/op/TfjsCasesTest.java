package dev.depthwise.op;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.testutil.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the 73 hard-coded cases of TensorFlow.js 4.22.0's convolution tests (depthwise, separable,
 * fused depthwise and plain conv2d, forward and gradients) through this library's public API.
 * The cases, with the values tfjs's CPU backend computed, are in
 * {@code src/test/resources/tfjs-upstream-cases.json}; {@code tfjs-upstream-cases.README.md} next to
 * it explains every field.
 *
 * <p>Each case checks, for every output it lists:
 * <ul>
 *   <li>the shape;</li>
 *   <li>the values against {@code tfjs_cpu_output} (float32 results, so within 1e-5 absolute, or
 *       1e-5 relative for values above 1);</li>
 *   <li>the values against {@code expected}, the literals in the tfjs test (about 6 significant
 *       digits), within tfjs's own epsilon 1e-3;</li>
 * </ul>
 * and that the spec resolved the same geometry as tfjs ({@code resolved}).
 *
 * <p>The last dynamic test checks that all 73 cases ran, so a case cannot silently drop out.
 */
// The count check at the end relies on the cases running before it, one after another.
@Execution(ExecutionMode.SAME_THREAD)
class TfjsCasesTest {
    private static final String RESOURCE = "/tfjs-upstream-cases.json";
    private static final int CASE_COUNT = 73;

    /** Tolerance against {@code tfjs_cpu_output}: max(abs, rel * |expected|). */
    private static final double TFJS_ABS = 1e-5;
    private static final double TFJS_REL = 1e-5;
    /** Tolerance against the literals of the tfjs tests: tfjs's own test epsilon. */
    private static final double LITERAL_ABS = 1e-3;
    /** How many mismatching elements a failure message lists. */
    private static final int MISMATCHES_SHOWN = 6;

    @TestFactory
    Stream<DynamicTest> tfjsUpstreamCases() throws IOException {
        List<Case> cases = loadCases();
        assertEquals(CASE_COUNT, cases.size(), RESOURCE + ": number of cases");
        Set<String> ids = new HashSet<>();
        for (Case c : cases) {
            assertTrue(ids.add(c.id()), RESOURCE + ": duplicate case id " + c.id());
        }

        Tally tally = new Tally();
        Stream<DynamicTest> perCase = cases.stream().map(c -> dynamicTest(c.displayName(), () -> {
            tally.ran++;
            runCase(c, tally);
            tally.passed++;
        }));
        DynamicTest countCheck = dynamicTest("all " + CASE_COUNT + " cases ran", () -> {
            System.out.printf(Locale.ROOT, "TfjsCasesTest: %d cases ran, %d passed; largest |library - "
                    + "tfjs_cpu_output| = %.3g (%s)%n", tally.ran, tally.passed, tally.maxTfjsDiff, tally.maxTfjsDiffAt);
            assertEquals(CASE_COUNT, tally.ran, "cases that ran");
        });
        return Stream.concat(perCase, Stream.of(countCheck));
    }

    // ---------------------------------------------------------------- one case

    /** Runs one case through the library and checks its geometry and every output it lists. */
    private static void runCase(Case c, Tally tally) {
        Result r;
        try {
            r = switch (c.op()) {
                case "depthwiseConv2d" -> depthwise(c);
                case "separableConv2d" -> separable(c);
                case "conv2d" -> conv2d(c);
                case "fusedDepthwiseConv2d" -> fusedDepthwise(c);
                case "depthwiseConv2d_grad", "conv2d_grad", "fusedDepthwiseConv2d_grad" -> gradients(c);
                default -> throw new AssertionError(c.id() + ": unknown op '" + c.op() + "'");
            };
        } catch (RuntimeException e) {
            // E.g. a ShapeException from a spec or op: say which case it came from.
            throw new AssertionError(c.displayName() + ": threw " + e, e);
        }

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertGeometry(c, r.geometry()));
        // Both maps list the same outputs; walking each one means no listed output goes unchecked.
        // tfjs_cpu_output holds float32 values (written in shortest form): read back as float32.
        c.tfjsOutputs().forEach((name, want) -> checks.add(
                () -> assertOutput(c, name, "tfjs_cpu_output", want, true, r, TFJS_ABS, TFJS_REL, tally)));
        c.expected().forEach((name, want) -> checks.add(
                () -> assertOutput(c, name, "expected (tfjs test literal)", want, false, r, LITERAL_ABS, 0, null)));
        assertFalse(c.expected().isEmpty(), c.id() + ": the case lists no expected output");
        assertAll(c.displayName(), checks);
    }

    /** What the library computed for a case, and the spec whose geometry is checked. */
    private record Result(ConvSpec geometry, Map<String, Tensor> outputs) {
    }

    // ---------------------------------------------------------------- one helper per op kind

    /** {@code tf.depthwiseConv2d}: filter [kh, kw, C, M]. */
    private static Result depthwise(Case c) {
        Tensor x = c.input("x");
        Tensor filter = c.input("filter");
        ConvSpec spec = depthwiseSpec(c, x, filter, Activation.NONE);
        float[] y = Conv.of(spec).forward(x.data(), filter.data(), null);
        return new Result(spec, Map.of("y", new Tensor(spec.outputShape(), y)));
    }

    /** {@code tf.conv2d}: filter [kh, kw, Cin, Cout], one group. */
    private static Result conv2d(Case c) {
        Tensor x = c.input("x");
        Tensor filter = c.input("filter");
        ConvSpec spec = conv2dSpec(c, x, filter);
        float[] y = Conv.of(spec).forward(x.data(), filter.data(), null);
        return new Result(spec, Map.of("y", new Tensor(spec.outputShape(), y)));
    }

    /**
     * {@code tf.separableConv2d}: the depthwise stage carries stride, dilation and padding, then a
     * 1x1 conv with nothing between. The pointwise filter [1, 1, C*M, Cout] is already the library's
     * pointwise filter in the TF (spatial, in, out) layout. tfjs's geometry is the depthwise stage's.
     */
    private static Result separable(Case c) {
        Tensor x = c.input("x");
        Tensor dwFilter = c.input("depthwise_filter");
        Tensor pwFilter = c.input("pointwise_filter");
        ConvSpec dw = depthwiseSpec(c, x, dwFilter, Activation.NONE);
        SeparableSpec spec = SeparableSpec.of(dw, SeparableSpec.Middle.NONE, pwFilter.shape()[3], Activation.NONE);
        float[] y = SeparableConv.of(spec).forward(x.data(), SeparableWeights.of(dwFilter.data(), pwFilter.data(), null));
        return new Result(dw, Map.of("y", new Tensor(spec.pointwise().outputShape(), y)));
    }

    /**
     * {@code tf.fused.depthwiseConv2d}: bias and activation fused in the library. PReLU is the one
     * activation the library does not have: there the conv (with bias) is the library's and the
     * PReLU is applied here, in the test.
     */
    private static Result fusedDepthwise(Case c) {
        Tensor x = c.input("x");
        Tensor filter = c.input("filter");
        boolean prelu = c.activationName().equals("prelu");
        ConvSpec spec = depthwiseSpec(c, x, filter, prelu ? Activation.NONE : c.activation());
        float[] y = Conv.of(spec).forward(x.data(), filter.data(), c.bias(spec.outChannels()));
        Tensor out = new Tensor(spec.outputShape(), y);
        if (prelu) {
            out = preluTestSide(out, c.input("prelu_weights"));
        }
        return new Result(spec, Map.of("y", out));
    }

    /**
     * The {@code _grad} cases: the vector-Jacobian products for the case's {@code dy}, plus the
     * forward output (some cases list it too). {@code fusedDepthwiseConv2d_grad} takes its
     * activation and bias from the case; the one case has neither (linear, no bias).
     */
    private static Result gradients(Case c) {
        Tensor x = c.input("x");
        Tensor filter = c.input("filter");
        Tensor dy = c.input("dy");
        ConvSpec spec = switch (c.op()) {
            case "conv2d_grad" -> conv2dSpec(c, x, filter);
            case "depthwiseConv2d_grad" -> depthwiseSpec(c, x, filter, Activation.NONE);
            default -> {
                if (c.activationName().equals("prelu")) {
                    throw new AssertionError(c.id() + ": a PReLU gradient case needs test-side support");
                }
                yield depthwiseSpec(c, x, filter, c.activation());
            }
        };
        float[] bias = c.op().startsWith("fused") ? c.bias(spec.outChannels()) : null;
        Conv conv = Conv.of(spec);
        assertArrayEquals(spec.outputShape(), dy.shape(), c.id() + ": dy shape vs the spec's output shape");
        ConvGradients g = conv.backward(x.data(), filter.data(), bias, dy.data());

        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("y", new Tensor(spec.outputShape(), conv.forward(x.data(), filter.data(), bias)));
        out.put("dx", new Tensor(spec.inputShape(), g.dx()));
        out.put("dfilter", new Tensor(spec.filterShape(), g.dfilter()));
        if (bias != null) {
            out.put("dbias", new Tensor(spec.biasShape(), g.dbias()));
        }
        return new Result(spec, out);
    }

    // ---------------------------------------------------------------- specs

    /** A depthwise spec: multiplier M from the filter [kh, kw, C, M]. */
    private static ConvSpec depthwiseSpec(Case c, Tensor x, Tensor filter, Activation activation) {
        return c.builder(x, filter).depthwise(filter.shape()[3]).activation(activation).build();
    }

    /** A full conv2d spec: Cout from the filter [kh, kw, Cin, Cout]. */
    private static ConvSpec conv2dSpec(Case c, Tensor x, Tensor filter) {
        return c.builder(x, filter).conv(filter.shape()[3], 1).build();
    }

    // ---------------------------------------------------------------- PReLU (test side)

    /**
     * {@code y < 0 ? alpha * y : y}, with {@code alpha} broadcast to y's shape as tfjs (NumPy) does:
     * trailing axes aligned, axes of size 1 repeated.
     */
    private static Tensor preluTestSide(Tensor y, Tensor alpha) {
        float[] out = new float[y.data().length];
        for (int i = 0; i < out.length; i++) {
            float v = y.data()[i];
            out[i] = v < 0 ? alpha.data()[broadcastIndex(i, y.shape(), alpha.shape())] * v : v;
        }
        return new Tensor(y.shape(), out);
    }

    /** The flat index into a tensor of shape {@code from} that element {@code flat} of shape {@code to} reads. */
    private static int broadcastIndex(int flat, int[] to, int[] from) {
        int index = 0;
        int stride = 1;
        int rest = flat;
        for (int a = to.length - 1, f = from.length - 1; a >= 0; a--, f--) {
            int coord = rest % to[a];
            rest /= to[a];
            if (f >= 0) {
                if (from[f] != 1) {
                    index += coord * stride;
                }
                stride *= from[f];
            }
        }
        return index;
    }

    // ---------------------------------------------------------------- checks

    /** The spec resolved the padding, output size and channels that tfjs computed. */
    private static void assertGeometry(Case c, ConvSpec spec) {
        Map<String, Object> want = c.resolved();
        int[] before = spec.padBefore();
        int[] after = spec.padAfter();
        int[] out = spec.outputSpatial();
        int[] k = spec.kernel();
        int[] d = spec.dilation();
        Map<String, Integer> got = new LinkedHashMap<>();
        got.put("pad_top", before[0]);
        got.put("pad_bottom", after[0]);
        got.put("pad_left", before[1]);
        got.put("pad_right", after[1]);
        got.put("out_height", out[0]);
        got.put("out_width", out[1]);
        got.put("out_channels", spec.outChannels());
        got.put("effective_filter_height", (k[0] - 1) * d[0] + 1);
        got.put("effective_filter_width", (k[1] - 1) * d[1] + 1);
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String key : got.keySet()) {
            expected.put(key, toInt(want.get(key), c.id() + " resolved." + key));
        }
        assertEquals(expected, got, c.id() + ": resolved geometry (spec " + spec + ")");
    }

    /**
     * Compares one output element-wise: |got - want| <= max(abs, rel * |want|), with {@code want}
     * rounded to float32 first when {@code float32}. Lists the first mismatches with their index, so
     * a failure says where without a debugger. {@code tally}, when given, records the largest diff.
     */
    private static void assertOutput(Case c, String name, String against, Object wantJson, boolean float32,
                                     Result r, double abs, double rel, Tally tally) {
        Tensor got = r.outputs().get(name);
        assertNotNull(got, c.id() + ": the test produces no '" + name + "' for op " + c.op());
        Map<String, Object> w = obj(wantJson, c.id() + " " + against + "." + name);
        int[] wantShape = ints(w.get("shape"), c.id() + " " + name + ".shape");
        double[] want = doubles(w.get("data"), c.id() + " " + name + ".data");
        if (float32) {
            for (int i = 0; i < want.length; i++) {
                want[i] = (float) want[i];
            }
        }
        String what = c.id() + " " + name + " vs " + against;
        assertArrayEquals(wantShape, got.shape(), what + ": shape");
        assertEquals(want.length, got.data().length, what + ": length");

        List<String> mismatches = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs((double) got.data()[i] - want[i]);
            if (tally != null && diff > tally.maxTfjsDiff) {
                tally.maxTfjsDiff = diff;
                tally.maxTfjsDiffAt = c.id() + " " + name + "[" + i + "]";
            }
            double tol = Math.max(abs, rel * Math.abs(want[i]));
            if (!(diff <= tol)) { // also catches NaN
                count++;
                if (mismatches.size() < MISMATCHES_SHOWN) {
                    String wanted = float32 ? Float.toString((float) want[i]) : Double.toString(want[i]);
                    mismatches.add(String.format(Locale.ROOT, "[%d] %s: expected %s, got %s (diff %.3g > tol %.3g)",
                            i, Arrays.toString(unravel(i, wantShape)), wanted, got.data()[i], diff, tol));
                }
            }
        }
        if (count > 0) {
            fail(what + ": " + count + " of " + want.length + " values differ"
                    + (count > mismatches.size() ? " (first " + mismatches.size() + " shown)" : "") + ":\n  "
                    + String.join("\n  ", mismatches));
        }
    }

    /** The multi-index of flat index {@code flat} in a row-major tensor of {@code shape}. */
    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }

    /** Counters shared by the cases of one run (they run one after another on one thread). */
    private static final class Tally {
        int ran;
        int passed;
        double maxTfjsDiff;
        String maxTfjsDiffAt = "none";
    }

    // ---------------------------------------------------------------- the cases file

    /** A tensor as the file writes it: shape and row-major data (float32 values). */
    private record Tensor(int[] shape, float[] data) {
    }

    /** One case of the file, with typed access to what the helpers need. */
    private record Case(String id, String op, Layout layout, Map<String, Object> attrs, Map<String, Object> resolved,
                        Map<String, Object> inputs, Map<String, Object> expected, Map<String, Object> tfjsOutputs) {

        static Case of(Map<String, Object> json) {
            String id = (String) json.get("id");
            String format = (String) json.get("data_format");
            // NCHW means x, dy and y are channels-first; filters keep the TF layout either way.
            Layout layout = switch (format) {
                case "NHWC" -> Layout.CHANNELS_LAST;
                case "NCHW" -> Layout.CHANNELS_FIRST;
                default -> throw new AssertionError(id + ": unknown data_format " + format);
            };
            return new Case(id, (String) json.get("op"), layout, obj(json.get("attrs"), id + ".attrs"),
                    obj(json.get("resolved"), id + ".resolved"), obj(json.get("inputs"), id + ".inputs"),
                    obj(json.get("expected"), id + ".expected"), obj(json.get("tfjs_cpu_output"), id + ".tfjs_cpu_output"));
        }

        String displayName() {
            return id + " " + op + (layout == Layout.CHANNELS_FIRST ? " (NCHW)" : "");
        }

        Tensor input(String name) {
            Map<String, Object> t = obj(inputs.get(name), id + " input " + name);
            double[] d = doubles(t.get("data"), id + " " + name + ".data");
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return new Tensor(ints(t.get("shape"), id + " " + name + ".shape"), f);
        }

        /** A builder with the case's input shape, kernel size, strides, dilations and padding. */
        ConvSpec.Builder builder(Tensor x, Tensor filter) {
            return ConvSpec.builder(layout, x.shape())
                    .kernel(filter.shape()[0], filter.shape()[1])
                    .stride(ints(attrs.get("strides"), id + " strides"))
                    .dilation(ints(attrs.get("dilations"), id + " dilations"))
                    .padding(padding());
        }

        /**
         * {@code "same"}, {@code "valid"}, a number p (p on all four sides), or explicit rows
         * {@code [[0,0],[top,bottom],[left,right],[0,0]]} (NHWC) /
         * {@code [[0,0],[0,0],[top,bottom],[left,right]]} (NCHW). Only the two spatial rows are read,
         * as tfjs does: up_16 (from the upstream test) carries [0,1] in its channel row, which tfjs
         * ignores (its resolved padding shows only the width row applied).
         */
        Padding padding() {
            Object pad = attrs.get("pad");
            if (pad instanceof String s) {
                return switch (s) {
                    case "same" -> Padding.same();
                    case "valid" -> Padding.valid();
                    default -> throw new AssertionError(id + ": unknown pad '" + s + "'");
                };
            }
            if (pad instanceof Double p) {
                return Padding.of(toInt(p, id + " pad"));
            }
            List<Object> rows = list(pad, id + " pad");
            int h = layout == Layout.CHANNELS_LAST ? 1 : 2;
            int[] height = ints(rows.get(h), id + " pad height row");
            int[] width = ints(rows.get(h + 1), id + " pad width row");
            return Padding.explicit(new int[] {height[0], width[0]}, new int[] {height[1], width[1]});
        }

        /** The name of the fused activation; a case without one is linear. */
        String activationName() {
            Object a = attrs.get("activation");
            return a == null ? "linear" : (String) a;
        }

        /** The fused activation, for every name but prelu (applied test-side). */
        Activation activation() {
            return switch (activationName()) {
                case "linear" -> Activation.NONE;
                case "relu" -> Activation.RELU;
                case "sigmoid" -> Activation.SIGMOID;
                case "leakyrelu" -> Activation.leakyRelu(
                        (float) (double) (Double) attrs.get("leakyrelu_alpha"));
                default -> throw new AssertionError(id + ": no library activation for '" + activationName() + "'");
            };
        }

        /**
         * The bias, or null when the case has none. tfjs broadcasts a scalar bias (shape []) over
         * the output channels; the library takes one value per channel, so the test broadcasts it.
         */
        float[] bias(int outChannels) {
            if (!inputs.containsKey("bias")) {
                return null;
            }
            Tensor b = input("bias");
            if (b.shape().length == 0) {
                float[] full = new float[outChannels];
                Arrays.fill(full, b.data()[0]);
                return full;
            }
            return b.data();
        }
    }

    private static List<Case> loadCases() throws IOException {
        String text;
        try (InputStream in = TfjsCasesTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "test resource " + RESOURCE + " is missing");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        for (Object c : list(Json.parseObject(text).get("cases"), RESOURCE + " cases")) {
            cases.add(Case.of(obj(c, RESOURCE + " case")));
        }
        return cases;
    }

    // ---------------------------------------------------------------- JSON access

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new AssertionError(what + ": expected a JSON object, got " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String what) {
        if (!(o instanceof List)) {
            throw new AssertionError(what + ": expected a JSON array, got " + o);
        }
        return (List<Object>) o;
    }

    private static int toInt(Object o, String what) {
        if (!(o instanceof Double d) || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new AssertionError(what + ": expected an integer, got " + o);
        }
        return (int) (double) d;
    }

    private static int[] ints(Object o, String what) {
        List<Object> l = list(o, what);
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = toInt(l.get(i), what + "[" + i + "]");
        }
        return r;
    }

    private static double[] doubles(Object o, String what) {
        List<Object> l = list(o, what);
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Double d)) {
                throw new AssertionError(what + "[" + i + "]: expected a number, got " + l.get(i));
            }
            r[i] = d;
        }
        return r;
    }
}

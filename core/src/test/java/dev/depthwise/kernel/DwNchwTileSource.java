package dev.depthwise.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The source of the stride-1 channels-first tiles {@code DwNchw3x3s1w2} to {@code w8}, which differ
 * only in how many strips they walk: one template here instead of seven hand-kept copies. A test
 * holds the files in {@code src/main} to it ({@link DwNchwTileSourceTest}); after changing the
 * template, rewrite them with {@code main} (run from the {@code core} module's folder, or give it
 * that folder).
 */
final class DwNchwTileSource {
    /** The narrowest and widest tiles written from the template (w1 has one strip for both edges). */
    static final int FIRST = 2;
    static final int LAST = 8;

    private DwNchwTileSource() {
    }

    /** Where the tile of {@code strips} strips lives, under the {@code core} module's folder. */
    static Path file(Path core, int strips) {
        return core.resolve("src/main/java/dev/depthwise/kernel/DwNchw3x3s1w" + strips + ".java");
    }

    /** Rewrites every tile's file from the template. */
    public static void main(String[] args) throws IOException {
        Path core = Path.of(args.length > 0 ? args[0] : ".");
        for (int n = FIRST; n <= LAST; n++) {
            Files.writeString(file(core, n), source(n));
        }
    }

    /** The Java source of the tile of {@code n} strips. */
    static String source(int n) {
        int last = n - 1;
        StringBuilder s = new StringBuilder();
        s.append("""
                package dev.depthwise.kernel;

                import static dev.depthwise.kernel.VecSpecies.F;
                import static dev.depthwise.kernel.VecSpecies.LEN;
                import static jdk.incubator.vector.VectorOperators.GT;
                import static jdk.incubator.vector.VectorOperators.LT;

                import jdk.incubator.vector.FloatVector;
                import jdk.incubator.vector.VectorMask;

                /**
                 * The tile of {@link DwNchw3x3s1} %1$d column vectors wide (%1$d*LEN output columns): %1$d strips walk down
                 * the plane together, one input row at a time, so memory is read and written row after row. The
                 * first strip is the row's left edge and the last its right edge (the columns they load outside the
                 * input are zeroed, the last one's store is masked to the output's); the strips between lie inside
                 * the input and load and store plainly. Written by DwNchwTileSource (test sources) from the
                 * template of w2 to w8: change that, not this file.
                 */
                final class DwNchw3x3s1w%1$d {
                    private DwNchw3x3s1w%1$d() {
                    }

                    /**
                     * Output rows {@code [rowFrom, rowTo)} of the strips starting at output columns {@code o0..o%2$d} of
                     * the plane at {@code yPlane} (rows of outW), from the input plane at {@code xPlane} (inH rows of
                     * inW): tap column 0 of output column ow at input column ow - padW, tap row 0 of output row oh at
                     * input row oh - padH; weight (j, l) at {@code f[fo + j*fH + l*fW]}; outputs clamped to {@code [lo,
                     * hi]} (unless both are infinite). Rows of padding read {@code zero} (zeros, at least o%2$d + LEN + 2
                     * of them): the loop has no branch.
                     */
                    static void rows(float[] x, int xPlane, int inH, int inW, int padH, int padW, float[] zero, float[] f, int fo,
                                     int fH, int fW, float b, float lo, float hi, float[] y, int yPlane, int outW, int o0, int o1,
                """.formatted(n, last));
        List<String> rest = new ArrayList<>();
        for (int k = 2; k < n; k++) {
            rest.add("int o" + k);
        }
        rest.add("int rowFrom");
        rest.add("int rowTo) {");
        s.append("                     ").append(String.join(", ", rest)).append('\n');
        s.append("""
                        VectorMask<Float> l0 = DwNchwStrips.outside(o0 - padW, inW), l1 = DwNchwStrips.outside(o0 - padW + 1, inW);
                        VectorMask<Float> l2 = DwNchwStrips.outside(o0 - padW + 2, inW);
                        VectorMask<Float> r0 = DwNchwStrips.outside(o%1$d - padW, inW);
                        VectorMask<Float> r1 = DwNchwStrips.outside(o%1$d - padW + 1, inW);
                        VectorMask<Float> r2 = DwNchwStrips.outside(o%1$d - padW + 2, inW);
                        VectorMask<Float> ro = DwNchwStrips.inside(o%1$d, outW);
                        FloatVector w0 = FloatVector.broadcast(F, f[fo]);
                        FloatVector w1 = FloatVector.broadcast(F, f[fo + fW]);
                        FloatVector w2 = FloatVector.broadcast(F, f[fo + 2 * fW]);
                        FloatVector w3 = FloatVector.broadcast(F, f[fo + fH]);
                        FloatVector w4 = FloatVector.broadcast(F, f[fo + fH + fW]);
                        FloatVector w5 = FloatVector.broadcast(F, f[fo + fH + 2 * fW]);
                        FloatVector w6 = FloatVector.broadcast(F, f[fo + 2 * fH]);
                        FloatVector w7 = FloatVector.broadcast(F, f[fo + 2 * fH + fW]);
                        FloatVector w8 = FloatVector.broadcast(F, f[fo + 2 * fH + 2 * fW]);
                        FloatVector vb = FloatVector.broadcast(F, b);
                        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
                        // Per strip k, ak and bk are output rows oh and oh + 1 while input row oh - padH + 2 goes in
                        // (their tap rows 2 and 1); the row's tap row 0 starts output row oh + 2. The first two rounds
                        // only fill ak and bk: they store into row rowFrom, which round rowFrom then overwrites.
                """.formatted(last));
        // the accumulators, four strips a line
        for (int k0 = 0; k0 < n; k0 += 4) {
            List<String> pairs = new ArrayList<>();
            for (int k = k0; k < Math.min(n, k0 + 4); k++) {
                pairs.add("a" + k + " = vb, b" + k + " = vb");
            }
            s.append("        FloatVector ").append(String.join(", ", pairs)).append(";\n");
        }
        s.append("""
                        FloatVector u, v, t, c;
                        for (int oh = rowFrom - 2; oh < rowTo; oh++) {
                            int h = oh - padH + 2;
                            boolean in = h >= 0 && h < inH;
                            float[] s = in ? x : zero;
                            int q = in ? xPlane + h * inW - padW : 0;
                            int yo = yPlane + Math.max(oh, rowFrom) * outW;
                """);
        for (int k = 0; k < n; k++) {
            String edge = k == 0 ? "l" : k == last ? "r" : null;
            for (int tap = 0; tap < 3; tap++) {
                String name = "uvt".substring(tap, tap + 1);
                s.append("            ").append(name).append(" = FloatVector.fromArray(F, s, q + o").append(k)
                        .append(tap == 0 ? "" : " + " + tap).append(')')
                        .append(edge == null ? "" : ".blend(0f, " + edge + tap + ")").append(";\n");
            }
            s.append("""
                                a%1$d = t.fma(w8, v.fma(w7, u.fma(w6, a%1$d)));
                                b%1$d = t.fma(w5, v.fma(w4, u.fma(w3, b%1$d)));
                                c = t.fma(w2, v.fma(w1, u.fma(w0, vb)));
                                u = clamp ? a%1$d.blend(lo, a%1$d.compare(LT, lo)).blend(hi, a%1$d.compare(GT, hi)) : a%1$d;
                                u.intoArray(y, yo + o%1$d%2$s);
                                a%1$d = b%1$d;
                                b%1$d = c;
                    """.formatted(k, k == last ? ", ro" : ""));
        }
        s.append("""
                        }
                    }
                }
                """);
        return s.toString();
    }
}

package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.run;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.cli.OpCli.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code depthwise summary MODEL}: every zoo model runs, the totals are the published ones (the
 * values core's {@code PaperCountsTest} asserts), {@code --json} is valid JSON that agrees with the
 * text, and bad hyper-parameters are one-line usage errors.
 */
class SummaryCommandTest {

    /** The issue's model names: five architectures and their {@code -full} twins. */
    static final List<String> MODELS = List.of("mobilenet-v1", "mobilenet-v1-full", "mobilenet-v2",
            "mobilenet-v2-full", "xception", "xception-full", "shufflenet-v1", "shufflenet-v1-full", "effnet",
            "effnet-full");

    /** The totals block of the text output. */
    record Totals(long total, long trainable, long nonTrainable, long multAdds, String totalShort,
                  String multAddsShort) {
    }

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total params: ([\\d,]+) \\(([^)]+)\\)$");
    private static final Pattern TRAINABLE = Pattern.compile("(?m)^Trainable params: ([\\d,]+)$");
    private static final Pattern NON_TRAINABLE = Pattern.compile("(?m)^Non-trainable params: ([\\d,]+)$");
    private static final Pattern MULT_ADDS = Pattern.compile("(?m)^Total mult-adds: ([\\d,]+) \\(([^)]+)\\)$");

    private static Result summary(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "summary";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all);
    }

    /** Runs {@code summary ARGS}, asserts it succeeded quietly, and returns its stdout. */
    private static String ok(String... args) {
        Result r = summary(args);
        assertEquals(0, r.code(), "summary " + String.join(" ", args) + "\n" + r.describe());
        assertEquals("", r.err(), "stderr of summary " + String.join(" ", args));
        return r.out();
    }

    private static Matcher find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "no line matching " + p + " in:\n" + text);
        return m;
    }

    private static long grouped(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    static Totals totals(String text) {
        Matcher t = find(TOTAL, text);
        Matcher m = find(MULT_ADDS, text);
        return new Totals(grouped(t.group(1)), grouped(find(TRAINABLE, text).group(1)),
                grouped(find(NON_TRAINABLE, text).group(1)), grouped(m.group(1)), t.group(2), m.group(2));
    }

    /** The layer names of the text table, in order: the rows between the two rules of '='. */
    static List<String> layerNames(String text) {
        List<String> lines = text.lines().toList();
        int first = -1;
        int second = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isEmpty() && lines.get(i).chars().allMatch(c -> c == '=')) {
                if (first < 0) {
                    first = i;
                } else {
                    second = i;
                    break;
                }
            }
        }
        assertTrue(first > 0 && second > first, "no layer table in:\n" + text);
        List<String> names = new ArrayList<>();
        for (String row : lines.subList(first + 1, second)) {
            int paren = row.indexOf(" (");
            assertTrue(paren > 0, "not a layer row: " + row);
            names.add(row.substring(0, paren));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) assertInstanceOf(Map.class, o);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) assertInstanceOf(List.class, o);
    }

    private static long integer(Object o) {
        return assertInstanceOf(Long.class, o);
    }

    /** The papers' parameter count from the JSON layers: every parameter but batch norm's. */
    private static long paperParams(Map<String, Object> json) {
        long p = 0;
        for (Object l : list(json.get("layers"))) {
            Map<String, Object> layer = map(l);
            if (!"BatchNormalization".equals(layer.get("type"))) {
                p += integer(layer.get("params"));
            }
        }
        return p;
    }

    private static long breakdownMultAdds(Map<String, Object> json, String type) {
        for (Object b : list(json.get("breakdown"))) {
            if (type.equals(map(b).get("type"))) {
                return integer(map(b).get("mult_adds"));
            }
        }
        throw new AssertionError("no breakdown row '" + type + "' in " + json.get("breakdown"));
    }

    // ---- every model --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet-v1", "mobilenet-v1-full", "mobilenet-v2", "mobilenet-v2-full", "xception",
        "xception-full", "shufflenet-v1", "shufflenet-v1-full", "effnet", "effnet-full"})
    void everyModelPrintsItsTableAndTotals(String model) {
        String out = ok(model);
        assertTrue(out.startsWith("Model: \""), out);
        assertTrue(out.contains("Layer (type)") && out.contains("Output Shape") && out.contains("Param #")
                && out.contains("Mult-Adds"), out);
        Totals t = totals(out);
        assertTrue(t.total() > 0 && t.multAdds() > 0, t.toString());
        assertEquals(t.total(), t.trainable() + t.nonTrainable(), "total = trainable + non-trainable: " + t);
        assertTrue(out.contains("By layer type"), out);
        assertTrue(layerNames(out).size() > 10, "layers of " + model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet-v1", "mobilenet-v2", "xception", "shufflenet-v1", "effnet"})
    void fullTwinCostsMoreThanTheSeparableModel(String model) {
        Totals separable = totals(ok(model));
        Totals full = totals(ok(model + "-full"));
        assertTrue(full.total() > separable.total(), model + ": params " + separable + " vs full " + full);
        assertTrue(full.multAdds() > 3 * separable.multAdds(), model + ": mult-adds " + separable + " vs full " + full);
    }

    @Test
    void modelNamesAreCaseInsensitive() {
        assertEquals(ok("mobilenet-v1"), ok("MobileNet-V1"));
    }

    // ---- published totals (the values of core's PaperCountsTest) -------------------------------

    @Test
    void mobileNetV1MatchesKerasAndThePaper() {
        Totals t = totals(ok("mobilenet-v1"));
        assertEquals(4_253_864, t.total());
        assertEquals(4_231_976, t.trainable());
        assertEquals(21_888, t.nonTrainable());
        assertEquals("4.25M", t.totalShort());
        // the paper's 569M is 568.74M rounded (PaperCountsTest)
        assertEquals(568.74, Math.round(t.multAdds() / 1e4) / 100.0, "mult-adds " + t.multAdds());
        assertEquals("568.7M", t.multAddsShort());
    }

    @Test
    void mobileNetV1FullMatchesTable4() {
        Totals t = totals(ok("mobilenet-v1-full"));
        assertEquals(4_867_293_184L, t.multAdds());
        double ratio = (double) t.multAdds() / totals(ok("mobilenet-v1")).multAdds();
        assertTrue(ratio > 8 && ratio < 9, "\"8 to 9 times less computation\": " + ratio);
    }

    @Test
    void mobileNetV1Resolution160() {
        assertEquals(290_675_200, totals(ok("mobilenet-v1", "--resolution", "160")).multAdds());
    }

    @Test
    void mobileNetV2MatchesKeras() {
        Totals t = totals(ok("mobilenet-v2"));
        assertEquals(3_538_984, t.total());
        assertEquals(3_504_872, t.trainable());
        assertEquals(34_112, t.nonTrainable());
        assertEquals(300_774_272, t.multAdds());
        assertEquals(2_663_064, totals(ok("mobilenet-v2", "--alpha", "0.75")).total());
        assertEquals(1_987_224, totals(ok("mobilenet-v2", "--alpha", "0.5")).total());
    }

    @Test
    void xceptionMatchesKeras() {
        Totals t = totals(ok("xception"));
        assertEquals(22_910_480, t.total());
        assertEquals(22_855_952, t.trainable());
        assertEquals(54_528, t.nonTrainable());
    }

    @Test
    void shuffleNetDefaultIsG3At1x() {
        Totals t = totals(ok("shufflenet-v1"));
        assertEquals(137_460_672, t.multAdds());
        assertEquals(1.9, Math.round(t.trainable() / 1e5) / 10.0);
        // released models: 2x g=3 524 MFLOPs, 0.5x g=8 40 MFLOPs
        assertEquals(524, Math.round(totals(ok("shufflenet-v1", "--scale", "2")).multAdds() / 1e6));
        assertEquals(40, Math.round(totals(ok("shufflenet-v1", "--groups", "8", "--scale", "0.5")).multAdds() / 1e6));
    }

    @Test
    void effNetMatchesTheHandCount() {
        // PaperCountsTest's hand count: per block 1x1 conv c*in, two depthwise 3*in, 2x1 conv 2*in*out, four BNs
        long blocks = (3 * 32 + 6 * 32 + 2 * 32 * 64 + 4 * (3 * 32 + 64))
                + (64 * 64 + 6 * 64 + 2 * 64 * 128 + 4 * (3 * 64 + 128))
                + (128 * 128 + 6 * 128 + 2 * 128 * 256 + 4 * (3 * 128 + 256));
        long classifier = 4 * 4 * 256 * 10 + 10;
        assertEquals(blocks + classifier, totals(ok("effnet")).total());
    }

    /**
     * The issue's example. Parameters do not depend on the resolution; every convolution's output
     * area shrinks by (192/224)^2 = 36/49 exactly (96..6 against 112..7), the classifier's does not;
     * and at 224 alpha 0.75 is the paper's Table 6 row: 2.6M parameters, 325M mult-adds.
     */
    @Test
    void issueExampleAlpha075Resolution192() {
        String out = ok("mobilenet-v1", "--alpha", "0.75", "--resolution", "192");
        assertTrue(out.startsWith("Model: \"mobilenet_0.75_192\""), out);
        assertTrue(out.contains("(None, 192, 192, 3)"), out);
        Totals at192 = totals(out);
        Totals at224 = totals(ok("mobilenet-v1", "--alpha", "0.75"));
        assertEquals(at224.total(), at192.total(), "parameters do not depend on the resolution");
        assertEquals(at224.trainable(), at192.trainable());

        Map<String, Object> j192 = MiniJson.object(ok("mobilenet-v1", "--alpha", "0.75", "--resolution", "192",
                "--json"));
        Map<String, Object> j224 = MiniJson.object(ok("mobilenet-v1", "--alpha", "0.75", "--json"));
        long fc = breakdownMultAdds(j192, "Fully Connected");
        assertEquals(768L * 1000, fc, "classifier: int(1024 * 0.75) inputs, 1000 outputs");
        assertEquals(fc, breakdownMultAdds(j224, "Fully Connected"));
        assertEquals((at224.multAdds() - fc) * 36, (at192.multAdds() - fc) * 49,
                "convolution mult-adds scale by (192/224)^2: " + at192.multAdds() + " vs " + at224.multAdds());
        assertEquals(325, Math.round(at224.multAdds() / 1e6), "Table 6, alpha 0.75");
        assertEquals(2.6, Math.round(paperParams(j224) / 1e5) / 10.0, "Table 6, alpha 0.75");
    }

    // ---- --json ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet-v1", "mobilenet-v1-full", "mobilenet-v2", "mobilenet-v2-full", "xception",
        "xception-full", "shufflenet-v1", "shufflenet-v1-full", "effnet", "effnet-full"})
    void jsonAgreesWithTheText(String model) {
        String text = ok(model);
        String out = ok(model, "--json");
        assertEquals(1, out.lines().count(), "one line: " + out);
        assertTrue(out.endsWith("\n"), "ends with a newline");
        Map<String, Object> j = MiniJson.object(out);

        Totals t = totals(text);
        Map<String, Object> params = map(j.get("params"));
        assertAll(
                () -> assertEquals(t.total(), integer(params.get("total")), "params.total"),
                () -> assertEquals(t.trainable(), integer(params.get("trainable")), "params.trainable"),
                () -> assertEquals(t.nonTrainable(), integer(params.get("non_trainable")), "params.non_trainable"),
                () -> assertEquals(t.multAdds(), integer(j.get("mult_adds")), "mult_adds"));
        assertTrue(text.startsWith("Model: \"" + j.get("model") + "\""), "model " + j.get("model"));

        List<Object> layers = list(j.get("layers"));
        List<String> names = new ArrayList<>();
        long sumParams = 0;
        long sumTrainable = 0;
        long sumMultAdds = 0;
        for (Object o : layers) {
            Map<String, Object> l = map(o);
            names.add((String) l.get("name"));
            assertTrue(l.get("type") instanceof String, "type of " + l);
            list(l.get("output_shape"));
            list(l.get("inputs"));
            long p = integer(l.get("params"));
            assertEquals(p, integer(l.get("trainable_params")) + integer(l.get("non_trainable_params")),
                    "params of " + l.get("name"));
            sumParams += p;
            sumTrainable += integer(l.get("trainable_params"));
            sumMultAdds += integer(l.get("mult_adds"));
        }
        assertEquals(layerNames(text), names, "the JSON layers are the text's rows");
        assertEquals(t.total(), sumParams, "sum of the layers' params");
        assertEquals(t.trainable(), sumTrainable, "sum of the layers' trainable params");
        assertEquals(t.multAdds(), sumMultAdds, "sum of the layers' mult-adds");
        assertEquals(map(layers.get(0)).get("output_shape"), j.get("input_shape"), "input_shape");
        assertEquals(map(layers.get(layers.size() - 1)).get("output_shape"), j.get("output_shape"), "output_shape");

        long breakdown = 0;
        for (Object b : list(j.get("breakdown"))) {
            breakdown += integer(map(b).get("mult_adds"));
        }
        assertEquals(t.multAdds(), breakdown, "the breakdown adds up to the total mult-adds");
    }

    @Test
    void jsonTakesTheHyperParameters() {
        Map<String, Object> j = MiniJson.object(ok("mobilenet-v1", "--alpha", "0.75", "--resolution", "192",
                "--classes", "10", "--json"));
        assertEquals(List.of(192L, 192L, 3L), j.get("input_shape"));
        assertEquals(List.of(10L), j.get("output_shape"));
        Map<String, Object> s = MiniJson.object(ok("shufflenet-v1", "--groups", "8", "--scale", "0.5", "--json"));
        assertEquals(40, Math.round(integer(s.get("mult_adds")) / 1e6));
    }

    // ---- errors ----------------------------------------------------------------------------------

    /**
     * Asserts a usage error: exit 2, stdout empty, one line on stderr starting {@code depthwise: }
     * and holding every fragment, no stack trace.
     */
    static void assertUsageError(Result r, String... fragments) {
        assertEquals(2, r.code(), r.describe());
        assertEquals("", r.out(), "stdout of a failed run");
        assertTrue(r.err().startsWith("depthwise: "), r.describe());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "stack trace: " + r.err());
    }

    @Test
    void unknownModel() {
        Result r = summary("resnet-50");
        assertUsageError(r, "unknown model", "'resnet-50'");
        for (String name : MODELS) {
            assertTrue(r.err().contains(name), "the error lists the known models: " + r.err());
        }
        assertUsageError(summary("mobilenet-v3", "--json"), "unknown model", "'mobilenet-v3'");
        assertUsageError(summary("mobilenet-v1-ful"), "unknown model", "'mobilenet-v1-ful'");
    }

    @Test
    void alphaMustBePositive() {
        assertUsageError(summary("mobilenet-v1", "--alpha", "0"), "mobilenet-v1", "alpha", "> 0", "got 0");
        assertUsageError(summary("mobilenet-v1", "--alpha", "-1"), "mobilenet-v1", "alpha", "> 0", "got -1");
        assertUsageError(summary("mobilenet-v2", "--alpha", "0", "--json"), "mobilenet-v2", "alpha", "got 0");
        assertUsageError(summary("mobilenet-v2-full", "--alpha", "-0.5"), "alpha", "got -0.5");
        assertUsageError(summary("mobilenet-v1", "--alpha", "NaN"), "alpha", "NaN");
        assertUsageError(summary("mobilenet-v1", "--alpha", "Infinity"), "alpha", "Infinity");
    }

    @Test
    void alphaThatLeavesNoChannel() {
        assertUsageError(summary("mobilenet-v1", "--alpha", "0.01"), "mobilenet-v1", "alpha", "0.01");
    }

    @Test
    void resolutionMustSuitTheArchitecture() {
        assertUsageError(summary("mobilenet-v1", "--resolution", "100"), "mobilenet-v1", "resolution", "32", "100");
        assertUsageError(summary("mobilenet-v1-full", "--resolution", "100"), "resolution", "100");
        assertUsageError(summary("mobilenet-v2", "--resolution", "100"), "mobilenet-v2", "resolution", "32", "100");
        assertUsageError(summary("shufflenet-v1", "--resolution", "100"), "resolution", "32", "100");
        assertUsageError(summary("effnet", "--resolution", "12"), "effnet", "resolution", "8", "12");
        assertUsageError(summary("xception", "--resolution", "31"), "xception", "resolution", "32", "31");
        assertUsageError(summary("mobilenet-v1", "--resolution", "0"), "resolution", "got 0");
        assertUsageError(summary("mobilenet-v1", "--resolution", "-224"), "resolution", "-224");
        // a resolution the architecture takes works
        assertTrue(totals(ok("effnet", "--resolution", "64")).multAdds() > totals(ok("effnet")).multAdds());
        ok("xception", "--resolution", "71");
    }

    @Test
    void resolutionTooLargeForAnyArray() {
        assertUsageError(summary("mobilenet-v1", "--resolution", "65536"), "65536");
    }

    @Test
    void otherBadHyperParameters() {
        assertUsageError(summary("xception", "--alpha", "0.5"), "xception", "alpha", "does not apply");
        assertUsageError(summary("effnet", "--groups", "3"), "effnet", "groups", "does not apply");
        assertUsageError(summary("shufflenet-v1", "--groups", "5"), "groups", "5");
        assertUsageError(summary("shufflenet-v1", "--scale", "0"), "scale", "got 0");
        assertUsageError(summary("mobilenet-v1", "--classes", "0"), "classes", "got 0");
    }

    /**
     * A width multiplier so large that the channel counts overflow {@code int}: it must be refused
     * naming the parameter. (Today mobilenet-v2 says "Conv2D: filters must be >= 1, got -2147483648",
     * which does not name alpha.)
     */
    @Test
    void hugeAlphaIsRefusedNamingAlpha() {
        assertUsageError(summary("mobilenet-v2", "--alpha", "1e9"), "alpha");
    }

    /**
     * A ShuffleNet scale whose stage widths overflow {@code int}: 214748365.8 * 240 / 12 = 2^32 + 20
     * wraps to 20 units, so stages of 240, 480 and 960 channels come out and the command prints a
     * plausible 1x-sized model with exit 0 instead of refusing the scale.
     */
    @Test
    void hugeScaleIsRefusedNotWrappedAround() {
        Result wrapped = summary("shufflenet-v1", "--scale", "214748365.8");
        assertEquals(2, wrapped.code(), () -> "exit " + wrapped.code() + "; printed: " + wrapped.out().lines()
                .filter(l -> l.startsWith("Model:") || l.startsWith("Total") || l.startsWith("stage4_unit4_relu "))
                .toList() + "; stderr: " + wrapped.err());
        assertUsageError(wrapped, "scale");
        assertUsageError(summary("shufflenet-v1", "--scale", "1e9"), "scale");
    }

    @Test
    void picocliErrorsAreUsageErrors() {
        Result missing = summary();
        assertEquals(2, missing.code(), missing.describe());
        assertTrue(missing.err().contains("MODEL"), missing.err());
        assertEquals("", missing.out());
        Result notANumber = summary("mobilenet-v1", "--alpha", "abc");
        assertEquals(2, notANumber.code(), notANumber.describe());
        assertTrue(notANumber.err().contains("--alpha") && notANumber.err().contains("abc"), notANumber.err());
        assertFalse(notANumber.err().contains("\tat "), notANumber.err());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Result r = summary("mobilenet-v1", "--alpha", "0", "--verbose");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().startsWith("depthwise: mobilenet-v1: alpha"), r.err());
        assertTrue(r.err().contains("\tat dev.depthwise."), r.err());
    }

    // ---- help ------------------------------------------------------------------------------------

    @Test
    void help() {
        Result r = summary("--help");
        assertEquals(0, r.code(), r.describe());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: depthwise summary"), r.out());
        for (String s : List.of("MODEL", "--alpha", "--resolution", "--classes", "--groups", "--scale", "--json",
                "depthwise summary mobilenet-v1 --alpha 0.75 --resolution 192")) {
            assertTrue(r.out().contains(s), s + " missing from\n" + r.out());
        }
        for (String name : MODELS) {
            assertTrue(r.out().contains(name), name + " missing from\n" + r.out());
        }
    }

    @Test
    void depthwiseHelpListsSummary() {
        Result r = run("--help");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("summary"), r.out());
    }
}

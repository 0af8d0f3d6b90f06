package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.run;
import static dev.depthwise.cli.SummaryCommandTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.cli.OpCli.Result;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code depthwise explain}: the numbers are the MobileNets paper's formulas, {@code --json} is valid
 * JSON that agrees with the text, {@code --chart} writes a readable PNG, and bad arguments are
 * one-line errors.
 */
class ExplainCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static Result explain(String... args) {
        List<String> all = new ArrayList<>(List.of("explain"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static String ok(String... args) {
        Result r = explain(args);
        assertEquals(0, r.code(), "explain " + String.join(" ", args) + "\n" + r.describe());
        assertEquals("", r.err(), "stderr of explain " + String.join(" ", args));
        return r.out();
    }

    private static String g(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) assertInstanceOf(Map.class, o);
    }

    private static long integer(Object o) {
        return assertInstanceOf(Long.class, o);
    }

    /** A JSON number as a double (integers are read as Long). */
    private static double number(Object o) {
        return assertInstanceOf(Number.class, o).doubleValue();
    }

    /** The params and mult-adds of a text row such as {@code "  standard convolution   18,432   231,211,008"}. */
    private static long[] row(String text, String label) {
        Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+([\\d,]+)\\s+([\\d,]+)$").matcher(text);
        assertTrue(m.find(), "no row '" + label + "' in:\n" + text);
        return new long[] {Long.parseLong(m.group(1).replace(",", "")), Long.parseLong(m.group(2).replace(",", ""))};
    }

    /** The issue's example, with the numbers worked out by hand. */
    @Test
    void issueExample() {
        String out = ok("--in", "112x112x32", "--out", "64", "--kernel", "3");
        // standard 3*3*32*64*112*112; separable 3*3*32*112*112 + 32*64*112*112
        assertArrayEquals(new long[] {18_432, 231_211_008}, row(out, "standard convolution"), out);
        assertArrayEquals(new long[] {2_336, 29_302_784}, row(out, "depthwise separable"), out);
        assertArrayEquals(new long[] {288, 3_612_672}, row(out, "depthwise 3x3"), out);
        assertArrayEquals(new long[] {2_048, 25_690_112}, row(out, "pointwise 1x1"), out);
        assertTrue(out.contains("output 112x112x64"), out);
        assertTrue(out.contains("= 0.1267 (measured)"), out);
        assertTrue(out.contains("1/64 + 1/9 = 0.1267"), out);
        assertTrue(out.contains("3*3*32*64*112*112 = 231,211,008"), out);

        Map<String, Object> j = MiniJson.object(ok("--in", "112x112x32", "--out", "64", "--kernel", "3", "--json"));
        assertEquals(231_211_008L, integer(map(j.get("standard")).get("mult_adds")));
        assertEquals(18_432L, integer(map(j.get("standard")).get("params")));
        assertEquals(29_302_784L, integer(map(j.get("separable")).get("mult_adds")));
        assertEquals(2_336L, integer(map(j.get("separable")).get("params")));
        assertEquals(0.1267, number(j.get("ratio")), 5e-5);
        assertEquals(1.0 / 64 + 1.0 / 9, number(j.get("ratio")), 1e-9);
    }

    @Test
    void kernelDefaultsToThree() {
        assertEquals(ok("--in", "112x112x32", "--out", "64", "--kernel", "3"), ok("--in", "112x112x32", "--out", "64"));
        assertEquals(ok("--in", "112x112x32", "--out", "64", "--kernel", "3"),
                ok("--in", "112x112x32", "--out", "64", "--kernel", "3x3"));
    }

    /**
     * The formulas with {@code same} padding ({@code Df = ceil(D / stride)}) and a depth multiplier
     * {@code d}: standard {@code Dk^2 M N Df^2} and {@code Dk^2 M N} params; depthwise
     * {@code Dk^2 M d Df^2} and {@code Dk^2 M d}; pointwise {@code M d N Df^2} and {@code M d N}; the
     * ratio {@code d (1/N + 1/Dk^2)}. Text and JSON must both hold them.
     */
    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}, k {4}, stride {5}, multiplier {6}")
    @CsvSource({
        "112, 112, 32, 64, 3, 1, 1",
        "112, 112, 32, 64, 3, 2, 1",
        "224, 224, 3, 32, 3, 2, 1",
        "7, 7, 1024, 1024, 3, 1, 1",
        "56, 28, 16, 24, 5, 2, 2",
        "15, 9, 8, 8, 3, 2, 1",
        "14, 14, 512, 512, 7, 1, 4",
        "1, 1, 1, 1, 1, 1, 1",
    })
    void numbersAreTheFormula(int h, int w, int m, int n, int k, int stride, int d) {
        long dfh = (h + stride - 1) / stride;
        long dfw = (w + stride - 1) / stride;
        long area = dfh * dfw;
        long stdParams = (long) k * k * m * n;
        long stdMacs = stdParams * area;
        long dwParams = (long) k * k * m * d;
        long dwMacs = dwParams * area;
        long pwParams = (long) m * d * n;
        long pwMacs = pwParams * area;
        double ratio = (double) (dwMacs + pwMacs) / stdMacs;
        double formula = d * (1.0 / n + 1.0 / (k * k));
        assertEquals(formula, ratio, 1e-12, "the paper's ratio is exact for these shapes");

        String[] args = {"--in", h + "x" + w + "x" + m, "--out", String.valueOf(n), "--kernel", String.valueOf(k),
            "--stride", String.valueOf(stride), "--multiplier", String.valueOf(d)};
        String text = ok(args);
        assertAll(
                () -> assertArrayEquals(new long[] {stdParams, stdMacs}, row(text, "standard convolution"), text),
                () -> assertArrayEquals(new long[] {dwParams + pwParams, dwMacs + pwMacs},
                        row(text, "depthwise separable"), text),
                () -> assertArrayEquals(new long[] {dwParams, dwMacs}, row(text, "depthwise " + k + "x" + k), text),
                () -> assertArrayEquals(new long[] {pwParams, pwMacs}, row(text, "pointwise 1x1"), text),
                () -> assertTrue(text.contains(String.format(Locale.ROOT, "output %dx%dx%d", dfh, dfw, n)), text),
                () -> assertTrue(text.contains(String.format(Locale.ROOT, "= %.4f (measured)", ratio)), text),
                () -> assertTrue(text.contains(String.format(Locale.ROOT, "= %.4f (the paper's formula)", formula)),
                        text));

        String[] jsonArgs = Arrays.copyOf(args, args.length + 1);
        jsonArgs[args.length] = "--json";
        String out = ok(jsonArgs);
        assertEquals(1, out.lines().count(), "one line: " + out);
        Map<String, Object> j = MiniJson.object(out);
        Map<String, Object> std = map(j.get("standard"));
        Map<String, Object> sep = map(j.get("separable"));
        assertAll(
                () -> assertEquals(stdParams, integer(std.get("params")), "standard.params"),
                () -> assertEquals(stdMacs, integer(std.get("mult_adds")), "standard.mult_adds"),
                () -> assertEquals(dwParams + pwParams, integer(sep.get("params")), "separable.params"),
                () -> assertEquals(dwMacs + pwMacs, integer(sep.get("mult_adds")), "separable.mult_adds"),
                () -> assertEquals(dwParams, integer(map(sep.get("depthwise")).get("params")), "depthwise.params"),
                () -> assertEquals(dwMacs, integer(map(sep.get("depthwise")).get("mult_adds")), "depthwise.mult_adds"),
                () -> assertEquals(pwParams, integer(map(sep.get("pointwise")).get("params")), "pointwise.params"),
                () -> assertEquals(pwMacs, integer(map(sep.get("pointwise")).get("mult_adds")), "pointwise.mult_adds"),
                () -> assertEquals(ratio, number(j.get("ratio")), 1e-9 * ratio, "ratio"),
                () -> assertEquals((double) (dwParams + pwParams) / stdParams, number(j.get("params_ratio")),
                        1e-9 * ratio, "params_ratio"),
                () -> assertEquals(formula, number(j.get("formula_ratio")), 1e-9 * formula, "formula_ratio"),
                () -> assertEquals(List.of((long) h, (long) w, (long) m), j.get("input"), "input"),
                () -> assertEquals(List.of(dfh, dfw, (long) n), j.get("output"), "output"),
                () -> assertEquals((long) k, j.get("kernel"), "kernel"),
                () -> assertEquals((long) stride, j.get("stride"), "stride"),
                () -> assertEquals((long) d, j.get("depth_multiplier"), "depth_multiplier"));
    }

    // ---- --chart ---------------------------------------------------------------------------------

    /** Asserts {@code file} is a PNG that ImageIO reads at a plausible size, and returns the image. */
    private static BufferedImage assertPng(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " was not written");
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > PNG_SIGNATURE.length, "empty " + file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), "PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "ImageIO cannot read " + file);
        assertTrue(image.getWidth() >= 300 && image.getWidth() <= 4000, "width " + image.getWidth());
        assertTrue(image.getHeight() >= 200 && image.getHeight() <= 4000, "height " + image.getHeight());
        return image;
    }

    @Test
    void chartWritesAPng() throws IOException {
        Path png = dir.resolve("cost.png");
        String[] args = {"--in", "112x112x32", "--out", "64", "--kernel", "3"};
        Result r = explain("--in", "112x112x32", "--out", "64", "--kernel", "3", "--chart", png.toString());
        assertEquals(0, r.code(), r.describe());
        assertEquals(ok(args), r.out(), "the text is the same with --chart");
        assertEquals("wrote " + png + System.lineSeparator(), r.err());
        BufferedImage image = assertPng(png);

        // the bars: the standard convolution's colour against the separable's two, ~7.9 times less area
        int standard = 0;
        int separable = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb == 0x4C72B0) {
                    standard++;
                } else if (rgb == 0xDD8452 || rgb == 0x55A868) {
                    separable++;
                }
            }
        }
        assertTrue(separable > 0, "no separable bar");
        assertTrue(standard > 5 * separable, "standard bars " + standard + " px, separable " + separable + " px");
    }

    @Test
    void chartWithJsonKeepsStdoutJson() throws IOException {
        Path png = dir.resolve("c.png");
        Result r = explain("--in", "56x56x128", "--out", "128", "--stride", "2", "--json", "--chart", png.toString());
        assertEquals(0, r.code(), r.describe());
        Map<String, Object> j = MiniJson.object(r.out());
        assertTrue(j.containsKey("standard") && j.containsKey("separable") && j.containsKey("ratio"), r.out());
        assertEquals("wrote " + png + System.lineSeparator(), r.err(), "only the note on stderr");
        assertPng(png);
    }

    @Test
    void chartReplacesAnExistingFile() throws IOException {
        Path png = dir.resolve("old.png");
        Files.write(png, new byte[1 << 20]);
        Result r = explain("--in", "7x7x1024", "--out", "1024", "--chart", png.toString());
        assertEquals(0, r.code(), r.describe());
        assertPng(png);
        assertTrue(Files.size(png) < 1 << 20, "the old content was not truncated: " + Files.size(png) + " bytes");
    }

    @Test
    void chartFolderMissing() {
        Path png = dir.resolve("no-such-folder").resolve("cost.png");
        Result r = explain("--in", "112x112x32", "--out", "64", "--chart", png.toString());
        assertEquals(Main.EXIT_FAILURE, r.code(), r.describe());
        assertTrue(r.err().startsWith("depthwise: "), r.describe());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(png.toString()), r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(png.getParent()), "the folder was created");
    }

    /**
     * {@code --chart} naming an existing, empty folder must be refused and leave the folder alone.
     * ImageIO.write(image, "png", file) calls {@code file.delete()} first, which removes an empty
     * folder; the command then writes the PNG in its place and exits 0.
     */
    @Test
    void chartPathIsAnEmptyFolder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("charts"));
        Result r = explain("--in", "112x112x32", "--out", "64", "--chart", folder.toString());
        assertAll(
                () -> assertTrue(Files.isDirectory(folder), "the folder " + folder + " was deleted"
                        + (Files.isRegularFile(folder) ? " and replaced by a " + Files.size(folder) + "-byte file" : "")),
                () -> assertTrue(r.code() == Main.EXIT_FAILURE || r.code() == Main.EXIT_USAGE, "exit " + r.code()
                        + "; stderr: " + r.err()),
                () -> assertTrue(r.err().startsWith("depthwise: ") && r.err().contains(folder.toString()),
                        "stderr: " + r.err()));
    }

    /**
     * {@code --chart} naming a folder that holds files: a one-line error naming the path and why, and
     * no stack trace. Today ImageIO prints the FileNotFoundException's trace itself, on the process's
     * System.err (not the command's writer), and the message says only "Can't create an
     * ImageOutputStream!", so this watches System.err too.
     */
    @Test
    void chartPathIsAFolderWithFiles() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("charts"));
        Files.writeString(folder.resolve("keep.txt"), "keep");
        PrintStream saved = System.err;
        ByteArrayOutputStream processErr = new ByteArrayOutputStream();
        Result r;
        try {
            System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
            r = explain("--in", "112x112x32", "--out", "64", "--chart", folder.toString());
        } finally {
            System.setErr(saved);
        }
        String leaked = processErr.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_FAILURE, r.code(), r.describe());
        assertTrue(r.err().startsWith("depthwise: "), r.describe());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(folder.toString()), r.err());
        assertTrue(Files.isRegularFile(folder.resolve("keep.txt")), "the folder's content was touched");
        assertAll(
                () -> assertEquals("", leaked.lines().limit(3).reduce("", (a, b) -> a + b + "\n"),
                        "printed on System.err without --verbose (first lines shown)"),
                () -> assertTrue(r.err().toLowerCase(Locale.ROOT).contains("director"),
                        "the error should say the path is a directory: " + r.err()));
    }

    // ---- errors ----------------------------------------------------------------------------------

    @Test
    void badInSpelling() {
        for (String in : List.of("112x112", "112*112*32", "112x112x32x1", "axbxc", "112x112x", "", "112,112,32")) {
            assertUsageError(explain("--in", in, "--out", "64"), "--in", "'" + in + "'", "HxWxM");
        }
        assertUsageError(explain("--in", "0x112x32", "--out", "64"), "--in", "'0x112x32'", ">= 1");
        assertUsageError(explain("--in", "112x-1x32", "--out", "64"), "--in", "'112x-1x32'");
    }

    @Test
    void outMustBePositive() {
        assertUsageError(explain("--in", "112x112x32", "--out", "0"), "--out", ">= 1", "got 0");
        assertUsageError(explain("--in", "112x112x32", "--out", "-3", "--json"), "--out", "-3");
    }

    @Test
    void kernelMustBePositiveAndSquare() {
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--kernel", "0"), "--kernel", "'0'", ">= 1");
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--kernel", "-3"), "--kernel", "'-3'");
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--kernel", "3x5"), "--kernel", "square", "3x5");
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--kernel", "3x3x3"), "--kernel", "'3x3x3'");
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--kernel", "three"), "--kernel", "'three'");
    }

    @Test
    void strideAndMultiplierMustBePositive() {
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--stride", "0"), "--stride", "got 0");
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--multiplier", "0"), "--multiplier", "got 0");
        assertUsageError(explain("--in", "112x112x32", "--out", "64", "--depth-multiplier", "-1"), "multiplier", "-1");
    }

    @Test
    void tooLargeForAnArray() {
        assertUsageError(explain("--in", "1000000x1000000x100000", "--out", "100000"), "1000000x1000000x100000");
    }

    @Test
    void badArgumentWritesNoChart() {
        Path png = dir.resolve("cost.png");
        assertUsageError(explain("--in", "112x112x32", "--out", "0", "--chart", png.toString()), "--out");
        assertFalse(Files.exists(png), "a chart was written by a failed run");
    }

    @Test
    void picocliErrorsAreUsageErrors() {
        Result noIn = explain("--out", "64");
        assertEquals(2, noIn.code(), noIn.describe());
        assertTrue(noIn.err().contains("--in"), noIn.err());
        assertEquals("", noIn.out());
        Result noOut = explain("--in", "112x112x32");
        assertEquals(2, noOut.code(), noOut.describe());
        assertTrue(noOut.err().contains("--out"), noOut.err());
        Result notANumber = explain("--in", "112x112x32", "--out", "many");
        assertEquals(2, notANumber.code(), notANumber.describe());
        assertTrue(notANumber.err().contains("--out") && notANumber.err().contains("many"), notANumber.err());
        assertFalse(notANumber.err().contains("\tat "), notANumber.err());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Result r = explain("--in", "112x112", "--out", "64", "--verbose");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().startsWith("depthwise: --in must be"), r.err());
        assertTrue(r.err().contains("\tat dev.depthwise."), r.err());
    }

    // ---- help ------------------------------------------------------------------------------------

    @Test
    void help() {
        Result r = explain("--help");
        assertEquals(0, r.code(), r.describe());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: depthwise explain"), r.out());
        for (String s : List.of("--in", "--out", "--kernel", "--stride", "--multiplier", "--json", "--chart",
                "1/N + 1/Dk^2", "depthwise explain --in 112x112x32 --out 64 --kernel 3")) {
            assertTrue(r.out().contains(s), s + " missing from\n" + r.out());
        }
    }

    @Test
    void depthwiseHelpListsExplain() {
        Result r = run("--help");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("explain"), r.out());
    }
}

package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.depthwise.io.NdArray;
import dev.depthwise.io.Npy;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;
import picocli.CommandLine;

/** Helpers shared by the {@code depthwise op} tests: run the command in-process, write and read .npy files. */
final class OpCli {
    /** Outputs are compared with the library's to this absolute tolerance. */
    static final float TOLERANCE = 1e-6f;

    static final Layout LAST = Layout.CHANNELS_LAST;
    static final Layout FIRST = Layout.CHANNELS_FIRST;
    static final FilterLayout OIHW = FilterLayout.OUT_IN_SPATIAL;
    static final Padding SAME = Padding.same();
    static final Padding CAUSAL = Padding.causal();

    private OpCli() {
    }

    /** One run of {@code command}, described by {@code label}; {@code body} runs in a folder of its own. */
    record Case(String command, String label, ThrowingConsumer<Path> body) {
        DynamicTest test(Path parent) {
            return dynamicTest(command + ": " + label, () -> body.accept(Files.createTempDirectory(parent, command)));
        }
    }

    /** What one run of the command gave: its exit code and everything it printed. */
    record Result(int code, String out, String err) {
        /** For assertion messages. */
        String describe() {
            return "exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    /** Runs {@code depthwise ARGS...} in-process with stdout and stderr captured. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Writes {@code data} of {@code shape} to {@code path} and returns the path. */
    static Path npy(Path path, int[] shape, float[] data) {
        return npy(path, new NdArray(shape, data));
    }

    /** Writes {@code array} to {@code path} and returns the path. */
    static Path npy(Path path, NdArray array) {
        try {
            Npy.write(path, array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    /** Reads the .npy file at {@code path}. */
    static NdArray read(Path path) {
        try {
            return Npy.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uniform values in [-2, 2) of {@code shape}: wide enough that relu6 clips and leaky_relu bends. */
    static NdArray random(Random rnd, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = rnd.nextFloat() * 4 - 2;
        }
        return new NdArray(shape, data);
    }

    /** Asserts {@code actual} has {@code expected}'s shape and values within {@link #TOLERANCE}. */
    static void assertArray(String what, NdArray expected, NdArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape())
                + ", expected " + Arrays.toString(expected.shape()));
        float[] e = expected.data();
        float[] a = actual.data();
        assertEquals(e.length, a.length, what + ": element count");
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= TOLERANCE)) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    /** The file an option's array goes to in {@code dir}: {@code --dfilter} -> {@code dfilter.npy}. */
    static Path file(Path dir, String option) {
        return dir.resolve(option.substring(2) + ".npy");
    }

    /**
     * Runs {@code depthwise op NAME} in {@code dir}: writes each of {@code inputs} (option to array) to a
     * file and passes it, passes {@code options}, asks for one output file per key of {@code expected},
     * and checks that it exits 0 quietly, writes each output with the expected shape and values, and
     * writes nothing else.
     */
    static void checkOp(Path dir, String name, Map<String, NdArray> inputs, Map<String, NdArray> expected,
                        String... options) {
        List<String> args = new ArrayList<>(List.of("op", name));
        inputs.forEach((option, array) -> {
            args.add(option);
            args.add(npy(file(dir, option), array).toString());
        });
        expected.keySet().forEach(option -> {
            args.add(option);
            args.add(file(dir, option).toString());
        });
        args.addAll(List.of(options));
        Result r = run(args.toArray(String[]::new));
        String command = String.join(" ", args).replace(dir + "/", "");
        assertEquals(0, r.code(), command + "\n" + r.describe());
        assertEquals("", r.err(), command);
        expected.forEach((option, array) -> assertArray(command + ": " + option, array, read(file(dir, option))));
        Set<String> wanted = new TreeSet<>();
        Stream.concat(inputs.keySet().stream(), expected.keySet().stream())
                .forEach(option -> wanted.add(file(dir, option).getFileName().toString()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> present.add(f.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(wanted, present, command + ": files in the folder afterwards");
    }

    /** A spec builder for an input of {@code inputShape} in {@code layout}. */
    static ConvSpec.Builder b(Layout layout, int... inputShape) {
        return ConvSpec.builder(layout, inputShape);
    }

    /** Explicit padding from before,after pairs per axis, as {@code --pad} spells them (T,B,L,R). */
    static Padding explicit(int... pairs) {
        int rank = pairs.length / 2;
        int[] before = new int[rank];
        int[] after = new int[rank];
        for (int a = 0; a < rank; a++) {
            before[a] = pairs[2 * a];
            after[a] = pairs[2 * a + 1];
        }
        return Padding.explicit(before, after);
    }

    /** The data of {@code arrays.get(option)}, or null if there is none. */
    static float[] data(Map<String, NdArray> arrays, String option) {
        NdArray a = arrays.get(option);
        return a == null ? null : a.data();
    }

    /** The entries of {@code all} named in {@code outputs} (space-separated options). */
    static Map<String, NdArray> pick(Map<String, NdArray> all, String outputs) {
        Map<String, NdArray> r = new LinkedHashMap<>();
        for (String option : outputs.split(" ")) {
            assertTrue(all.containsKey(option), "test bug: no expected value for " + option);
            r.put(option, all.get(option));
        }
        return r;
    }
}

package dev.depthwise.cli;

import dev.depthwise.nn.cost.CostComparison;
import dev.depthwise.spec.ShapeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise explain}: one layer's cost as a standard and as a depthwise-separable
 * convolution, side by side, with the MobileNets paper's formulas, the measured ratio and
 * {@code 1/N + 1/Dk^2}; optionally as a PNG bar chart.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Compare one layer's parameters and mult-adds as a standard convolution and as a "
                + "depthwise-separable one (depthwise Dk x Dk, then pointwise 1x1), padding same: the formulas "
                + "Dk*Dk*M*N*Df*Df vs Dk*Dk*M*Df*Df + M*N*Df*Df, the measured ratio and 1/N + 1/Dk^2.",
            "Parameters are kernel weights only (no biases), as in the paper."},
        footer = {"", "Example:", "  depthwise explain --in 112x112x32 --out 64 --kernel 3 --chart cost.png"})
final class ExplainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "HxWxM",
            description = "Input height, width and channels M, e.g. 112x112x32.")
    String in;

    @Option(names = "--out", required = true, paramLabel = "N", description = "Output channels N.")
    int out;

    @Option(names = "--kernel", defaultValue = "3", paramLabel = "Dk",
            description = "Kernel size Dk (square: 3 or 3x3). Default: ${DEFAULT-VALUE}.")
    String kernel;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "S", description = "Stride. Default: ${DEFAULT-VALUE}.")
    int stride;

    @Option(names = {"--multiplier", "--depth-multiplier"}, defaultValue = "1", paramLabel = "M",
            description = "Depth multiplier of the depthwise stage. Default: ${DEFAULT-VALUE}.")
    int multiplier;

    @Option(names = "--json", description = "Print one JSON object (standard and separable, each with params and "
            + "mult_adds; ratio, params_ratio, formula_ratio) instead of the text.")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.png",
            description = "Also write a PNG bar chart of parameters and mult-adds, standard vs separable.")
    Path chart;

    @Override
    public void run() {
        int[] hwm = dims("--in", in, 3, "HxWxM (e.g. 112x112x32)");
        int[] k = dims("--kernel", kernel, 0, "Dk or DkxDk (e.g. 3 or 3x3)");
        if (k.length == 2 && k[0] != k[1]) {
            throw new ShapeException("--kernel must be square (Dk x Dk), got '" + kernel + "'");
        }
        positive("--out", out);
        positive("--stride", stride);
        positive("--multiplier", multiplier);
        CostComparison c = CostComparison.of(hwm[0], hwm[1], hwm[2], out, k[0], stride, multiplier);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(c.toJson());
        } else {
            w.print(c.toText());
        }
        w.flush();
        if (chart != null) {
            try {
                CostChart.write(c, chart);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + chart + ": " + e.getMessage(), e);
            }
            PrintWriter err = spec.commandLine().getErr();
            err.println("wrote " + chart);
            err.flush();
        }
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new ShapeException(option + " must be >= 1, got " + value);
        }
    }

    /**
     * {@code text} as {@code count} positive integers joined by 'x' ({@code count == 0}: 1 or 2 of them).
     */
    static int[] dims(String option, String text, int count, String form) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
        boolean countOk = count == 0 ? parts.length == 1 || parts.length == 2 : parts.length == count;
        if (!countOk) {
            throw new ShapeException(option + " must be " + form + ", got '" + text + "'");
        }
        int[] r = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                r[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ShapeException(option + " must be " + form + ", got '" + text + "'");
            }
            if (r[i] < 1) {
                throw new ShapeException(option + " values must be >= 1, got '" + text + "'");
            }
        }
        return r;
    }
}

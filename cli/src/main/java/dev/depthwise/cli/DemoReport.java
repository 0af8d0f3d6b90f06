package dev.depthwise.cli;

import dev.depthwise.train.EpochStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The demo's comparison as text: the side-by-side table printed on stdout, and the report folder's
 * {@code report.md} and {@code report.json}.
 */
final class DemoReport {
    /** The separable model must have at least this many times fewer convolution mult-adds. */
    static final double TARGET_RATIO = 5;
    /** ... and be within this many percentage points of the standard model's test accuracy. */
    static final double TARGET_GAP_PP = 1;
    /** ... and the whole demo must take less than this on the project's 2-core machine. */
    static final double TARGET_SECONDS = 180;

    /** How the runs were made, for the report. */
    record Setup(String data, int trainImages, int testImages, int epochs, int batchSize, int threads, long seed,
                 String optimizer, String schedule, String augmentation) {}

    private DemoReport() {}

    /** The comparison's rows: what, standard, separable, separable vs standard. */
    static List<String[]> rows(DemoRun std, DemoRun sep) {
        return List.of(
                new String[] {"parameters", group(std.params()), group(sep.params()),
                    times(std.params(), sep.params()) + " fewer"},
                new String[] {"mult-adds per image", group(std.multAdds()), group(sep.multAdds()),
                    times(std.multAdds(), sep.multAdds()) + " fewer"},
                new String[] {"conv mult-adds per image", group(std.convMultAdds()), group(sep.convMultAdds()),
                    times(std.convMultAdds(), sep.convMultAdds()) + " fewer"},
                new String[] {"training time", seconds(std.trainSeconds()), seconds(sep.trainSeconds()),
                    speed(std.trainSeconds(), sep.trainSeconds())},
                new String[] {"inference (images/s, batch " + std.inferenceBatch() + ")",
                    group(Math.round(std.inferenceImagesPerSecond())), group(Math.round(sep.inferenceImagesPerSecond())),
                    String.format(Locale.ROOT, "%.2fx the throughput",
                            sep.inferenceImagesPerSecond() / std.inferenceImagesPerSecond())},
                new String[] {"test accuracy", percent(std.testAccuracy()), percent(sep.testAccuracy()),
                    String.format(Locale.ROOT, "%+.2f percentage points", gapPp(std, sep))});
    }

    /** The side-by-side table as text. */
    static String table(DemoRun std, DemoRun sep) {
        StringBuilder s = new StringBuilder();
        String row = "%-30s %13s %13s   %s%n";
        s.append(String.format(Locale.ROOT, row, "", std.name(), sep.name(), "separable vs standard"));
        for (String[] r : rows(std, sep)) {
            s.append(String.format(Locale.ROOT, row, r[0], r[1], r[2], r[3]));
        }
        return s.toString();
    }

    /** The three targets, each with its measured value and whether it was met. */
    static String targets(DemoRun std, DemoRun sep, double wallSeconds) {
        double ratio = (double) std.convMultAdds() / sep.convMultAdds();
        double gap = gapPp(std, sep);
        return String.format(Locale.ROOT, "targets: convolution mult-adds %.1fx fewer (>= %.0fx: %s); accuracy %+.2f pp "
                        + "(within %.0f pp: %s); wall time %.0f s (< %.0f s: %s)%n", ratio, TARGET_RATIO,
                met(ratio >= TARGET_RATIO), gap, TARGET_GAP_PP, met(gap >= -TARGET_GAP_PP), wallSeconds, TARGET_SECONDS,
                met(wallSeconds < TARGET_SECONDS));
    }

    /** Separable minus standard test accuracy, in percentage points. */
    static double gapPp(DemoRun std, DemoRun sep) {
        return 100 * (sep.testAccuracy() - std.testAccuracy());
    }

    /** Writes {@code report.md} and {@code report.json} into {@code dir}. */
    static void write(Path dir, Setup setup, DemoRun std, DemoRun sep, double wallSeconds, String modelsText)
            throws IOException {
        Files.writeString(dir.resolve("report.md"), markdown(setup, std, sep, wallSeconds, modelsText),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.json"), json(setup, std, sep, wallSeconds), StandardCharsets.UTF_8);
    }

    static String markdown(Setup setup, DemoRun std, DemoRun sep, double wallSeconds, String modelsText) {
        StringBuilder s = new StringBuilder();
        s.append("# Standard vs depthwise-separable CNN\n\n");
        s.append(String.format(Locale.ROOT, "Trained on %s: %,d training and %,d test images; %d epochs, batch %d, "
                        + "%s, %s, augmentation %s; seed %d, %d threads. The whole demo took %.1f s.%n%n",
                setup.data(), setup.trainImages(), setup.testImages(), setup.epochs(), setup.batchSize(), setup.optimizer(),
                setup.schedule(), setup.augmentation(), setup.seed(), setup.threads(), wallSeconds));
        s.append("| | standard | separable | separable vs standard |\n|---|---:|---:|---|\n");
        for (String[] r : rows(std, sep)) {
            s.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" | ")
                    .append(r[3]).append(" |\n");
        }
        s.append('\n').append(targets(std, sep, wallSeconds).replace("targets: ", "Targets: ")).append('\n');
        s.append("Training time is the wall time of the training steps (forward, backward, update) over all epochs, "
                + "evaluations excluded; inference throughput is one timed pass over the test set in inference mode. "
                + "Mult-adds count one multiply and one add for one image; batch norm, activations and pooling are "
                + "free, as in the MobileNets paper.\n\n");
        s.append("![training curves](training-curves.png)\n\n![cost comparison](cost-comparison.png)\n\n");
        s.append("## Per epoch\n\n| model | epoch | train loss | train accuracy | test loss | test accuracy | "
                + "seconds | images/s | learning rate |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (DemoRun r : List.of(std, sep)) {
            for (EpochStats e : r.history().epochs()) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.2f%% | %.4f | %.2f%% | %.1f | %,d | %.3g |%n",
                        r.name(), e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), e.testLoss(),
                        100 * e.testAccuracy(), e.trainSeconds(), Math.round(e.imagesPerSecond()), e.learningRate()));
            }
        }
        s.append("\n## Test set: confusion matrices and per-class accuracy\n\n");
        for (DemoRun r : List.of(std, sep)) {
            s.append("### ").append(r.name()).append("\n\n```\n").append(r.test().metrics().render()).append("```\n\n");
        }
        s.append("## The models\n\n```\n").append(modelsText).append("```\n");
        return s.toString();
    }

    static String json(Setup setup, DemoRun std, DemoRun sep, double wallSeconds) {
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"standard\": ").append(model(std)).append(",\n");
        s.append("  \"separable\": ").append(model(sep)).append(",\n");
        s.append("  \"wall_seconds\": ").append(number(wallSeconds)).append(",\n");
        s.append("  \"conv_mult_adds_ratio\": ").append(number((double) std.convMultAdds() / sep.convMultAdds()))
                .append(",\n");
        s.append("  \"accuracy_gap_pp\": ").append(number(gapPp(std, sep))).append(",\n");
        s.append("  \"setup\": {\"data\": ").append(string(setup.data())).append(", \"train_images\": ")
                .append(setup.trainImages()).append(", \"test_images\": ").append(setup.testImages())
                .append(", \"epochs\": ").append(setup.epochs()).append(", \"batch_size\": ").append(setup.batchSize())
                .append(", \"threads\": ").append(setup.threads()).append(", \"seed\": ").append(setup.seed())
                .append(", \"optimizer\": ").append(string(setup.optimizer())).append(", \"schedule\": ")
                .append(string(setup.schedule())).append(", \"augmentation\": ").append(string(setup.augmentation()))
                .append("}\n}\n");
        return s.toString();
    }

    private static String model(DemoRun r) {
        StringBuilder s = new StringBuilder("{");
        s.append("\"params\": ").append(r.params());
        s.append(", \"mult_adds\": ").append(r.multAdds());
        s.append(", \"conv_mult_adds\": ").append(r.convMultAdds());
        s.append(", \"train_seconds\": ").append(number(r.trainSeconds()));
        s.append(", \"test_accuracy\": ").append(number(r.testAccuracy()));
        s.append(", \"test_loss\": ").append(number(r.test().loss()));
        s.append(", \"inference_images_per_second\": ").append(number(r.inferenceImagesPerSecond()));
        s.append(", \"epochs\": [");
        List<EpochStats> es = r.history().epochs();
        for (int i = 0; i < es.size(); i++) {
            EpochStats e = es.get(i);
            s.append(i == 0 ? "" : ", ").append("{\"epoch\": ").append(e.epoch())
                    .append(", \"train_loss\": ").append(number(e.trainLoss()))
                    .append(", \"train_accuracy\": ").append(number(e.trainAccuracy()))
                    .append(", \"test_loss\": ").append(number(e.testLoss()))
                    .append(", \"test_accuracy\": ").append(number(e.testAccuracy()))
                    .append(", \"seconds\": ").append(number(e.trainSeconds())).append('}');
        }
        return s.append("]}").toString();
    }

    /** A JSON number with up to 6 decimals; null for NaN and infinities, which JSON lacks. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        String t = new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
        return t;
    }

    private static String string(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private static String met(boolean ok) {
        return ok ? "met" : "NOT met";
    }

    static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String times(long a, long b) {
        return String.format(Locale.ROOT, "%.1fx", (double) a / b);
    }

    /** {@code 41.2x faster} or {@code 1.3x slower}: the separable model's time against the standard one's. */
    private static String speed(double standard, double separable) {
        return standard >= separable ? String.format(Locale.ROOT, "%.1fx faster", standard / separable)
                : String.format(Locale.ROOT, "%.1fx slower", separable / standard);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * f);
    }
}

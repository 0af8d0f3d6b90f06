package dev.depthwise.cli;

import dev.depthwise.train.EpochStats;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The demo report's two PNG charts, drawn headless with java.awt: {@code training-curves.png} (loss
 * and accuracy per epoch, training and test, both models) and {@code cost-comparison.png} (parameters,
 * mult-adds per image and test accuracy side by side).
 */
final class DemoCharts {
    static final String CURVES = "training-curves.png";
    static final String COSTS = "cost-comparison.png";
    static final Color STANDARD = new Color(0x4C, 0x72, 0xB0);
    static final Color SEPARABLE = new Color(0xDD, 0x84, 0x52);

    private DemoCharts() {}

    /** Writes both charts into {@code dir}. */
    static void write(Path dir, DemoRun std, DemoRun sep) throws IOException {
        // No display is needed (or wanted) to draw into an image; set before the first AWT class loads.
        System.setProperty("java.awt.headless", "true");
        png(curves(std, sep), dir.resolve(CURVES));
        png(costs(std, sep), dir.resolve(COSTS));
    }

    static BufferedImage curves(DemoRun std, DemoRun sep) {
        int w = 1100;
        int h = 480;
        BufferedImage image = canvas(w, h);
        Graphics2D g = graphics(image);
        try {
            title(g, w, "Training curves: standard vs depthwise-separable CNN");
            List<LineChart.Series> loss = List.of(
                    series("standard train", STANDARD, false, std, EpochStats::trainLoss),
                    series("standard test", STANDARD, true, std, EpochStats::testLoss),
                    series("separable train", SEPARABLE, false, sep, EpochStats::trainLoss),
                    series("separable test", SEPARABLE, true, sep, EpochStats::testLoss));
            List<LineChart.Series> accuracy = List.of(
                    series("standard train", STANDARD, false, std, e -> 100 * e.trainAccuracy()),
                    series("standard test", STANDARD, true, std, e -> 100 * e.testAccuracy()),
                    series("separable train", SEPARABLE, false, sep, e -> 100 * e.trainAccuracy()),
                    series("separable test", SEPARABLE, true, sep, e -> 100 * e.testAccuracy()));
            LineChart.draw(g, 0, 40, w / 2, h - 70, "Loss (cross-entropy)", "epoch", loss);
            LineChart.draw(g, w / 2, 40, w / 2, h - 70, "Accuracy (%)", "epoch", accuracy);
            LineChart.legend(g, w / 2, h - 14, loss);
        } finally {
            g.dispose();
        }
        return image;
    }

    static BufferedImage costs(DemoRun std, DemoRun sep) {
        int w = 1100;
        int h = 440;
        BufferedImage image = canvas(w, h);
        Graphics2D g = graphics(image);
        try {
            title(g, w, String.format(Locale.ROOT, "Cost and accuracy: %.1fx fewer convolution mult-adds",
                    (double) std.convMultAdds() / sep.convMultAdds()));
            String[] labels = {"standard", "separable"};
            Color[] colors = {STANDARD, SEPARABLE};
            int pw = w / 3;
            BarChart.draw(g, 0, 40, pw, h - 40, "Parameters", labels, new double[] {std.params(), sep.params()},
                    new String[] {DemoReport.group(std.params()), DemoReport.group(sep.params())}, colors,
                    String.format(Locale.ROOT, "%.1fx fewer", (double) std.params() / sep.params()));
            BarChart.draw(g, pw, 40, pw, h - 40, "Mult-adds per image", labels,
                    new double[] {std.multAdds(), sep.multAdds()},
                    new String[] {DemoReport.group(std.multAdds()), DemoReport.group(sep.multAdds())}, colors,
                    String.format(Locale.ROOT, "%.1fx fewer", (double) std.multAdds() / sep.multAdds()));
            BarChart.draw(g, 2 * pw, 40, pw, h - 40, "Test accuracy (%)", labels,
                    new double[] {100 * std.testAccuracy(), 100 * sep.testAccuracy()},
                    new String[] {String.format(Locale.ROOT, "%.2f%%", 100 * std.testAccuracy()),
                        String.format(Locale.ROOT, "%.2f%%", 100 * sep.testAccuracy())}, colors,
                    String.format(Locale.ROOT, "%+.2f percentage points", DemoReport.gapPp(std, sep)));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static LineChart.Series series(String label, Color color, boolean dashed, DemoRun r,
                                           ToDoubleFunction<EpochStats> f) {
        return new LineChart.Series(label, color, dashed, r.history().epochs().stream().mapToDouble(f).toArray());
    }

    private static BufferedImage canvas(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    private static void title(Graphics2D g, int w, String text) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        LineChart.centered(g, text, w / 2, 28);
    }

    private static void png(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer is available");
        }
    }
}

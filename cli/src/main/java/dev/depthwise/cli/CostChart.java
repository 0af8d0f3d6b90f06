package dev.depthwise.cli;

import dev.depthwise.nn.cost.CostComparison;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The PNG chart of {@code explain --chart}: two panels, parameters and mult-adds, each with a bar for
 * the standard and one for the depthwise-separable convolution (split into its depthwise and
 * pointwise parts), drawn headless with java.awt and written with ImageIO.
 */
final class CostChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 520;
    private static final Color STANDARD = new Color(0x4C, 0x72, 0xB0);
    private static final Color DEPTHWISE = new Color(0xDD, 0x84, 0x52);
    private static final Color POINTWISE = new Color(0x55, 0xA8, 0x68);

    private CostChart() {
    }

    /** Draws the chart of {@code c} and writes it to {@code file} as PNG. */
    static void write(CostComparison c, Path file) throws IOException {
        // no display is needed (or wanted) to draw into an image; set before the first AWT class loads
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = draw(c);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("the folder " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a file name");
        }
        // Through a stream, not ImageIO.write(File): that one deletes the target first (an empty folder
        // too) and prints its own stack traces. A temporary file then a move: never a half-written PNG.
        Path temp = file.resolveSibling("." + file.getFileName() + ".part");
        try (java.io.OutputStream out = Files.newOutputStream(temp)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer is available");
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static BufferedImage draw(CostComparison c) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int[] df = c.outputSpatial();
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            centered(g, String.format(Locale.ROOT, "Standard vs depthwise-separable convolution: %.1fx fewer mult-adds",
                    1 / c.ratio()), WIDTH / 2, 32);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int[] in = c.input();
            centered(g, String.format(Locale.ROOT, "%dx%dx%d -> %dx%dx%d, %dx%d kernel, stride %d%s: ratio %.4f measured, "
                    + "%s = %.4f", in[0], in[1], in[2], df[0], df[1], c.outputChannels(), c.kernel(),
                    c.kernel(), c.stride(), c.multiplier() == 1 ? "" : ", multiplier " + c.multiplier(), c.ratio(),
                    c.multiplier() == 1 ? "1/N + 1/Dk^2" : c.multiplier() + " x (1/N + 1/Dk^2)", c.formulaRatio()), WIDTH / 2, 56);
            panel(g, "Parameters", 40, c.standardParams(), c.depthwiseParams(), c.pointwiseParams());
            panel(g, "Mult-adds", WIDTH / 2 + 20, c.standardMultAdds(), c.depthwiseMultAdds(), c.pointwiseMultAdds());
            legend(g, 40, HEIGHT - 28);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** One panel at {@code x}: a standard bar and a stacked depthwise + pointwise bar, to one scale. */
    private static void panel(Graphics2D g, String title, int x, long standard, long depthwise, long pointwise) {
        int w = WIDTH / 2 - 60;
        int top = 120;
        int bottom = HEIGHT - 80;
        int height = bottom - top;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        centered(g, title, x + w / 2, top - 30);
        g.setStroke(new BasicStroke(1));
        g.drawLine(x, bottom, x + w, bottom);
        long max = Math.max(standard, depthwise + pointwise);
        int barWidth = w / 4;
        int[] xs = {x + w / 8, x + w / 8 + barWidth + w / 4};
        bar(g, xs[0], bottom, barWidth, scaled(standard, max, height), STANDARD);
        int dh = scaled(depthwise, max, height);
        int ph = scaled(pointwise, max, height);
        bar(g, xs[1], bottom, barWidth, dh, DEPTHWISE);
        bar(g, xs[1], bottom - dh, barWidth, ph, POINTWISE);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        centered(g, String.format(Locale.ROOT, "%,d", standard), xs[0] + barWidth / 2,
                bottom - scaled(standard, max, height) - 6);
        centered(g, String.format(Locale.ROOT, "%,d", depthwise + pointwise), xs[1] + barWidth / 2, bottom - dh - ph - 6);
        centered(g, "standard", xs[0] + barWidth / 2, bottom + 18);
        centered(g, "separable", xs[1] + barWidth / 2, bottom + 18);
    }

    /** Bar height for {@code v} on a scale where {@code max} fills {@code height}; at least 1 pixel when v > 0. */
    private static int scaled(long v, long max, int height) {
        if (v <= 0 || max <= 0) {
            return 0;
        }
        return (int) Math.max(1, Math.round((double) v / max * height));
    }

    private static void bar(Graphics2D g, int x, int bottom, int width, int height, Color color) {
        g.setColor(color);
        g.fillRect(x, bottom - height, width, height);
    }

    private static void legend(Graphics2D g, int x, int y) {
        String[] labels = {"standard Dk x Dk convolution", "depthwise Dk x Dk", "pointwise 1x1"};
        Color[] colors = {STANDARD, DEPTHWISE, POINTWISE};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < labels.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], x + 20, y);
            x += 20 + fm.stringWidth(labels[i]) + 30;
        }
    }

    private static void centered(Graphics2D g, String text, int cx, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, cx - fm.stringWidth(text) / 2, baseline);
    }
}

package dev.depthwise.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * {@code --chart file.png}: one group of horizontal bars per layer (ours NCHW, ours NHWC, ORT
 * one-op, ORT kernel; for dwgrad our forward and backward in both layouts and Deeplearning4j's),
 * microseconds on a log scale so that layers of very different cost share one axis. Drawn with
 * Java2D, headless.
 */
final class Chart {
    private static final List<String> SERIES = List.of("ours NCHW", "ours NHWC", "ORT one-op", "ORT kernel");
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x9ecae1), new Color(0xd62728),
        new Color(0xff9896)};
    private static final List<String> GRAD_SERIES = List.of("ours fwd NHWC", "ours fwd NCHW", "ours bwd NHWC",
            "ours bwd NCHW", "DL4J fwd", "DL4J bwd");
    private static final Color[] GRAD_COLORS = {new Color(0x9ecae1), new Color(0x1f77b4), new Color(0x98df8a),
        new Color(0x2ca02c), new Color(0xff9896), new Color(0xd62728)};
    private static final int BAR = 7, GAP = 10, LEFT = 150, RIGHT = 64, TOP = 60, PLOT = 640;

    private Chart() {
    }

    static void write(Path file, String title, List<LayerResult> rows) throws IOException {
        write(file, title, rows.stream().map(r -> r.layer().name()).toList(), SERIES, COLORS,
                rows.stream().map(Chart::values).toList());
    }

    /** dwgrad: our forward and backward in both layouts, Deeplearning4j's when it ran (0: no bar). */
    static void writeGrad(Path file, String title, List<GradResult> rows) throws IOException {
        write(file, title, rows.stream().map(r -> r.layer().name()).toList(), GRAD_SERIES, GRAD_COLORS,
                rows.stream().map(r -> new double[] {r.fwdNhwc().medianUs(), r.fwdNchw().medianUs(),
                    r.bwdNhwc().medianUs(), r.bwdNchw().medianUs(), r.dl4jFwd() == null ? 0 : r.dl4jFwd().medianUs(),
                    r.dl4jBwd() == null ? 0 : r.dl4jBwd().medianUs()}).toList());
    }

    /** One bar group per name; {@code values.get(i)[s]} is series {@code s} of layer {@code i}, in us (0: no bar). */
    private static void write(Path file, String title, List<String> names, List<String> series, Color[] colors,
                              List<double[]> values) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double logLo = Math.floor(Math.log10(Math.max(lo, 1e-3)));
        double logHi = Math.max(logLo + 1, Math.ceil(Math.log10(Math.max(hi, 1e-3))));
        int group = series.size() * BAR + GAP;
        int height = TOP + names.size() * group + 50;
        int width = LEFT + PLOT + RIGHT;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.setColor(Color.BLACK);
            g.drawString(title, 10, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int legend = Math.min(130, (PLOT + RIGHT) / series.size());
            for (int s = 0; s < series.size(); s++) {
                int x = LEFT + s * legend;
                g.setColor(colors[s]);
                g.fillRect(x, 32, 12, 10);
                g.setColor(Color.BLACK);
                g.drawString(series.get(s), x + 16, 42);
            }
            int bottom = TOP + names.size() * group;
            for (double e = logLo; e <= logHi; e++) {
                int x = LEFT + (int) Math.round((e - logLo) / (logHi - logLo) * PLOT);
                g.setColor(new Color(0xdddddd));
                g.drawLine(x, TOP - 4, x, bottom);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%s us", label(Math.pow(10, e))), x - 12, bottom + 16);
            }
            for (int i = 0; i < names.size(); i++) {
                int y = TOP + i * group;
                g.setColor(Color.BLACK);
                g.drawString(names.get(i), 8, y + series.size() * BAR / 2 + 4);
                double[] v = values.get(i);
                for (int s = 0; s < v.length; s++) {
                    if (v[s] > 0) {
                        double frac = (Math.log10(v[s]) - logLo) / (logHi - logLo);
                        g.setColor(colors[s]);
                        g.fillRect(LEFT, y + s * BAR, Math.max(1, (int) Math.round(frac * PLOT)), BAR - 1);
                    }
                }
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LEFT, TOP - 4, LEFT, bottom);
            g.drawString("time per call (median, log scale; shorter is faster)", LEFT, bottom + 34);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static double[] values(LayerResult r) {
        return new double[] {r.oursNchw().medianUs(), r.oursNhwc().medianUs(), r.ortOneOp().medianUs(),
            r.ortProfile() == null ? 0 : r.ortProfile().kernelUs()};
    }

    private static String label(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }
}

package dev.depthwise.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.util.List;
import java.util.Locale;

/**
 * One panel of a line chart, drawn into a rectangle of a {@link Graphics2D}: a title, a y axis with
 * round ticks, an x axis numbered 1..n (epochs), one polyline with markers per series; {@link #legend}
 * draws the key, once for panels that share it. Non-finite values are skipped.
 */
final class LineChart {
    /** One line: its label, colour, whether dashed, and its values at x = 1, 2, ... */
    record Series(String label, Color color, boolean dashed, double[] values) {}

    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 44;

    private LineChart() {}

    /** Draws the panel into {@code x, y, w, h}. */
    static void draw(Graphics2D g, int x, int y, int w, int h, String title, String xLabel, List<Series> series) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int n = 1;
        for (Series s : series) {
            n = Math.max(n, s.values().length);
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        boolean nonNegative = lo >= 0;
        if (hi - lo < 1e-9) {
            hi += Math.max(Math.abs(hi) * 0.05, 0.01);
            lo -= Math.max(Math.abs(lo) * 0.05, 0.01);
        }
        // Round ticks (1, 2 or 5 times a power of ten), about five of them, enclosing the data.
        double step = niceStep((hi - lo) / 5);
        lo = Math.floor(lo / step) * step;
        hi = Math.ceil(hi / step) * step;
        if (nonNegative && lo < 0) {
            lo = 0;
        }
        int ticks = (int) Math.round((hi - lo) / step);
        // as many decimals as the step needs: 0.05 -> 2, 5 -> 0
        String valueFormat = "%." + Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)) + "f";
        int px = x + LEFT;
        int py = y + TOP;
        int pw = w - LEFT - RIGHT;
        int ph = h - TOP - BOTTOM;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        centered(g, title, x + w / 2, y + 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1));
        for (int t = 0; t <= ticks; t++) {
            double v = lo + step * t;
            int ty = py + ph - (int) Math.round(ph * (double) t / ticks);
            g.setColor(new Color(0xE4E4E4));
            g.drawLine(px, ty, px + pw, ty);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, valueFormat, v);
            g.drawString(label, px - 6 - g.getFontMetrics().stringWidth(label), ty + 4);
        }
        for (int i = 1; i <= n; i++) {
            int tx = xAt(i, n, px, pw);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(tx, py + ph, tx, py + ph + 4);
            centered(g, Integer.toString(i), tx, py + ph + 17);
        }
        centered(g, xLabel, px + pw / 2, py + ph + 33);
        g.setColor(Color.BLACK);
        g.drawRect(px, py, pw, ph);
        Stroke solid = new BasicStroke(2.2f);
        Stroke dashed = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {7, 5}, 0);
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? dashed : solid);
            int prevX = -1;
            int prevY = -1;
            double[] v = s.values();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    prevX = -1;
                    continue;
                }
                int cx = xAt(i + 1, n, px, pw);
                int cy = py + ph - (int) Math.round((v[i] - lo) / (hi - lo) * ph);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, cx, cy);
                }
                g.fillOval(cx - 3, cy - 3, 7, 7);
                prevX = cx;
                prevY = cy;
            }
        }
        g.setStroke(new BasicStroke(1));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static int xAt(int i, int n, int px, int pw) {
        return n == 1 ? px + pw / 2 : px + 12 + (int) Math.round((pw - 24) * (i - 1) / (double) (n - 1));
    }

    /** One row of legend entries centred on {@code cx}: a line sample and the label of each series. */
    static void legend(Graphics2D g, int cx, int baseline, List<Series> series) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int width = 0;
        for (Series s : series) {
            width += 27 + fm.stringWidth(s.label()) + 18;
        }
        int x = cx - width / 2;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed() ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1,
                    new float[] {5, 3}, 0) : new BasicStroke(2.2f));
            g.drawLine(x, baseline - 4, x + 22, baseline - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), x + 27, baseline);
            x += 27 + fm.stringWidth(s.label()) + 18;
        }
    }

    static void centered(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}

package dev.depthwise.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;

/**
 * One panel of a bar chart, drawn into a rectangle of a {@link Graphics2D}: a title, one labelled bar
 * per value on a scale from 0 to the largest, each with its value written above it, and an optional
 * note under the bars (e.g. the ratio).
 */
final class BarChart {
    private BarChart() {}

    /** Draws the panel into {@code x, y, w, h}; {@code texts} are the values as they should read. */
    static void draw(Graphics2D g, int x, int y, int w, int h, String title, String[] labels, double[] values,
                     String[] texts, Color[] colors, String note) {
        int top = y + 60;
        int bottom = y + h - 56;
        int height = bottom - top;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        LineChart.centered(g, title, x + w / 2, y + 24);
        double max = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
            }
        }
        int slot = w / values.length;
        int bar = Math.min(90, slot * 3 / 5);
        g.drawLine(x + 8, bottom, x + w - 8, bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i < values.length; i++) {
            int cx = x + slot * i + slot / 2;
            int bh = max > 0 && Double.isFinite(values[i]) && values[i] > 0
                    ? (int) Math.max(1, Math.round(values[i] / max * height)) : 0;
            g.setColor(colors[i % colors.length]);
            g.fillRect(cx - bar / 2, bottom - bh, bar, bh);
            g.setColor(Color.BLACK);
            LineChart.centered(g, texts[i], cx, bottom - bh - 6);
            LineChart.centered(g, labels[i], cx, bottom + 18);
        }
        if (note != null) {
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 13));
            LineChart.centered(g, note, x + w / 2, bottom + 40);
        }
    }
}

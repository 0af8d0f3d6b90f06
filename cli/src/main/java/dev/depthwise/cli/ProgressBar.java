package dev.depthwise.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on stderr, one epoch at a time:
 * <pre>
 * epoch 1/3 [############--------] 62% loss 0.412 acc 87.5% 1,234 img/s eta 0:12
 * </pre>
 * How it is shown depends on the {@link Mode}: redrawn in place on a terminal, a line per
 * {@code logStepPercent} percent in a log (CI keeps every line, so carriage returns would only make
 * noise), or not at all in quiet mode. Redraws are rate-limited to {@value #REDRAWS_PER_SECOND} a second,
 * so updating after every batch costs nothing noticeable. Throughput is averaged since the epoch began.
 *
 * <p>Not thread-safe: the training loop owns it.
 */
public final class ProgressBar {

    /** How progress is shown. */
    public enum Mode {
        /** One line redrawn in place with carriage returns: for a person watching a terminal. */
        TERMINAL,
        /** A new line each time progress passes a multiple of the step, and at the end: for logs. */
        LOG,
        /** Nothing: for scripts ({@code --quiet}). */
        QUIET
    }

    /** At most this many redraws a second on a terminal. */
    public static final int REDRAWS_PER_SECOND = 10;

    private static final long REDRAW_NANOS = 1_000_000_000L / REDRAWS_PER_SECOND;
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final int logStepPercent;

    private int epoch;
    private int epochs;
    private long total;
    private long startNanos;
    private long lastDrawNanos;
    private boolean drawn;
    private int nextLogPercent;
    private int lastLength;

    /**
     * A bar for stderr: {@link Mode#QUIET} if {@code quiet}, else {@link Mode#TERMINAL} when the JVM has an
     * interactive console, else {@link Mode#LOG} with a line per 10%.
     *
     * <p>The JDK can only say whether stdin and stdout are a terminal ({@link Console#isTerminal()}), not
     * stderr; when they are, stderr almost always is too, and when output is piped to a file a log is what
     * is wanted anyway.
     */
    public static ProgressBar forStderr(boolean quiet) {
        Console console = System.console();
        Mode mode = quiet ? Mode.QUIET : console != null && console.isTerminal() ? Mode.TERMINAL : Mode.LOG;
        return new ProgressBar(System.err, mode, System::nanoTime, 10);
    }

    /**
     * @param out where to print
     * @param mode how
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own)
     * @param logStepPercent in {@link Mode#LOG}, print a line each time progress passes a multiple of this
     *     (1 to 100)
     * @throws IllegalArgumentException if an argument is null or the step is out of range
     */
    public ProgressBar(PrintStream out, Mode mode, LongSupplier nanoClock, int logStepPercent) {
        if (out == null || mode == null || nanoClock == null) {
            throw new IllegalArgumentException("progress bar: out, mode and clock must not be null");
        }
        if (logStepPercent < 1 || logStepPercent > 100) {
            throw new IllegalArgumentException("progress bar: logStepPercent must be in 1..100, got " + logStepPercent);
        }
        this.out = out;
        this.mode = mode;
        this.nanoClock = nanoClock;
        this.logStepPercent = logStepPercent;
    }

    /** The mode chosen. */
    public Mode mode() {
        return mode;
    }

    /**
     * Starts epoch {@code epoch} of {@code epochs} (counting from 1) over {@code totalImages} images; shows
     * nothing until the first {@link #update}.
     */
    public void startEpoch(int epoch, int epochs, long totalImages) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.total = Math.max(0, totalImages);
        this.startNanos = nanoClock.getAsLong();
        this.drawn = false;
        this.nextLogPercent = logStepPercent;
        this.lastLength = 0;
    }

    /**
     * Reports progress: {@code done} images so far this epoch, the running mean loss and accuracy (0..1;
     * NaN when not tracked). Redraws if a redraw is due.
     */
    public void update(long done, double loss, double accuracy) {
        long now = nanoClock.getAsLong();
        switch (mode) {
            case QUIET -> { }
            case TERMINAL -> {
                if (!drawn || now - lastDrawNanos >= REDRAW_NANOS) {
                    drawInPlace(done, loss, accuracy, now);
                }
            }
            case LOG -> {
                int percent = percent(done, total);
                if (percent >= nextLogPercent) {
                    out.println(line(done, loss, accuracy, now));
                    out.flush();
                    // Skip the steps this update jumped over: one line per call at most.
                    nextLogPercent = (percent / logStepPercent + 1) * logStepPercent;
                }
            }
        }
    }

    /**
     * Ends the epoch with the final numbers: the bar at 100%, then a new line, so the epoch's result stays
     * on screen. In {@link Mode#LOG} the 100% line is printed unless an update already printed it.
     */
    public void finishEpoch(double loss, double accuracy) {
        long now = nanoClock.getAsLong();
        switch (mode) {
            case QUIET -> { }
            case TERMINAL -> {
                drawInPlace(total, loss, accuracy, now);
                out.println();
                out.flush();
            }
            case LOG -> {
                if (nextLogPercent <= 100) {
                    out.println(line(total, loss, accuracy, now));
                    out.flush();
                }
            }
        }
    }

    private void drawInPlace(long done, double loss, double accuracy, long now) {
        String line = line(done, loss, accuracy, now);
        // Spaces over what is left of a longer previous line (the rate or eta can get shorter).
        String blank = " ".repeat(Math.max(0, lastLength - line.length()));
        out.print("\r" + line + blank);
        out.flush();
        lastLength = line.length();
        lastDrawNanos = now;
        drawn = true;
    }

    private String line(long done, double loss, double accuracy, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : Double.NaN;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        return render(epoch, epochs, done, total, loss, accuracy, rate, eta, BAR_WIDTH);
    }

    /**
     * The line for these values, without any carriage return:
     * {@code epoch 1/3 [############--------] 62% loss 0.412 acc 87.5% 1,234 img/s eta 0:12}. The bar and
     * percentage round down, so 100% means done; an unknown rate or eta (NaN) shows as {@code -}, an
     * untracked accuracy (NaN) as {@code acc -}.
     *
     * @param barWidth characters inside the brackets
     */
    public static String render(int epoch, int epochs, long done, long total, double loss, double accuracy,
            double imagesPerSecond, double etaSeconds, int barWidth) {
        int percent = percent(done, total);
        int filled = total <= 0 ? barWidth : (int) (barWidth * Math.min(Math.max(done, 0), total) / total);
        StringBuilder s = new StringBuilder();
        s.append("epoch ").append(epoch).append('/').append(epochs).append(" [")
                .append("#".repeat(filled)).append("-".repeat(barWidth - filled)).append("] ")
                .append(percent).append("% loss ").append(String.format(Locale.ROOT, "%.3f", loss))
                .append(" acc ").append(Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * accuracy))
                .append(' ').append(Double.isFinite(imagesPerSecond)
                        ? String.format(Locale.ROOT, "%,d", Math.round(imagesPerSecond)) : "-")
                .append(" img/s eta ").append(duration(etaSeconds));
        return s.toString();
    }

    /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}; {@code -:--} when unknown. */
    static String duration(double seconds) {
        if (!(seconds >= 0) || seconds > 1e9) {
            return "-:--";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = s / 60 % 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    private static int percent(long done, long total) {
        if (total <= 0) {
            return 100;
        }
        return (int) (100 * Math.min(Math.max(done, 0), total) / total);
    }
}

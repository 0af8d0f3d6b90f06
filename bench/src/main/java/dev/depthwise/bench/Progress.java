package dev.depthwise.bench;

import java.io.PrintWriter;

/**
 * A progress bar on stderr, {@code [#####-----] 5/10 layers  14x14x576 s2}: redrawn in place on a
 * terminal, one line per step otherwise (a log keeps them readable), or nothing.
 */
final class Progress {
    /** How to show progress. */
    enum Mode {
        TERMINAL, LINES, OFF;

        /**
         * From {@code -Ddepthwise.progress=tty|lines|off} (the launcher says whether stderr is a
         * terminal), else from whether the JVM has a console.
         */
        static Mode detect() {
            String p = System.getProperty("depthwise.progress", "");
            return switch (p) {
                case "tty" -> TERMINAL;
                case "lines" -> LINES;
                case "off" -> OFF;
                default -> System.console() != null ? TERMINAL : LINES;
            };
        }
    }

    private static final int WIDTH = 20;

    private final PrintWriter err;
    private final int total;
    private final Mode mode;
    private int drawn;

    Progress(PrintWriter err, int total, Mode mode) {
        this.err = err;
        this.total = total;
        this.mode = mode;
    }

    /** Shows {@code done} of the total finished, {@code next} being worked on. */
    void show(int done, String next) {
        if (mode == Mode.OFF) {
            return;
        }
        String line = bar(done, total) + (next.isEmpty() ? "" : "  " + next);
        if (mode == Mode.TERMINAL) {
            err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            drawn = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Removes the bar from a terminal, so that the next line starts clean. */
    void clear() {
        if (mode == Mode.TERMINAL && drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    static String bar(int done, int total) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total + " layers";
    }
}

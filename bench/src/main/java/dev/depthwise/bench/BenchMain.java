package dev.depthwise.bench;

import dev.depthwise.cli.Main;
import picocli.CommandLine;

/**
 * The bench jar's entry point: the {@code depthwise} command line with {@code bench} added, so that
 * {@code ./depthwise bench ...} shares the cli's options and error handling while only this jar
 * carries ONNX Runtime.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@link Main#commandLine()} plus {@code bench}. */
    public static CommandLine commandLine() {
        return Main.commandLine().addSubcommand("bench", new BenchCommand());
    }
}

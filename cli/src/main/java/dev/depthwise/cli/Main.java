package dev.depthwise.cli;

import dev.depthwise.cli.op.OpCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code depthwise} command: the entry point of the command-line tool.
 *
 * <p>Subcommands are listed in the {@code subcommands} attribute of the {@link Command} annotation below.
 * Errors are reported the same way for all of them: an {@link IllegalArgumentException} (the library's
 * error type extends it) prints {@code depthwise: <message>} on stderr and exits with
 * {@value #EXIT_USAGE}; the stack trace is printed only with {@code --verbose}.
 */
@Command(
        name = "depthwise",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Depthwise and depthwise-separable convolution in pure Java.",
        subcommands = {
            // "op" is added in commandLine(): one class serves several of its subcommand names.
        })
public final class Main implements Runnable {

    /** Exit status for bad input: picocli's own code for invalid parameters, reused for library errors. */
    public static final int EXIT_USAGE = 2;

    /** Exit status for failures that are not the user's input: I/O errors and bugs. */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    // INHERIT so that "depthwise op --verbose" works as well as "depthwise --verbose op".
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    /** Creates the command. Use {@link #commandLine()} to get one ready to execute. */
    public Main() {}

    /** Runs the command with the given arguments and exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns a command line for {@code depthwise} with the error handling described in the class comment,
     * so that tests can run it (and add subcommands to it) without exiting the JVM.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .addSubcommand("op", OpCommand.create())
                .addSubcommand("example", new ExampleCommand())
                .addSubcommand("summary", new SummaryCommand())
                .addSubcommand("explain", new ExplainCommand())
                .addSubcommand("demo", new DemoCommand())
                .addSubcommand("train", new TrainCommand())
                .addSubcommand("eval", new EvalCommand())
                .setExecutionStrategy(new CommandLine.RunLast())
                .setExecutionExceptionHandler(Main::handleExecutionException);
    }

    /** Without a subcommand there is nothing to do: show what there is, as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean userError = ex instanceof IllegalArgumentException;
        // An I/O failure's message already says what could not be read or written; other exceptions are bugs,
        // so their class name is worth showing.
        boolean plain = userError || ex instanceof java.io.UncheckedIOException;
        String message = ex.getMessage() == null || !plain ? ex.toString() : ex.getMessage();
        err.println("depthwise: " + message);
        if (isVerbose(parsed)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return userError ? EXIT_USAGE : EXIT_FAILURE;
    }

    /** True if {@code --verbose} was given at any level of the command line. */
    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Reads the version from {@code version.properties}, which Maven fills in from the pom. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"depthwise " + props.getProperty("version", "(unknown version)")};
        }
    }
}

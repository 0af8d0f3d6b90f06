package dev.depthwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

    /** A stand-in subcommand that fails the way library code does. */
    @Command(name = "fail")
    static final class Fail implements Runnable {
        @Override
        public void run() {
            throw new IllegalArgumentException("x.npy: shape (2, 3) does not match");
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine().addSubcommand(new Fail());
        cmd.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().startsWith("Usage: depthwise"), out.toString());
        assertTrue(out.toString().contains("--verbose"), out.toString());
    }

    @Test
    void versionComesFromThePom() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().matches("depthwise \\d+\\.\\d+\\.\\d+.*\\R"), out.toString());
    }

    @Test
    void libraryErrorPrintsOneLineAndExitsTwo() {
        assertEquals(2, run("fail"));
        assertEquals("depthwise: x.npy: shape (2, 3) does not match" + System.lineSeparator(), err.toString());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        assertEquals(2, run("fail", "--verbose"));
        assertTrue(err.toString().contains("at dev.depthwise.cli.MainTest$Fail.run"), err.toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, run("--no-such-option"));
        assertTrue(err.toString().contains("Unknown option: '--no-such-option'"), err.toString());
        assertTrue(err.toString().contains("Usage: depthwise"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Missing required subcommand"), err.toString());
    }
}

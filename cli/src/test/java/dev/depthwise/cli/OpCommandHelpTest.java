package dev.depthwise.cli;

import static dev.depthwise.cli.OpCli.run;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.depthwise.cli.OpCli.Result;
import dev.depthwise.cli.op.OpCommand;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code --help} on {@code depthwise}, {@code op} and every operator. */
class OpCommandHelpTest {

    @Test
    void depthwiseHelpMentionsOp() {
        Result r = run("--help");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().startsWith("Usage: depthwise"), r.out());
        assertTrue(r.out().contains("op"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void opHelpListsEveryOperator() {
        Result r = run("op", "--help");
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().startsWith("Usage: depthwise op"), r.out());
        for (String name : OpCommand.create().getSubcommands().keySet()) {
            assertTrue(r.out().contains(name), name + " missing from\n" + r.out());
        }
        assertEquals("", r.err());
    }

    @TestFactory
    Stream<DynamicTest> everyOperatorHasHelp() {
        return OpCommand.create().getSubcommands().keySet().stream().map(name -> dynamicTest(name, () -> {
            Result r = run("op", name, "--help");
            assertEquals(0, r.code(), r.describe());
            assertTrue(r.out().startsWith("Usage: depthwise op " + name + " "), r.out());
            assertEquals("", r.err());
            // A gradient op reads --dy and writes --dx; a forward op offers neither.
            if (name.endsWith("-grad")) {
                assertTrue(r.out().contains("--dy") && r.out().contains("--dx"), r.out());
            } else {
                assertFalse(r.out().contains("--dy") || r.out().contains("--dx"), r.out());
            }
        }));
    }

    @Test
    void optionsThatDoNotApplyAreNotOffered() {
        Result dw = run("op", "dwconv2d", "--help");
        Result conv = run("op", "conv2d", "--help");
        Result pw = run("op", "pwconv", "--help");
        assertAll(
            () -> assertFalse(dw.out().contains("--groups"), dw.out()),
            () -> assertTrue(conv.out().contains("--groups"), conv.out()),
            () -> assertFalse(pw.out().contains("--stride"), pw.out()),
            () -> assertFalse(pw.out().contains("--pad "), pw.out()));
    }
}

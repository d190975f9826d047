package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The primitives' own parser sets exactly what picocli would set, and leaves to picocli whatever it
 * does not know, so both paths behave alike.
 */
class PrimitiveLineTest {

  /** What picocli makes of the same command line, for comparison. */
  private static <T> T picocli(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsAreThePicocliDefaults() {
    WaitCommand wait = (WaitCommand) PrimitiveLine.parse(new String[] {"wait"});
    WaitCommand viaPicocli = picocli(new WaitCommand());
    assertEquals(viaPicocli.timeoutSeconds, wait.timeoutSeconds);
    assertEquals(viaPicocli.name, wait.name);
    assertEquals(viaPicocli.home, wait.home);

    ReadCommand read = (ReadCommand) PrimitiveLine.parse(new String[] {"read"});
    assertEquals(picocli(new ReadCommand()).limit, read.limit);
  }

  @Test
  void theOptionsEachPrimitiveDeclaresAreRead() {
    WaitCommand wait =
        (WaitCommand)
            PrimitiveLine.parse(new String[] {"wait", "-t", "2.5", "--name=me", "--home", "/x"});
    assertEquals(2.5, wait.timeoutSeconds);
    assertEquals("me", wait.name);
    assertEquals(Path.of("/x"), wait.home);

    ReadCommand read =
        (ReadCommand)
            PrimitiveLine.parse(new String[] {"read", "--all", "--own", "--limit", "3", "-n", "b"});
    assertTrue(read.all && read.own && !read.replay);
    assertEquals(3, read.limit);
    assertEquals("b", read.name);

    CheckCommand check = (CheckCommand) PrimitiveLine.parse(new String[] {"check", "--replay"});
    assertTrue(check.replay && !check.own);

    assertEquals(42L, ((TsCommand) PrimitiveLine.parse(new String[] {"ts", "42"})).value);
    assertNull(((TsCommand) PrimitiveLine.parse(new String[] {"ts"})).value);
  }

  @Test
  void helpVersionTyposAndBadValuesGoToPicocli() {
    assertNull(PrimitiveLine.parse(new String[] {"wait", "--help"}));
    assertNull(PrimitiveLine.parse(new String[] {"poll", "-V"}));
    assertNull(PrimitiveLine.parse(new String[] {"wait", "--timout", "3"}));
    assertNull(PrimitiveLine.parse(new String[] {"wait", "--timeout", "soon"}));
    assertNull(PrimitiveLine.parse(new String[] {"wait", "--timeout"}));
    assertNull(PrimitiveLine.parse(new String[] {"poll", "--all"}));
    assertNull(PrimitiveLine.parse(new String[] {"ts", "1", "2"}));
    assertNull(PrimitiveLine.parse(new String[] {"send"}));
  }

  @Test
  void aBadValueIsExplainedByPicocliAsForAnyCommand() {
    CliRun.Result run = CliRun.run("wait", "--timeout", "soon");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--timeout"), run.err());
  }
}

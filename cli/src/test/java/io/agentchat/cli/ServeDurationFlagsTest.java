package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * serve's duration flags ({@code --challenge-timeout}, {@code --verification-timeout}, {@code
 * --min-proposal-age}) take seconds or a number with ms, s or m, and refuse anything else in one
 * line with exit code 2 before starting anything. ServeProcessTest shows such a flag reaching the
 * relay of a running serve.
 */
class ServeDurationFlagsTest {
  @ParameterizedTest(name = "{0} \"{1}\" exits 2")
  @CsvSource({
    "--challenge-timeout, abc",
    "--challenge-timeout, -1s",
    "--challenge-timeout, 5h",
    "--challenge-timeout, ''",
    "--verification-timeout, abc",
    "--verification-timeout, -1s",
    "--verification-timeout, 5h",
    "--verification-timeout, ''",
    "--min-proposal-age, abc",
    "--min-proposal-age, -1s",
    "--min-proposal-age, 5h",
    "--min-proposal-age, ''",
  })
  void aValueThatIsNoDurationExitsTwoNamingTheFlagAndTheAcceptedForms(String flag, String value) {
    CliRun.Result run = CliRun.run("serve", "--port", "0", flag, value);

    assertEquals(2, run.exitCode());
    assertEquals(
        "Error: "
            + flag
            + " must be a number of seconds (30) or a number with ms, s or m (500ms, 1.5s, 2m);"
            + " got \""
            + value
            + "\"\n",
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void aTimeoutOfZeroIsRefusedByTheRelayAsBefore() {
    CliRun.Result run = CliRun.run("serve", "--port", "0", "--challenge-timeout", "0ms");

    assertEquals(2, run.exitCode());
    assertEquals("Error: --challenge-timeout must be positive and at most 1 day\n", run.err());
  }

  @Test
  void helpNamesTheAcceptedFormsAndShowsTheDefaultsWithTheirUnit() {
    CliRun.Result run = CliRun.run("serve", "--help");

    assertEquals(0, run.exitCode(), run.err());
    String help = run.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("--challenge-timeout=DURATION"), help);
    assertTrue(help.contains("--verification-timeout=DURATION"), help);
    assertTrue(help.contains("--min-proposal-age=DURATION"), help);
    assertTrue(help.contains("(default: 60s)"), help);
    assertTrue(help.contains("(default: 30s)"), help);
    assertTrue(help.contains("A bare number is seconds; or 500ms, 1.5s, 2m."), help);
  }
}

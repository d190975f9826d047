package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad input is refused with exit code 2 before anything connects (no relay runs here). */
class CommandInputTest {
  private static final String NO_RELAY = "ws://127.0.0.1:1";

  @Test
  void aServerUrlThatIsNotWebSocketExitsTwo() {
    CliRun.Result run = CliRun.run("channels", "http://127.0.0.1:6667");

    assertEquals(2, run.exitCode());
    assertEquals(
        "Error: Invalid server URL http://127.0.0.1:6667 (must start with ws:// or" + " wss://)\n",
        run.err());
  }

  @Test
  void aMalformedServerUrlExitsTwo() {
    assertEquals(2, CliRun.run("send", "ws://bad host", "#general", "hi").exitCode());
  }

  @Test
  void anInvalidChannelNameExitsTwo() {
    CliRun.Result run = CliRun.run("agents", NO_RELAY, "general");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("Error: Invalid channel name \"general\""), run.err());
  }

  @Test
  void aSendTargetThatIsNeitherChannelNorAgentExitsTwo() {
    assertEquals(2, CliRun.run("send", NO_RELAY, "general", "hi").exitCode());
  }

  @Test
  void serveRefusesBadMarketplaceFlagsBeforeStartingAnything() {
    CliRun.Result skills = CliRun.run("serve", "--port", "0", "--max-skills", "0");
    assertEquals(2, skills.exitCode());
    assertEquals("Error: --max-skills must be at least 1\n", skills.err());

    CliRun.Result age = CliRun.run("serve", "--port", "0", "--min-proposal-age", "-1");
    assertEquals(2, age.exitCode());
    assertEquals(
        "Error: --min-proposal-age must be a number of seconds (30) or a number with ms, s or m"
            + " (500ms, 1.5s, 2m); got \"-1\"\n",
        age.err());
  }

  @Test
  void serveRefusesBadCurrencySettingsNamingTheFlag() {
    CliRun.Result faucet = CliRun.run("serve", "--port", "0", "--test-faucet", "lots");
    assertEquals(2, faucet.exitCode());
    assertEquals(
        "Error: --test-faucet (test.faucet) must be a decimal number, not \"lots\"\n",
        faucet.err());

    CliRun.Result setting = CliRun.run("serve", "--port", "0", "--currency-setting", "novalue");
    assertEquals(2, setting.exitCode());
    assertEquals("Error: --currency-setting must be KEY=VALUE, not \"novalue\"\n", setting.err());
  }

  @Test
  void aReservedNickExitsTwo() {
    assertEquals(2, CliRun.run("nick", NO_RELAY, "admin").exitCode());
  }

  @Test
  void anInvalidAgentNameExitsTwo() {
    assertEquals(2, CliRun.run("channels", NO_RELAY, "--name", "no spaces").exitCode());
  }

  @Test
  void aMissingArgumentExitsTwo() {
    assertEquals(2, CliRun.run("send", NO_RELAY).exitCode());
  }

  @Test
  void anUnreachableRelayExitsOneWithAPlainMessage() {
    CliRun.Result run = CliRun.run("channels", NO_RELAY);

    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("Error: Cannot connect to ws://127.0.0.1:1: "), run.err());
    assertEquals(1, run.err().lines().count(), "one line, no stack trace");
  }

  @Test
  void noCommandPrintsUsageAndExitsTwo() {
    CliRun.Result run = CliRun.run();

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Usage: agentchat"), run.err());
  }
}

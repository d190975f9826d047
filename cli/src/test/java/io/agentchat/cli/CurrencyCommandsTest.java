package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.server.ReputationServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code currencies}, {@code balance}, what {@code complete} prints of a payment, and what {@code
 * receipts verify} says of the payments a file carries, against a server with a TEST faucet.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CurrencyCommandsTest {
  @TempDir static Path dir;
  private static ReputationServer server;
  private static TradingAgent alice;
  private static TradingAgent bob;

  @BeforeAll
  static void start() throws Exception {
    server = ReputationServer.withCurrencies(dir.resolve("data"), Map.of("test.faucet", "50"));
    alice = TradingAgent.join(server, dir, "alice");
    bob = TradingAgent.join(server, dir, "bob");
  }

  @AfterAll
  static void stop() throws Exception {
    for (TradingAgent a : new TradingAgent[] {alice, bob}) {
      if (a != null) {
        a.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void currenciesListsTheTestLedger() {
    CliRun.Result run = CliRun.run("currencies", "--server", server.url());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(
        String.join(
            "\n",
            "CODE  KIND    ADAPTER      DETAILS",
            "TEST  ledger  test-ledger  new agents start with 50",
            ""),
        run.out());
  }

  @Test
  void balanceShowsOwnedHeldAndAvailableAndCompletePrintsThePayment() throws Exception {
    String deal = alice.agree(bob, new BigDecimal("12.5"), null, null, null);
    CliRun.Result held =
        CliRun.run(
            "balance", "--server", server.url(), "--identity", alice.identityFile.toString());
    assertEquals(0, held.exitCode(), held.err());
    assertEquals(
        String.join(
            "\n", "CURRENCY  BALANCE  HELD  AVAILABLE", "TEST      50       12.5  37.5", ""),
        held.out());

    CliRun.Result done =
        CliRun.run(
            "complete",
            server.url(),
            deal,
            "--proof",
            "shipped",
            "--identity",
            bob.identityFile.toString());
    assertEquals(0, done.exitCode(), done.err());
    assertTrue(
        done.out()
            .contains(
                "Paid 12.5 TEST from "
                    + alice.id()
                    + " to "
                    + bob.id()
                    + " on the server's ledger."),
        done.out());

    CliRun.Result paid = CliRun.run("balance", bob.id(), "--server", server.url());
    assertEquals(0, paid.exitCode(), paid.err());
    assertTrue(paid.out().contains("TEST      62.5     0     62.5"), paid.out());

    Path file = dir.resolve("bob-receipts.jsonl");
    Files.writeString(file, server.get("/v1/agents/" + bob.id() + "/receipts?format=jsonl").body());
    CliRun.Result verified = CliRun.run("receipts", "verify", file.toString());
    assertEquals(0, verified.exitCode(), verified.err());
    assertTrue(
        verified.out().contains("Payments: 1 on the server's ledger (as the server recorded them)"),
        verified.out());
  }

  @Test
  void balanceOfAnAgentTheServerNeverMetIsAOneLineError() {
    CliRun.Result run = CliRun.run("balance", "@0123456789abcdef", "--server", server.url());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("No agent @0123456789abcdef on this server"), run.err());
  }
}

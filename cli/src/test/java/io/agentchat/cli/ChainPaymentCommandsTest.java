package io.agentchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.server.ReputationServer;
import io.agentchat.wallet.evm.LocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * {@code complete --proof 0x…} for a deal paid in ETH, and {@code receipts verify} of the payment
 * it leaves: unchecked offline, confirmed with {@code --evm-rpc} on the chain that carried it, and
 * refused (exit 1) on a chain that never saw it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ChainPaymentCommandsTest {
  @TempDir static Path dir;
  private static LocalChain chain;
  private static ReputationServer server;
  private static TradingAgent alice;
  private static TradingAgent bob;

  @BeforeAll
  static void start() throws Exception {
    chain = LocalChain.start();
    server =
        ReputationServer.withCurrencies(
            dir.resolve("data"),
            Map.of("evm.rpc", chain.url(), "evm.chain-id", "" + LocalChain.CHAIN_ID));
    alice = TradingAgent.join(server, dir, "alice");
    bob = TradingAgent.join(server, dir, "bob");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {alice, bob, server, chain}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void aPaidDealCompletesWithItsTransactionAndItsReceiptIsCheckedOnTheChain() throws Exception {
    String deal =
        alice
            .client
            .propose(bob.id(), "paid work", new BigDecimal("0.25"), "ETH", null, null, null, null)
            .await()
            .id();
    bob.client.accept(deal, LocalChain.PAYEE.getAddress(), null).await();
    String tx =
        chain
            .sendEth(
                LocalChain.PAYER,
                LocalChain.PAYEE.getAddress(),
                BigInteger.TEN.pow(18).divide(BigInteger.valueOf(4)))
            .getTransactionHash();

    CliRun.Result done =
        CliRun.run(
            "complete",
            server.url(),
            deal,
            "--proof",
            tx,
            "--identity",
            alice.identityFile.toString());
    assertEquals(0, done.exitCode(), done.err());
    assertTrue(
        done.out()
            .contains(
                "Paid 0.25 ETH in "
                    + tx.toLowerCase()
                    + " (chain 31337, 1 confirmations), verified."),
        done.out());

    Path file = dir.resolve("bob.jsonl");
    Files.writeString(file, server.get("/v1/agents/" + bob.id() + "/receipts?format=jsonl").body());

    CliRun.Result offline = CliRun.run("receipts", "verify", file.toString());
    assertEquals(0, offline.exitCode(), offline.err());
    assertTrue(
        offline
            .out()
            .contains(
                "Payments: 1 on a chain, unchecked (give --evm-rpc URL to check them on the"
                    + " chain)"),
        offline.out());

    CliRun.Result checked =
        CliRun.run("receipts", "verify", file.toString(), "--evm-rpc", chain.url());
    assertEquals(0, checked.exitCode(), checked.out() + checked.err());
    assertTrue(
        checked.out().contains("Payments: 1 on a chain, checked on it: 1 confirmed"),
        checked.out());

    try (LocalChain other = LocalChain.start()) {
      CliRun.Result elsewhere =
          CliRun.run("receipts", "verify", file.toString(), "--evm-rpc", other.url());
      assertEquals(1, elsewhere.exitCode(), elsewhere.out() + elsewhere.err());
      assertTrue(
          elsewhere.out().contains("(" + deal + "): the chain does not confirm its payment: "),
          elsewhere.out());
      assertTrue(elsewhere.out().contains("1 NOT confirmed"), elsewhere.out());
    }
  }
}

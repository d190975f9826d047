package io.agentchat.wallet.evm;

import static io.agentchat.wallet.evm.EvmPaymentVerificationTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.wallet.CurrencyAdapter;
import io.agentchat.wallet.CurrencySettings;
import io.agentchat.wallet.PaymentClaim;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node that is down or never answers gives a refusal in bounded time, never a hang; a malformed
 * proof or payee is refused before any RPC call.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EvmRpcFailureTest {
  private static final String PAYEE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final String TX = "0x" + "12".repeat(32);

  @Test
  void aNodeThatIsDownIsReportedAsUnreachable(Vertx vertx) throws Exception {
    CurrencyAdapter adapter = adapter(vertx, "http://127.0.0.1:" + closedPort());
    try {
      String reason = refused(adapter, claim(TX));
      assertEquals("the chain's RPC could not be reached (connection refused)", reason);
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNodeThatAcceptsButNeverAnswersTimesOut(Vertx vertx) throws Exception {
    NetServer silent =
        vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await();
    CurrencyAdapter adapter = adapter(vertx, "http://127.0.0.1:" + silent.actualPort());
    try {
      String reason = refused(adapter, claim(TX));
      assertEquals("the chain's RPC did not answer within 0.5 s", reason);
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
      silent.close().await();
    }
  }

  @Test
  void startingAgainstANodeThatIsDownFailsAndNamesTheSetting(Vertx vertx) throws Exception {
    CurrencyAdapter adapter = adapter(vertx, "http://127.0.0.1:" + closedPort());
    try {
      Exception failure =
          assertThrows(Exception.class, () -> adapter.start(null).await(10, TimeUnit.SECONDS));
      assertEquals(
          "evm.rpc: cannot check the chain id: the chain's RPC could not be reached"
              + " (connection refused)",
          failure.getMessage());
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void startingAgainstANodeThatNeverAnswersFailsInBoundedTime(Vertx vertx) throws Exception {
    NetServer silent =
        vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await();
    CurrencyAdapter adapter = adapter(vertx, "http://127.0.0.1:" + silent.actualPort());
    try {
      Exception failure =
          assertThrows(Exception.class, () -> adapter.start(null).await(10, TimeUnit.SECONDS));
      assertEquals(
          "evm.rpc: cannot check the chain id: the chain's RPC did not answer within 0.5 s",
          failure.getMessage());
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
      silent.close().await();
    }
  }

  @Test
  void aProofThatIsNotATransactionHashIsRefusedWithoutAskingTheNode(Vertx vertx) throws Exception {
    // The node address is never listened on: an RPC call would be refused differently.
    CurrencyAdapter adapter = adapter(vertx, "http://127.0.0.1:9");
    try {
      for (String proof : new String[] {"0x1234", "12".repeat(32), "0x" + "zz".repeat(32)}) {
        assertEquals(
            "the proof must be a transaction hash, 0x and 64 hex digits, not \"" + proof + "\"",
            refused(adapter, claim(proof)));
      }
      assertTrue(refused(adapter, claim(null)).startsWith("the proof must be a transaction"));
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClaimWithoutAValidPayeeIsRefusedWithoutAskingTheNode(Vertx vertx) throws Exception {
    CurrencyAdapter adapter = adapter(vertx, "http://127.0.0.1:9");
    try {
      assertTrue(
          refused(adapter, new PaymentClaim("p-1", "ETH", BigDecimal.ONE, null, TX))
              .startsWith("the deal names no payee address"));
      assertTrue(
          refused(adapter, new PaymentClaim("p-1", "ETH", BigDecimal.ONE, "0x12", TX))
              .startsWith("the payee's an EVM address is 0x and 40 hex digits"));
      assertTrue(
          refused(adapter, new PaymentClaim("p-1", "ETH", new BigDecimal("1E-19"), PAYEE, TX))
              .startsWith("ETH has 18 decimals"));
      assertTrue(
          refused(adapter, new PaymentClaim("p-1", "DAI", BigDecimal.ONE, PAYEE, TX))
              .startsWith("the evm adapter serves ETH"));
    } finally {
      adapter.stop().await(10, TimeUnit.SECONDS);
    }
  }

  private static CurrencyAdapter adapter(Vertx vertx, String rpc) {
    return new EvmAdapterProvider()
        .create(
            new CurrencySettings(
                vertx, Map.of("evm.rpc", rpc, "evm.chain-id", "31337", "evm.timeout-ms", "500")))
        .orElseThrow();
  }

  private static PaymentClaim claim(String proof) {
    return new PaymentClaim("p-1", "ETH", BigDecimal.ONE, PAYEE, proof);
  }

  /** A loopback port nothing listens on: probed, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}

package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentChatException;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.wallet.evm.LocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deals paid in ETH over the wire, against a server wired as {@code serve --evm-rpc} wires it and a
 * real local chain: the acceptor must name its address, a COMPLETE's transaction hash is verified
 * before the deal settles and travels in the frame and the receipt, a payment that does not pay is
 * refused with the deal left accepted, and one transaction never pays two deals.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ChainPaymentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger HALF_ETH = BigInteger.TEN.pow(18).divide(BigInteger.TWO);
  @TempDir static Path dir;
  private static LocalChain chain;
  private static ReputationServer server;

  @BeforeAll
  static void start() throws Exception {
    chain = LocalChain.start();
    server =
        ReputationServer.withCurrencies(
            dir.resolve("data"),
            Map.of("evm.rpc", chain.url(), "evm.chain-id", "" + LocalChain.CHAIN_ID));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private record Pair(AgentChatClient a, AgentChatClient b) implements AutoCloseable {
    @Override
    public void close() {
      a.close().await();
      b.close().await();
    }
  }

  private static Pair pair() {
    return new Pair(
        server.connect(Identity.generate("payer")), server.connect(Identity.generate("payee")));
  }

  /** a proposes half an ETH to b; b accepts, naming the payee's address. */
  private static String accepted(Pair p) {
    String id =
        p.a()
            .propose(
                p.b().agentId(),
                "task " + System.nanoTime(),
                new BigDecimal("0.5"),
                "ETH",
                null,
                null,
                null,
                null)
            .await()
            .id();
    p.b().accept(id, LocalChain.PAYEE.getAddress(), null).await();
    return id;
  }

  @Test
  void aVerifiedPaymentSettlesTheDealAndTravelsInTheFrameAndTheReceipt() throws Exception {
    try (Pair p = pair()) {
      String id = accepted(p);
      TransactionReceipt paid =
          chain.sendEth(LocalChain.PAYER, LocalChain.PAYEE.getAddress(), HALF_ETH);

      ServerFrame.Complete done = p.a().complete(id, paid.getTransactionHash()).await();

      JsonNode payment = done.payment();
      assertEquals("ETH", payment.path("currency").asText());
      assertEquals("0.5", payment.path("amount").asText());
      assertEquals(paid.getTransactionHash().toLowerCase(), payment.path("tx").asText());
      assertEquals(LocalChain.CHAIN_ID, payment.path("chain_id").asLong());
      // Amount 0.5 in a currency weighs the change: log10(1.5) more than an unweighted deal.
      assertEquals(10, done.ratingChanges().get(p.a().agentId()).get("change").asLong());

      JsonNode receipt = null;
      for (String line :
          server
              .get("/v1/agents/" + p.b().agentId() + "/receipts?format=jsonl")
              .body()
              .split("\n")) {
        JsonNode r = JSON.readTree(line);
        if (id.equals(r.path("proposal_id").asText())) {
          receipt = r;
        }
      }
      assertEquals(JSON.readTree(payment.toString()), receipt.get("payment"));
    }
  }

  @Test
  void aPaymentThatDoesNotPayIsRefusedAndTheDealStaysAcceptedForAnotherTry() throws Exception {
    try (Pair p = pair()) {
      String id = accepted(p);
      TransactionReceipt tooLittle =
          chain.sendEth(
              LocalChain.PAYER, LocalChain.PAYEE.getAddress(), HALF_ETH.subtract(BigInteger.ONE));

      AgentChatException refused =
          Refusals.of(() -> p.a().complete(id, tooLittle.getTransactionHash()).await());
      assertEquals("PAYMENT_NOT_VERIFIED", refused.code());
      assertTrue(refused.getMessage().contains("0.5"), refused.getMessage());
      JsonNode proposal = JSON.readTree(server.get("/v1/proposals/" + id).body());
      assertEquals("accepted", proposal.path("status").asText());

      AgentChatException noProof = Refusals.of(() -> p.a().complete(id, null).await());
      assertEquals(
          "a deal in ETH completes with the payment's transaction hash as proof",
          noProof.getMessage());

      TransactionReceipt enough =
          chain.sendEth(LocalChain.PAYER, LocalChain.PAYEE.getAddress(), HALF_ETH);
      assertEquals("completed", p.a().complete(id, enough.getTransactionHash()).await().status());
    }
  }

  @Test
  void oneTransactionNeverPaysTwoDeals() {
    try (Pair p = pair()) {
      String first = accepted(p);
      String second = accepted(p);
      TransactionReceipt paid;
      try {
        paid = chain.sendEth(LocalChain.PAYER, LocalChain.PAYEE.getAddress(), HALF_ETH);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      p.a().complete(first, paid.getTransactionHash()).await();

      AgentChatException refused =
          Refusals.of(() -> p.b().complete(second, paid.getTransactionHash()).await());
      assertEquals("PAYMENT_NOT_VERIFIED", refused.code());
      assertEquals(
          "transaction "
              + paid.getTransactionHash().toLowerCase()
              + " already paid proposal "
              + first,
          refused.getMessage());
    }
  }

  @Test
  void aDealPaidOnChainNeedsAPayeeAddressAtAcceptAndAValidOne() {
    try (Pair p = pair()) {
      String id =
          p.a()
              .propose(
                  p.b().agentId(), "no payee", new BigDecimal("1"), "ETH", null, null, null, null)
              .await()
              .id();
      AgentChatException none = Refusals.of(() -> p.b().accept(id, null, null).await());
      assertEquals("INVALID_PROPOSAL", none.code());
      assertEquals(
          "a deal in ETH is paid on chain: give your address as payment_code with ACCEPT",
          none.getMessage());
      AgentChatException bad = Refusals.of(() -> p.b().accept(id, "0x1234", null).await());
      assertEquals("INVALID_PROPOSAL", bad.code());
      assertTrue(bad.getMessage().startsWith("payment_code: "), bad.getMessage());
    }
  }
}

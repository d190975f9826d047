package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentChatException;
import io.agentchat.identity.Identity;
import io.agentchat.protocol.ServerFrame;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Currencies over the wire, on a server wired as {@code serve --test-faucet 100} wires it:
 * proposals in a currency no adapter serves are refused, the TEST ledger holds at ACCEPT, pays at
 * COMPLETE (the frame and the receipt say so), gives back on REJECT and dispute, and never lets a
 * balance go negative, even when many ACCEPTs race for one proposer's money.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestLedgerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static ReputationServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ReputationServer.withCurrencies(dir.resolve("data"), Map.of("test.faucet", "100"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private record Pair(AgentChatClient a, AgentChatClient b, Identity ia, Identity ib)
      implements AutoCloseable {
    String idA() {
      return "@" + ia.agentId();
    }

    String idB() {
      return "@" + ib.agentId();
    }

    @Override
    public void close() {
      a.close().await();
      b.close().await();
    }
  }

  private static Pair pair() {
    Identity ia = Identity.generate("payer");
    Identity ib = Identity.generate("payee");
    return new Pair(server.connect(ia), server.connect(ib), ia, ib);
  }

  private static ServerFrame.Proposal propose(Pair p, String amount, String currency) {
    return p.a()
        .propose(
            p.idB(),
            "task " + System.nanoTime(),
            amount == null ? null : new BigDecimal(amount),
            currency,
            null,
            null,
            null,
            null)
        .await();
  }

  /** {@code balance} and {@code held} of the agent's TEST account, as the HTTP API shows them. */
  private static String[] balance(String agent) throws Exception {
    HttpResponse<String> r = server.get("/v1/agents/" + agent + "/balances");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode test = JSON.readTree(r.body()).path("balances").get(0);
    assertEquals("TEST", test.path("currency").asText());
    return new String[] {test.path("balance").asText(), test.path("held").asText()};
  }

  @Test
  void aProposalInACurrencyNoAdapterServesIsRefusedWithWhatTheServerServes() {
    try (Pair p = pair()) {
      AgentChatException refused = Refusals.of(() -> propose(p, "5", "DOGE"));
      assertEquals("INVALID_PROPOSAL", refused.code());
      assertEquals(
          "no currency adapter on this server serves \"DOGE\"; it serves TEST (or leave currency"
              + " out)",
          refused.getMessage());
    }
  }

  @Test
  void amountsAreCheckedByTheCurrencysAdapter() {
    try (Pair p = pair()) {
      assertEquals(
          "TEST has 8 decimals; 0.000000001 has more",
          Refusals.of(() -> propose(p, "0.000000001", "TEST")).getMessage());
      assertEquals(
          "a proposal in TEST must name an amount",
          Refusals.of(() -> propose(p, "0", "TEST")).getMessage(),
          "an amount of 0 is no amount, as in the reference");
      assertEquals(
          "a proposal in TEST must name an amount",
          Refusals.of(() -> propose(p, null, "TEST")).getMessage());
    }
  }

  @Test
  void aProposalWithoutACurrencyStaysAllowedAndItsAmountDoesNotWeighTheRatings() {
    try (Pair p = pair()) {
      ServerFrame.Proposal proposal = propose(p, "100", null);
      p.b().accept(proposal.id(), null, null).await();
      ServerFrame.Complete done = p.a().complete(proposal.id(), "done").await();
      // Amount 100 in TEST would give 24 (ReputationTest); without a currency it counts as 0.
      assertEquals(8, done.ratingChanges().get(p.idA()).get("change").asLong());
      assertTrue(done.payment() == null || done.payment().isNull(), "nothing was paid");
    }
  }

  @Test
  void acceptHoldsTheAmountAndCompletePaysItInTheFrameAndTheReceipt() throws Exception {
    try (Pair p = pair()) {
      ServerFrame.Proposal proposal = propose(p, "30.5", "TEST");
      assertEquals("100", balance(p.idA())[0], "a new agent's account opens with the faucet");
      p.b().accept(proposal.id(), null, null).await();
      assertEquals("100", balance(p.idA())[0]);
      assertEquals("30.5", balance(p.idA())[1], "held for the deal");

      ServerFrame.Complete done = p.b().complete(proposal.id(), "delivered").await();
      JsonNode payment = done.payment();
      assertEquals("TEST", payment.path("currency").asText());
      assertEquals("30.5", payment.path("amount").asText());
      assertEquals(p.idA(), payment.path("payer").asText());
      assertEquals(p.idB(), payment.path("payee").asText());
      assertEquals("69.5", balance(p.idA())[0]);
      assertEquals("0", balance(p.idA())[1]);
      assertEquals("130.5", balance(p.idB())[0]);
      // Amount 30.5 in TEST weighs the change: more than the 8 of an unweighted first deal.
      assertTrue(done.ratingChanges().get(p.idA()).get("change").asLong() > 8);

      HttpResponse<String> receipts =
          server.get("/v1/agents/" + p.idB() + "/receipts?format=jsonl");
      assertEquals(200, receipts.statusCode());
      JsonNode receipt = null;
      for (String line : receipts.body().split("\n")) {
        JsonNode r = JSON.readTree(line);
        if ("COMPLETE".equals(r.path("type").asText())) {
          receipt = r;
        }
      }
      assertEquals(proposal.id(), receipt.path("proposal_id").asText());
      assertEquals(payment, receipt.get("payment"), "the receipt carries the payment");
    }
  }

  @Test
  void acceptIsRefusedWhenTheProposerCannotCoverTheAmount() throws Exception {
    try (Pair p = pair()) {
      ServerFrame.Proposal proposal = propose(p, "100.01", "TEST");
      AgentChatException refused =
          Refusals.of(() -> p.b().accept(proposal.id(), null, null).await());
      assertEquals("INVALID_PROPOSAL", refused.code());
      assertEquals(
          p.idA() + " cannot cover 100.01 TEST: its available balance is 100",
          refused.getMessage());
      assertEquals("0", balance(p.idA())[1], "nothing held");
    }
  }

  @Test
  void aRejectedOrDisputedDealGivesTheHeldAmountBack() throws Exception {
    try (Pair p = pair()) {
      ServerFrame.Proposal disputed = propose(p, "40", "TEST");
      p.b().accept(disputed.id(), null, null).await();
      assertEquals("40", balance(p.idA())[1]);
      p.b().dispute(disputed.id(), "never paid").await();
      assertEquals("0", balance(p.idA())[1]);
      assertEquals("100", balance(p.idA())[0]);
      assertEquals("100", balance(p.idB())[0]);
    }
  }

  @Test
  void raceOfAcceptsForOneProposersMoneyNeverOverdrawsIt() throws Exception {
    // 100 TEST; ten deals of 30 accepted at once by ten agents: exactly three can be held.
    Identity payer = Identity.generate("payer");
    AgentChatClient a = server.connect(payer);
    List<AgentChatClient> payees = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        AgentChatClient b = server.connect(Identity.generate("payee" + i));
        payees.add(b);
        ids.add(
            a.propose(
                    b.agentId(), "race " + i, new BigDecimal("30"), "TEST", null, null, null, null)
                .await()
                .id());
      }
      List<io.vertx.core.Future<ServerFrame.Accept>> accepts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        accepts.add(payees.get(i).accept(ids.get(i), null, null));
      }
      // join waits for every ACCEPT, whatever each gets.
      io.vertx.core.Future.join(accepts).otherwiseEmpty().await(60, TimeUnit.SECONDS);
      long accepted = accepts.stream().filter(io.vertx.core.Future::succeeded).count();
      assertEquals(3, accepted);
      for (io.vertx.core.Future<ServerFrame.Accept> f : accepts) {
        if (f.failed()) {
          assertEquals("INVALID_PROPOSAL", ((AgentChatException) f.cause()).code());
        }
      }
      String me = "@" + payer.agentId();
      assertEquals("90", balance(me)[1]);
      for (int i = 0; i < 10; i++) {
        if (accepts.get(i).succeeded()) {
          a.complete(ids.get(i), "done").await();
        }
      }
      assertEquals("10", balance(me)[0]);
      assertEquals("0", balance(me)[1]);
    } finally {
      a.close().await();
      for (AgentChatClient b : payees) {
        b.close().await();
      }
    }
  }

  @Test
  void aLapsedDealGivesItsHoldBackAndCompletesOnlyWhileTheProposerStillCoversIt() throws Exception {
    try (Pair p = pair()) {
      // Both deals lapse a second after they are made, and their holds go back to the proposer.
      ServerFrame.Proposal large = proposeExpiring(p, "60");
      ServerFrame.Proposal small = proposeExpiring(p, "30");
      p.b().accept(large.id(), null, null).await();
      p.b().accept(small.id(), null, null).await();
      assertEquals("90", balance(p.idA())[1]);
      awaitHeld(p.idA(), "0");

      // A third deal holds 50 of the 100: 50 stay free.
      ServerFrame.Proposal third = propose(p, "50", "TEST");
      p.b().accept(third.id(), null, null).await();

      AgentChatException refused = Refusals.of(() -> p.a().complete(large.id(), "done").await());
      assertEquals("PAYMENT_NOT_VERIFIED", refused.code());
      assertEquals(
          "the TEST held for this deal went back to "
              + p.idA()
              + " when it lapsed, and its available balance (50) no longer covers 60",
          refused.getMessage());
      JsonNode stillOpen = JSON.readTree(server.get("/v1/proposals/" + large.id()).body());
      assertEquals("accepted", stillOpen.path("status").asText(), "it can be completed later");

      ServerFrame.Complete paid = p.a().complete(small.id(), "done").await();
      assertEquals("30", paid.payment().path("amount").asText());
      assertEquals("70", balance(p.idA())[0]);
      assertEquals("50", balance(p.idA())[1]);
    }
  }

  private static ServerFrame.Proposal proposeExpiring(Pair p, String amount) {
    return p.a()
        .propose(
            p.idB(),
            "task " + System.nanoTime(),
            new BigDecimal(amount),
            "TEST",
            null,
            1L,
            null,
            null)
        .await();
  }

  /** Waits (bounded by the class timeout) until the lapse sweep has given the holds back. */
  private static void awaitHeld(String agent, String held) throws Exception {
    while (!held.equals(balance(agent)[1])) {
      Thread.sleep(50);
    }
  }

  @Test
  void theHttpApiListsTheCurrenciesAndRefusesBalancesOfAnUnknownAgent() throws Exception {
    HttpResponse<String> r = server.get("/v1/currencies");
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("TEST", body.path("codes").get(0).asText());
    JsonNode ledger = body.path("adapters").get(0);
    assertEquals("test-ledger", ledger.path("name").asText());
    assertEquals("ledger", ledger.path("kind").asText());
    assertEquals("100", ledger.path("faucet").asText());

    HttpResponse<String> unknown = server.get("/v1/agents/@0000000000000000/balances");
    assertEquals(404, unknown.statusCode());
    assertTrue(JSON.readTree(unknown.body()).path("error").asText().contains("No agent"));
  }
}

package io.agentchat.marketplace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.marketplace.spi.ReleaseReason;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.spi.Standing;
import io.agentchat.marketplace.spi.StandingChange;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ErrorCode;
import io.agentchat.protocol.ProtocolException;
import io.agentchat.protocol.SigningStrings;
import io.agentchat.relay.Await;
import io.agentchat.relay.WireClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settlement SPI: a plug-in with tables of its own writes inside each verb's transaction, so
 * its rows commit with the proposal's change or vanish with it, and its refusals reach the agent as
 * ERROR frames with nothing changed. The plug-in here is a test double shaped like reputation: it
 * records a row per event and, at COMPLETE, moves the completer's rating.
 */
class SettlementSpiTest {
  private static final Ledger ledger = new Ledger();
  private static MarketplaceHarness market;

  /** An ELO-like plug-in: one row per event in its own table, a standing at COMPLETE. */
  static final class Ledger implements Settlement {
    @Override
    public String name() {
      return "test-ledger";
    }

    @Override
    public Optional<Schema> schema() {
      return Optional.of(Schema.of("testledger"));
    }

    @Override
    public Future<Void> checkTerms(ProposalView p, SqlConnection tx) {
      if ("NOPE".equals(p.currency())) {
        return Future.failedFuture(
            new ProtocolException(ErrorCode.INVALID_PROPOSAL, "No adapter serves NOPE"));
      }
      return record(tx, p.id(), "proposed", p.from());
    }

    @Override
    public Future<Void> accept(ProposalView p, SqlConnection tx) {
      return record(tx, p.id(), "accepted", p.to())
          .compose(
              v ->
                  "broke".equals(p.acceptorPaymentCode())
                      ? Future.failedFuture(
                          new ProtocolException(
                              ErrorCode.INSUFFICIENT_REPUTATION, "Insufficient ELO"))
                      : Future.succeededFuture());
    }

    @Override
    public Future<SettlementOutcome> complete(ProposalView p, SqlConnection tx) {
      // Writes first, then decides: a refusal after a write must leave no trace of it.
      return record(tx, p.id(), "completed", p.completedBy())
          .compose(
              v -> {
                if ("fail-after-write".equals(p.completionProof())) {
                  return Future.failedFuture(
                      new ProtocolException(ErrorCode.INVALID_PROPOSAL, "The ledger refused"));
                }
                ObjectNode changes = JsonNodeFactory.instance.objectNode();
                changes.putObject("@" + p.completedBy()).put("newRating", 1216);
                return Future.succeededFuture(
                    new SettlementOutcome(
                        changes,
                        null,
                        List.of(new StandingChange(p.completedBy(), null, new Standing(1216, 1)))));
              });
    }

    @Override
    public Future<Void> release(ProposalView p, ReleaseReason reason, SqlConnection tx) {
      return record(tx, p.id(), "released-" + reason.name().toLowerCase(), p.to());
    }

    private static Future<Void> record(SqlConnection tx, String id, String event, String agent) {
      return tx.preparedQuery(
              "INSERT INTO test_ledger (proposal_id, event, agent) VALUES ($1, $2, $3)")
          .execute(Tuple.of(id, event, agent))
          .mapEmpty();
    }
  }

  @BeforeAll
  static void start() {
    market =
        MarketplaceHarness.start(
            DatabaseConfig.external(TestDatabases.emptyDatabaseUrl()),
            new MarketplaceOptions().minProposalAge(Duration.ZERO).settlements(List.of(ledger)));
  }

  @AfterAll
  static void stop() {
    market.close();
  }

  private static JsonObject inCurrency(AgentKeyPair from, String to, String task, String currency) {
    BigDecimal amount = BigDecimal.TEN;
    String sig =
        from.sign(
            SigningStrings.proposal(to, task, amount, currency, (String) null, null, (Long) null));
    return new JsonObject()
        .put("type", "PROPOSAL")
        .put("to", to)
        .put("task", task)
        .put("amount", 10)
        .put("currency", currency)
        .put("sig", sig);
  }

  private static JsonObject acceptPayingTo(AgentKeyPair by, String id, String paymentCode) {
    return new JsonObject()
        .put("type", "ACCEPT")
        .put("proposal_id", id)
        .put("payment_code", paymentCode)
        .put("sig", by.sign(SigningStrings.accept(id, paymentCode, (Long) null)));
  }

  private static List<String> events(String proposalId) {
    List<String> events = new ArrayList<>();
    Await.result(
            market
                .database
                .pool()
                .preparedQuery(
                    "SELECT event FROM test_ledger WHERE proposal_id = $1 ORDER BY event")
                .execute(Tuple.of(proposalId)),
            "ledger")
        .forEach(r -> events.add(r.getString(0)));
    return events;
  }

  private static String status(WireClient client, String proposalId) {
    client.send(new JsonObject().put("type", "LIST_PROPOSALS"));
    for (Object o : client.expect("PROPOSALS").getJsonArray("list")) {
      JsonObject p = (JsonObject) o;
      if (p.getString("id").equals(proposalId)) {
        return p.getString("status");
      }
    }
    return null;
  }

  @Test
  void aPluginsRowsCommitWithCompleteAndItsStandingsRankSearch() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = market.login("la", ka);
        WireClient b = market.login("lb", kb)) {
      a.send(SkillsTest.register(ka, new JsonArray().add(SkillsTest.skill("ledgered_x", 1, "T"))));
      a.expect("SKILLS_REGISTERED");
      String id = ProposalsTest.propose(a, ka, b, "count me");
      b.send(ProposalsTest.accept(kb, id));
      b.expect("ACCEPT");
      a.expect("ACCEPT");
      a.send(ProposalsTest.complete(ka, id, "done"));
      JsonObject complete = a.expect("COMPLETE");
      assertEquals(
          1216,
          complete.getJsonObject("rating_changes").getJsonObject(a.agentId).getInteger("newRating"),
          "the plug-in's rating_changes reach the frame");
      assertEquals(complete, b.expect("COMPLETE"), "both parties get the same frame");
      assertEquals(List.of("accepted", "completed", "proposed"), events(id));
      // The standing reached the search index once COMPLETE was answered.
      a.send(
          new JsonObject()
              .put("type", "SEARCH_SKILLS")
              .put("query", new JsonObject().put("capability", "ledgered_x")));
      JsonObject hit = a.expect("SEARCH_RESULTS").getJsonArray("results").getJsonObject(0);
      assertEquals(1216, hit.getInteger("rating"));
      assertEquals(1, hit.getInteger("transactions"));
    }
  }

  @Test
  void aPluginThatFailsAfterWritingRollsCompleteBackWithItsRows() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = market.login("ra", ka);
        WireClient b = market.login("rb", kb)) {
      String id = ProposalsTest.propose(a, ka, b, "roll me back");
      b.send(ProposalsTest.accept(kb, id));
      b.expect("ACCEPT");
      a.expect("ACCEPT");
      a.send(ProposalsTest.complete(ka, id, "fail-after-write"));
      assertEquals("The ledger refused", a.expectError("INVALID_PROPOSAL").getString("message"));
      b.expectNothingMore();
      assertEquals("accepted", status(a, id), "the status change rolled back too");
      assertEquals(List.of("accepted", "proposed"), events(id), "no completed row");
      a.send(ProposalsTest.complete(ka, id, "done"));
      assertEquals("completed", a.expect("COMPLETE").getString("status"), "and it can be retried");
      assertEquals(List.of("accepted", "completed", "proposed"), events(id));
    }
  }

  @Test
  void refusalsAtProposalAndAcceptChangeNothing() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = market.login("pa", ka);
        WireClient b = market.login("pb", kb)) {
      a.send(inCurrency(ka, b.agentId, "in NOPE", "NOPE"));
      assertEquals(
          "No adapter serves NOPE", a.expectError("INVALID_PROPOSAL").getString("message"));
      a.send(new JsonObject().put("type", "LIST_PROPOSALS"));
      assertEquals(0, a.expect("PROPOSALS").getJsonArray("list").size(), "nothing stored");
      b.expectNothingMore();

      String id = ProposalsTest.propose(a, ka, b, "accept me if you can");
      b.send(acceptPayingTo(kb, id, "broke"));
      assertEquals(
          "Insufficient ELO", b.expectError("INSUFFICIENT_REPUTATION").getString("message"));
      a.expectNothingMore();
      assertEquals("pending", status(b, id));
      assertEquals(List.of("proposed"), events(id), "the accepted row rolled back");

      b.send(ProposalsTest.reject(kb, id, "no"));
      b.expect("REJECT");
      assertEquals(List.of("proposed", "released-rejected"), events(id));
    }
  }
}

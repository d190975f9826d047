package io.agentchat.marketplace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentchat.identity.AgentKeyPair;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.store.NoticeRepository;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.relay.Await;
import io.agentchat.relay.RelayOptions;
import io.agentchat.relay.TestRelay;
import io.agentchat.relay.WireClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the login hand-over delivers, and when kept frames go away instead. */
class HandOverTest {

  @Test
  void agentsOnlineBeforeTheMarketplaceStartsGetTheirNoticesWithoutLoggingInAgain() {
    AgentKeyPair kb = AgentKeyPair.generate();
    String bId = kb.publicKey().agentId();
    String kept = "{\"type\":\"ACCEPT\",\"ts\":1,\"proposal_id\":\"prop_kept_00000001\"}";
    try (TestRelay relay = TestRelay.start(new RelayOptions().msgRate(100).msgBurst(100));
        WireClient b = WireClient.keyed(relay.vertx, relay.port(), "early", kb)) {
      // b logged in while the marketplace was down; a notice waits for it from before.
      Database db =
          Await.result(
              Database.start(
                  relay.vertx,
                  DatabaseConfig.external(TestDatabases.freshDatabaseUrl()),
                  List.of(Marketplace.SCHEMA)),
              "database");
      Await.result(new NoticeRepository().queue(db.pool(), bId, kept, 1_000), "notice");
      Marketplace marketplace =
          Await.result(
              Marketplace.start(
                  relay.vertx, db, new MarketplaceOptions().minProposalAge(Duration.ZERO)),
              "marketplace");
      try {
        assertEquals("prop_kept_00000001", b.expect("ACCEPT").getString("proposal_id"));
        b.expectNothingMore();
      } finally {
        Await.result(marketplace.close(), "marketplace close");
        Await.result(db.close(), "database close");
      }
    }
  }

  @Test
  void aProposalToAnAgentNeverSeenMustExpireAndTakesItsNoticeWithItWhenItDoes() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair late = AgentKeyPair.generate();
    String lateId = "@" + late.publicKey().agentId();
    try (MarketplaceHarness market =
            MarketplaceHarness.start(
                DatabaseConfig.external(TestDatabases.freshDatabaseUrl()),
                new MarketplaceOptions()
                    .minProposalAge(Duration.ZERO)
                    .sweepInterval(Duration.ofMillis(100)));
        WireClient a = market.login("proposer", ka)) {
      a.send(ProposalsTest.proposal(ka, lateId, "whenever", null));
      assertEquals(
          "A proposal to an agent this server has not seen yet must expire: set expires",
          a.expectError("INVALID_PROPOSAL").getString("message"));

      a.send(ProposalsTest.proposal(ka, lateId, "soon or never", 1L));
      String gone = a.expect("PROPOSAL").getString("id");
      a.send(ProposalsTest.proposal(ka, lateId, "while it lasts", 3600L));
      String open = a.expect("PROPOSAL").getString("id");
      // Wait until the sweep has stored the first as expired (LIST_PROPOSALS reads it so from the
      // moment it is due, so ask the database itself).
      awaitStatus(market, gone, "expired");

      try (WireClient b = market.login("late", late)) {
        JsonObject handed = b.expect("PROPOSAL");
        assertEquals(open, handed.getString("id"), "only the proposal still open");
        b.expectNothingMore();
      }
    }
  }

  private static void awaitStatus(MarketplaceHarness market, String id, String status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      String stored =
          Await.result(
                  market
                      .database
                      .pool()
                      .preparedQuery("SELECT status FROM proposals WHERE id = $1")
                      .execute(io.vertx.sqlclient.Tuple.of(id)),
                  "status")
              .iterator()
              .next()
              .getString(0);
      if (status.equals(stored)) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError(id + " never became " + status);
  }
}

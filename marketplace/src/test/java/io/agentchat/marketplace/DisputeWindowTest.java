package io.agentchat.marketplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentchat.identity.AgentKeyPair;
import io.agentchat.marketplace.db.DatabaseConfig;
import io.agentchat.marketplace.spi.ProposalView;
import io.agentchat.marketplace.spi.ReleaseReason;
import io.agentchat.marketplace.spi.Settlement;
import io.agentchat.marketplace.spi.SettlementOutcome;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.relay.WireClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disputes with a contest window: filed, a dispute waits; the other party's own DISPUTE within the
 * window settles it at once as a mutual fault; an uncontested one settles as unilateral at the
 * first sweep after its window closes, and both parties hear of it, the offline one at its next
 * login. With no window a dispute settles as it is filed, as in the reference. Accepted deals whose
 * expiry passes release what plug-ins hold for them, and stay accepted.
 */
class DisputeWindowTest {
  private static final Referee atOnceReferee = new Referee();
  private static final Referee windowReferee = new Referee();
  private static final Referee shortReferee = new Referee();
  private static MarketplaceHarness atOnce;
  private static MarketplaceHarness withWindow;
  private static MarketplaceHarness shortWindow;

  /** Records each settlement it is asked for, and says which in the frame's rating_changes. */
  static final class Referee implements Settlement {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "referee";
    }

    @Override
    public Future<SettlementOutcome> dispute(ProposalView p, SqlConnection tx) {
      if ("poison".equals(p.disputeReason())) {
        return Future.failedFuture(new IllegalStateException("this settlement always fails"));
      }
      events.add(p.id() + " disputed-" + p.disputeSettlement());
      ObjectNode changes = JsonNodeFactory.instance.objectNode();
      changes.put("settled_as", p.disputeSettlement());
      if (p.contestedBy() != null) {
        changes.put("contested_by", "@" + p.contestedBy());
      }
      return Future.succeededFuture(new SettlementOutcome(changes, null, List.of()));
    }

    @Override
    public Future<Void> release(ProposalView p, ReleaseReason reason, SqlConnection tx) {
      events.add(p.id() + " released-" + reason.name().toLowerCase() + "-" + p.status());
      return Future.succeededFuture();
    }

    List<String> of(String proposalId) {
      return events.stream().filter(e -> e.startsWith(proposalId + " ")).toList();
    }
  }

  @BeforeAll
  static void start() {
    atOnce = start(Duration.ZERO, Duration.ofSeconds(60), atOnceReferee);
    withWindow = start(Duration.ofHours(1), Duration.ofMillis(100), windowReferee);
    shortWindow = start(Duration.ofMillis(300), Duration.ofMillis(100), shortReferee);
  }

  private static MarketplaceHarness start(Duration window, Duration sweep, Referee referee) {
    return MarketplaceHarness.start(
        DatabaseConfig.external(TestDatabases.emptyDatabaseUrl()),
        new MarketplaceOptions()
            .minProposalAge(Duration.ZERO)
            .disputeWindow(window)
            .sweepInterval(sweep)
            .settlements(List.of(referee)));
  }

  @AfterAll
  static void stop() {
    for (MarketplaceHarness m : new MarketplaceHarness[] {atOnce, withWindow, shortWindow}) {
      if (m != null) {
        m.close();
      }
    }
  }

  /** Proposes from a to b and has b accept; returns the proposal id. */
  private static String accepted(WireClient a, AgentKeyPair ka, WireClient b, AgentKeyPair kb) {
    String id = ProposalsTest.propose(a, ka, b, "work " + System.nanoTime());
    b.send(ProposalsTest.accept(kb, id));
    b.expect("ACCEPT");
    a.expect("ACCEPT");
    return id;
  }

  /** Waits (a bounded time) for the plug-in to record something about the proposal. */
  private static void awaitEvent(Referee referee, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (referee.of(id).isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void withoutAWindowADisputeSettlesInTheDisputersFavourAsItIsFiled() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = atOnce.login("za", ka);
        WireClient b = atOnce.login("zb", kb)) {
      String id = accepted(a, ka, b, kb);
      b.send(ProposalsTest.dispute(kb, id, "never delivered"));
      JsonObject echo = b.expect("DISPUTE");
      assertEquals("unilateral", echo.getString("settlement"));
      assertEquals("unilateral", echo.getJsonObject("rating_changes").getString("settled_as"));
      assertEquals(echo.getLong("disputed_at"), echo.getLong("settled_at"));
      assertEquals(echo, a.expect("DISPUTE"), "both parties get the same frame");
      assertEquals(List.of(id + " disputed-unilateral"), atOnceReferee.of(id));

      a.send(ProposalsTest.dispute(ka, id, "it was delivered"));
      assertEquals(
          "PROPOSAL_NOT_ACCEPTED",
          a.expectError("INVALID_PROPOSAL").getString("message"),
          "with no window there is nothing to contest");
    }
  }

  @Test
  void theOtherPartysDisputeWithinTheWindowSettlesItAsMutualFault() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = withWindow.login("ma", ka);
        WireClient b = withWindow.login("mb", kb)) {
      String id = accepted(a, ka, b, kb);
      b.send(ProposalsTest.dispute(kb, id, "never delivered"));
      JsonObject filed = b.expect("DISPUTE");
      assertEquals("disputed", filed.getString("status"));
      assertEquals("pending", filed.getString("settlement"));
      assertNull(filed.getValue("rating_changes"), "nothing settled yet");
      assertEquals(filed.getLong("disputed_at") + 3_600_000L, filed.getLong("settles_at"));
      assertEquals(filed, a.expect("DISPUTE"));
      assertTrue(windowReferee.of(id).isEmpty(), "no settlement while the window is open");

      b.send(ProposalsTest.dispute(kb, id, "again"));
      assertEquals(
          "PROPOSAL_NOT_ACCEPTED",
          b.expectError("INVALID_PROPOSAL").getString("message"),
          "the disputer cannot contest its own dispute");

      a.send(ProposalsTest.dispute(ka, id, "it was delivered"));
      JsonObject settled = a.expect("DISPUTE");
      assertEquals("mutual", settled.getString("settlement"));
      assertEquals(b.agentId, settled.getString("disputed_by"), "the first dispute stands");
      assertEquals(a.agentId, settled.getString("contested_by"));
      assertEquals("it was delivered", settled.getString("contest_reason"));
      assertNotNull(settled.getString("contest_sig"));
      assertEquals("mutual", settled.getJsonObject("rating_changes").getString("settled_as"));
      assertEquals(settled, b.expect("DISPUTE"), "the disputer hears of it too");
      assertEquals(List.of(id + " disputed-mutual"), windowReferee.of(id));

      a.send(ProposalsTest.dispute(ka, id, "once more"));
      assertEquals("PROPOSAL_NOT_ACCEPTED", a.expectError("INVALID_PROPOSAL").getString("message"));
      assertEquals(List.of(id + " disputed-mutual"), windowReferee.of(id), "settled once");
    }
  }

  @Test
  void anUncontestedDisputeSettlesWhenItsWindowClosesAndAnOfflinePartyHearsAtLogin() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    String id;
    try (WireClient b = shortWindow.login("sb", kb)) {
      try (WireClient a = shortWindow.login("sa", ka)) {
        id = accepted(a, ka, b, kb);
        b.send(ProposalsTest.dispute(kb, id, "never delivered"));
        assertEquals("pending", b.expect("DISPUTE").getString("settlement"));
        a.expect("DISPUTE");
      }
      // a is gone before the window closes; b stays to see the sweep's frame live.
      JsonObject settled = b.expect("DISPUTE");
      assertEquals("unilateral", settled.getString("settlement"));
      assertEquals("unilateral", settled.getJsonObject("rating_changes").getString("settled_as"));
      assertTrue(settled.getLong("settled_at") >= settled.getLong("settles_at"));
      assertFalse(settled.containsKey("contested_by"));
    }
    assertEquals(List.of(id + " disputed-unilateral"), shortReferee.of(id));
    try (WireClient a = shortWindow.login("sa", ka)) {
      JsonObject missed = a.expect("DISPUTE");
      assertEquals(id, missed.getString("proposal_id"));
      assertEquals("unilateral", missed.getString("settlement"), "kept for its next login");
    }
  }

  @Test
  void aDisputeWhoseSettlementFailsDoesNotHoldUpTheOthers() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = shortWindow.login("pa", ka);
        WireClient b = shortWindow.login("pb", kb)) {
      String poisoned = accepted(a, ka, b, kb);
      String healthy = accepted(a, ka, b, kb);
      b.send(ProposalsTest.dispute(kb, poisoned, "poison"));
      b.expect("DISPUTE");
      a.expect("DISPUTE");
      b.send(ProposalsTest.dispute(kb, healthy, "never delivered"));
      b.expect("DISPUTE");
      a.expect("DISPUTE");
      // The poisoned one's window closes first; the sweep fails it and still settles the other.
      JsonObject settled = b.expect("DISPUTE");
      assertEquals(healthy, settled.getString("proposal_id"));
      assertEquals("unilateral", settled.getString("settlement"));
      assertTrue(shortReferee.of(poisoned).isEmpty(), "the poisoned one stays open");
    }
  }

  @Test
  void anAcceptedDealWhoseExpiryPassesReleasesItsLocksAndCanStillBeCompleted() {
    AgentKeyPair ka = AgentKeyPair.generate();
    AgentKeyPair kb = AgentKeyPair.generate();
    try (WireClient a = withWindow.login("la", ka);
        WireClient b = withWindow.login("lb", kb)) {
      a.send(ProposalsTest.proposal(ka, b.agentId, "quick job", 1L));
      String id = a.expect("PROPOSAL").getString("id");
      b.expect("PROPOSAL");
      b.send(ProposalsTest.accept(kb, id));
      b.expect("ACCEPT");
      a.expect("ACCEPT");
      awaitEvent(windowReferee, id);
      assertEquals(List.of(id + " released-lapsed-accepted"), windowReferee.of(id));
      a.send(ProposalsTest.complete(ka, id, "done anyway"));
      assertEquals("completed", a.expect("COMPLETE").getString("status"));
    }
  }
}

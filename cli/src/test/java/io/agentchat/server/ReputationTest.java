package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentchat.client.AgentChatClient;
import io.agentchat.client.AgentChatException;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ServerFrame;
import io.agentchat.reputation.Recalculation;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reputation over the wire, with disputes settled at once (--dispute-window 0) so the numbers are
 * the reference's: every completion and dispute moves both ratings, the frame says how, stakes are
 * checked and settled, and the ratings equal a replay of the receipts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReputationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static ReputationServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(), dir.resolve("data"), Duration.ZERO, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Two fresh agents, connected. */
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
    Identity ia = Identity.generate("a");
    Identity ib = Identity.generate("b");
    return new Pair(server.connect(ia), server.connect(ib), ia, ib);
  }

  /** a proposes to b, b accepts; returns the proposal id. */
  private static String accepted(
      Pair p, BigDecimal amount, Long proposerStake, Long acceptorStake, String capability) {
    ServerFrame.Proposal proposal =
        p.a()
            .propose(
                p.idB(),
                "task " + System.nanoTime(),
                amount,
                amount == null ? null : "TEST",
                null,
                null,
                null,
                proposerStake,
                capability)
            .await();
    p.b().accept(proposal.id(), null, acceptorStake).await();
    return proposal.id();
  }

  private static JsonNode change(JsonNode ratingChanges, String id) {
    return ratingChanges.get(id);
  }

  @Test
  void aFirstCompletionBetweenFreshAgentsGivesEachEight() {
    try (Pair p = pair()) {
      String id = accepted(p, null, null, null, null);
      ServerFrame.Complete done = p.a().complete(id, "done").await();
      JsonNode changes = done.ratingChanges();
      assertEquals(1200, change(changes, p.idA()).get("oldRating").asLong());
      assertEquals(1208, change(changes, p.idA()).get("newRating").asLong());
      assertEquals(8, change(changes, p.idB()).get("change").asLong());
      assertEquals(1, change(changes, p.idB()).get("transactions").asLong());
      assertFalse(changes.has("_escrow"), "nothing was staked");
    }
  }

  @Test
  void anAmountOfOneHundredWeighsTheChangeUpToTheCap() {
    try (Pair p = pair()) {
      String id = accepted(p, new BigDecimal("100"), null, null, null);
      JsonNode changes = p.b().complete(id, null).await().ratingChanges();
      assertEquals(24, change(changes, p.idA()).get("change").asLong());
      assertEquals(24, change(changes, p.idB()).get("change").asLong());
    }
  }

  @Test
  void aUnilateralDisputeGivesTheDisputerEightAndCostsTheOtherSixteen() {
    try (Pair p = pair()) {
      String id = accepted(p, null, null, null, null);
      ServerFrame.Dispute d = p.b().dispute(id, "nothing delivered").await();
      assertEquals("unilateral", d.settlement());
      assertEquals(8, change(d.ratingChanges(), p.idB()).get("change").asLong());
      assertEquals(-16, change(d.ratingChanges(), p.idA()).get("change").asLong());
      JsonNode escrow = d.ratingChanges().get("_escrow");
      assertEquals("transferred", escrow.get("settlement").asText());
      assertEquals(p.idB(), escrow.get("transferred_to").asText());
      assertEquals(0, escrow.get("transferred_amount").asLong());
    }
  }

  @Test
  void aDisputeOverTenAndTenStakedMovesEighteenAndTwentySix() {
    try (Pair p = pair()) {
      String id = accepted(p, null, 10L, 10L, null);
      JsonNode changes = p.a().dispute(id, "no show").await().ratingChanges();
      assertEquals(18, change(changes, p.idA()).get("change").asLong());
      assertEquals(-26, change(changes, p.idB()).get("change").asLong());
      assertEquals(10, changes.get("_escrow").get("transferred_amount").asLong());
    }
  }

  @Test
  void aStakeLargerThanTheAvailableEloIsRefusedWithTheReferencesMessage() {
    try (Pair p = pair()) {
      ServerFrame.Proposal proposal =
          p.a().propose(p.idB(), "big bet", null, null, null, null, null, 2000L, null).await();
      AgentChatException refused =
          Refusals.of(() -> p.b().accept(proposal.id(), null, null).await());
      assertEquals("INSUFFICIENT_REPUTATION", refused.code());
      assertEquals(
          "Proposer: Insufficient ELO. Available: 1100, Requested: 2000", refused.getMessage());

      ServerFrame.Proposal small =
          p.a().propose(p.idB(), "small bet", null, null, null, null, null, 100L, null).await();
      AgentChatException mine = Refusals.of(() -> p.b().accept(small.id(), null, 1101L).await());
      assertEquals("Insufficient ELO. Available: 1100, Requested: 1101", mine.getMessage());
      p.b().accept(small.id(), null, 1000L).await();
      // Both stakes are locked now: a's 100 of its 1100 available.
      ServerFrame.Proposal third =
          p.a().propose(p.idB(), "third bet", null, null, null, null, null, 1001L, null).await();
      AgentChatException locked = Refusals.of(() -> p.b().accept(third.id(), null, null).await());
      assertEquals(
          "Proposer: Insufficient ELO. Available: 1000, Requested: 1001", locked.getMessage());
    }
  }

  @Test
  void stakesOnADealWhoseExpiryPassesUnfinishedAreReleasedAndTheDealGoesOn() throws Exception {
    try (Pair p = pair()) {
      ServerFrame.Proposal quick =
          p.a().propose(p.idB(), "quick", null, null, null, 1L, null, 1100L, null).await();
      p.b().accept(quick.id(), null, null).await();
      // All of a's available ELO is locked until the deal's expiry passes and the sweep (every
      // 100 ms here) releases it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String released = null;
      while (released == null && System.nanoTime() < deadline) {
        ServerFrame.Proposal next =
            p.a()
                .propose(
                    p.idB(), "next " + System.nanoTime(), null, null, null, null, null, 1100L, null)
                .await();
        try {
          p.b().accept(next.id(), null, null).await();
          released = next.id();
        } catch (AgentChatException stillLocked) {
          assertEquals("INSUFFICIENT_REPUTATION", stillLocked.code());
          Thread.sleep(100);
        }
      }
      assertTrue(released != null, "the lapsed deal's stake was released");
      JsonNode changes = p.a().complete(quick.id(), null).await().ratingChanges();
      assertFalse(changes.has("_escrow"), "the lapsed deal completes with nothing at stake");
      assertEquals(8, change(changes, p.idA()).get("change").asLong());
    }
  }

  @Test
  void aSecondCompletionWithinTheHourIsHeldByTheCooldownAndSaysWhy() {
    try (Pair p = pair()) {
      p.a().complete(accepted(p, null, null, null, null), null).await();
      String second = accepted(p, null, 5L, null, null);
      JsonNode changes = p.a().complete(second, null).await().ratingChanges();
      assertEquals(0, change(changes, p.idA()).get("change").asLong());
      assertEquals(1208, change(changes, p.idA()).get("newRating").asLong());
      assertEquals(1, change(changes, p.idA()).get("transactions").asLong());
      JsonNode cooldown = changes.get("_cooldown");
      assertEquals(
          cooldown.get("last_completed_at").asLong() + 3_600_000L, cooldown.get("until").asLong());
      assertEquals("returned", changes.get("_escrow").get("settlement").asText());
      // The stake came back: the whole 1108 is available again.
      ServerFrame.Proposal next =
          p.a().propose(p.idB(), "after", null, null, null, null, null, 1108L, null).await();
      p.b().accept(next.id(), null, null).await();
    }
  }

  @Test
  void aDealAboutACapabilityMovesThatCapabilitysRatingsAndSearchShowsThem() throws Exception {
    try (Pair p = pair()) {
      p.b()
          .registerSkills(
              JsonNodeFactory.instance
                  .arrayNode()
                  .add(
                      JsonNodeFactory.instance
                          .objectNode()
                          .put("capability", "Legal_Review_" + p.ib().agentId())
                          .put("rate", 5)))
          .await();
      String cap = "legal_review_" + p.ib().agentId();
      String id = accepted(p, null, null, null, "Legal_Review_" + p.ib().agentId());
      JsonNode changes = p.a().complete(id, null).await().ratingChanges();
      assertEquals(cap, changes.get("_capability").get("name").asText());
      assertEquals(1208, changes.get("_capability").get(p.idB()).get("newRating").asLong());

      ServerFrame.SearchResults found =
          p.a().searchSkills(JsonNodeFactory.instance.objectNode().put("capability", cap)).await();
      JsonNode hit = JSON.valueToTree(found.results().get(0));
      assertEquals(1208, hit.get("skill_rating").asLong());
      assertEquals(1, hit.get("skill_transactions").asLong());
      assertEquals(1208, hit.get("agent_rating").asLong());
      assertEquals(1208, hit.get("rating").asLong());

      HttpResponse<String> agent = server.get("/v1/agents/" + p.ib().agentId());
      assertEquals(200, agent.statusCode());
      JsonNode body = JSON.readTree(agent.body());
      assertEquals(1208, body.get("rating").asLong());
      assertEquals(1208, body.get("capabilities").get(cap).get("rating").asLong());
      assertEquals(1, body.get("skills").size());
      assertTrue(body.get("online").asBoolean());
    }
  }

  @Test
  void storedRatingsEqualAReplayOfTheReceipts() {
    try (Pair p = pair()) {
      p.a().complete(accepted(p, new BigDecimal("7.5"), null, null, "x"), null).await();
      p.b().dispute(accepted(p, null, 3L, 4L, null), "bad").await();
    }
    Recalculation replay =
        server.reputation.recalculate().toCompletionStage().toCompletableFuture().join();
    assertTrue(replay.receipts() >= 2);
    assertEquals(List.of(), replay.differences());
  }
}

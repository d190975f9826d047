package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.protocol.ServerFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disputes with a contest window, with ratings: contested, both parties lose and both stakes burn;
 * uncontested, the dispute settles when its window closes even if the server was down at that
 * moment, and the disputer hears of it at its next login.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DisputeWindowRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aContestedDisputeIsAMutualFaultThatBurnsBothStakes() throws Exception {
    try (ReputationServer server =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(), dir.resolve("d"), Duration.ofHours(1), List.of())) {
      Identity alice = Identity.generate("alice");
      Identity bob = Identity.generate("bob");
      AgentChatClient a = server.connect(alice);
      AgentChatClient b = server.connect(bob);
      String id =
          a.propose("@" + bob.agentId(), "contested", null, null, null, null, null, 10L)
              .await()
              .id();
      b.accept(id, null, 10L).await();
      ServerFrame.Dispute filed = b.dispute(id, "never delivered").await();
      assertEquals("pending", filed.settlement());
      ServerFrame.Dispute settled = a.dispute(id, "it was delivered").await();
      assertEquals("mutual", settled.settlement());
      JsonNode changes = settled.ratingChanges();
      assertEquals(-26, changes.get("@" + alice.agentId()).get("change").asLong());
      assertEquals(-26, changes.get("@" + bob.agentId()).get("change").asLong());
      assertEquals("burned", changes.get("_escrow").get("settlement").asText());
      assertEquals(20, changes.get("_escrow").get("burned_amount").asLong());
      a.close().await();
      b.close().await();
    }
  }

  @Test
  void anUncontestedDisputeSettlesAfterItsWindowEvenAcrossARestart() throws Exception {
    String db = TestDatabases.emptyDatabaseUrl();
    Path data = dir.resolve("r");
    Identity alice = Identity.generate("alice");
    Identity bob = Identity.generate("bob");
    String id;
    try (ReputationServer server =
        ReputationServer.start(db, data, Duration.ofSeconds(2), List.of())) {
      AgentChatClient a = server.connect(alice);
      AgentChatClient b = server.connect(bob);
      id = a.propose("@" + bob.agentId(), "quiet", null, null, null, null, null, null).await().id();
      b.accept(id, null, null).await();
      assertEquals("pending", b.dispute(id, "never delivered").await().settlement());
      a.close().await();
      b.close().await();
    }
    // Down while the window closes.
    Thread.sleep(2_500);
    try (ReputationServer server =
        ReputationServer.start(db, data, Duration.ofSeconds(2), List.of())) {
      CompletableFuture<ServerFrame.Dispute> heard = new CompletableFuture<>();
      AgentChatClient b =
          AgentChatClient.connect(
                  server.vertx,
                  server.url(),
                  "bob",
                  bob,
                  Duration.ofSeconds(10),
                  c ->
                      c.frameHandler(
                          f -> {
                            if (f instanceof ServerFrame.Dispute d
                                && "unilateral".equals(d.settlement())) {
                              heard.complete(d);
                            }
                          }))
              .await();
      ServerFrame.Dispute settled = heard.get(30, TimeUnit.SECONDS);
      assertEquals(id, settled.proposalId());
      assertEquals(8, settled.ratingChanges().get("@" + bob.agentId()).get("change").asLong());
      assertEquals(-16, settled.ratingChanges().get("@" + alice.agentId()).get("change").asLong());
      JsonNode alicesRating = JSON.readTree(server.get("/v1/agents/" + alice.agentId()).body());
      assertEquals(1184, alicesRating.get("rating").asLong());
      b.close().await();
    }
  }
}

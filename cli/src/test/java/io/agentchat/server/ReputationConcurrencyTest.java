package io.agentchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.client.AgentChatClient;
import io.agentchat.identity.Identity;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.agentchat.reputation.AgentReputation;
import io.agentchat.reputation.Recalculation;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of completions and disputes at once over a handful of shared agents, in both directions:
 * every one succeeds (rows are locked in a fixed order, so none deadlocks), and the stored ratings
 * end exactly equal to a replay of the stored receipts.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReputationConcurrencyTest {
  private static final int AGENTS = 5;
  private static final int DEALS = 300;

  @TempDir Path dir;

  @Test
  void concurrentSettlementsEndWithRatingsEqualToAReplayOfTheirReceipts() throws Exception {
    try (ReputationServer server =
        ReputationServer.start(
            TestDatabases.emptyDatabaseUrl(), dir.resolve("data"), Duration.ZERO, List.of())) {
      List<Identity> ids = new ArrayList<>();
      List<AgentChatClient> clients = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        Identity id = Identity.generate("agent" + i);
        ids.add(id);
        clients.add(server.connect(id));
      }
      // A fixed seed: the same deals every run, so a failure can be replayed.
      Random random = new Random(42);
      record Settle(int by, String proposalId, boolean complete) {}
      List<Settle> settles = new ArrayList<>();
      for (int d = 0; d < DEALS; d++) {
        int from = random.nextInt(AGENTS);
        int to = (from + 1 + random.nextInt(AGENTS - 1)) % AGENTS;
        BigDecimal amount = random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(200)) : null;
        Long stake = random.nextInt(4) == 0 ? Long.valueOf(1 + random.nextInt(3)) : null;
        String capability = random.nextBoolean() ? "cap" + random.nextInt(3) : null;
        String id =
            clients
                .get(from)
                .propose(
                    "@" + ids.get(to).agentId(),
                    "deal " + d,
                    amount,
                    amount == null ? null : "TEST",
                    null,
                    null,
                    null,
                    stake,
                    capability)
                .await(10, TimeUnit.SECONDS)
                .id();
        clients.get(to).accept(id, null, stake).await(10, TimeUnit.SECONDS);
        settles.add(new Settle(random.nextBoolean() ? from : to, id, random.nextInt(3) != 0));
      }

      List<Future<?>> all = new ArrayList<>();
      for (Settle s : settles) {
        AgentChatClient by = clients.get(s.by());
        all.add(
            s.complete() ? by.complete(s.proposalId(), null) : by.dispute(s.proposalId(), "no"));
      }
      Future.all(all).await(120, TimeUnit.SECONDS);
      for (AgentChatClient c : clients) {
        c.close().await(10, TimeUnit.SECONDS);
      }

      Recalculation replay = server.reputation.recalculate().await(60, TimeUnit.SECONDS);
      assertEquals(DEALS, replay.receipts(), "one receipt per settled deal");
      assertEquals(List.of(), replay.differences(), "stored ratings = replay of receipts");
      long moved = 0;
      for (Identity id : ids) {
        AgentReputation stored =
            server.reputation.agent(id.agentId()).await(10, TimeUnit.SECONDS).orElseThrow();
        moved += stored.transactions();
        assertEquals(0, stored.staked(), "every stake settled with its deal");
      }
      assertTrue(moved > 0, "ratings moved");
    }
  }
}

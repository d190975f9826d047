package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AgentRepositoryTest {
  private static Database db;
  private static AgentRepository agents;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestDatabases.startFresh(vertx)
        .onComplete(
            ctx.succeeding(
                started -> {
                  db = started;
                  agents = new AgentRepository();
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    db.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAgentSeenAgainKeepsItsFirstSightingAndTakesItsNewName(VertxTestContext ctx) {
    String id = "c000000000000001";
    agents
        .isKnown(db.pool(), id)
        .map(
            known -> {
              assertFalse(known);
              return known;
            })
        .compose(v -> agents.seen(db.pool(), id, "PEM", "alice", 1_000))
        .compose(v -> agents.seen(db.pool(), id, "PEM", "alice2", 5_000))
        .compose(v -> agents.isKnown(db.pool(), id))
        .map(
            known -> {
              assertTrue(known);
              return known;
            })
        .compose(
            v ->
                db.pool().preparedQuery("SELECT * FROM agents WHERE id = $1").execute(Tuple.of(id)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              assertEquals(1_000L, row.getLong("first_seen"));
              assertEquals(5_000L, row.getLong("last_seen"));
              assertEquals("alice2", row.getString("name"));
              assertEquals("PEM", row.getString("pubkey"));
              return row;
            })
        .onComplete(ctx.succeedingThenComplete());
  }
}

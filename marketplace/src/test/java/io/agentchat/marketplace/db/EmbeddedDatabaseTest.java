package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.store.AgentRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Postgres: data kept across restarts, and a pool that outlives an outage. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class EmbeddedDatabaseTest {

  @Test
  void dataWrittenBeforeARestartIsReadAfterIt(
      Vertx vertx, VertxTestContext ctx, @TempDir Path dataDir) {
    DatabaseConfig config = DatabaseConfig.embedded(dataDir);
    Database.start(vertx, config)
        .compose(
            db -> {
              assertTrue(
                  db.description().startsWith("embedded Postgres 17 at " + dataDir.resolve("pg")),
                  db.description());
              return new AgentRepository(db.pool())
                  .seen("d000000000000001", "PEM", "kept", 1_000)
                  .eventually(db::close);
            })
        .compose(v -> Database.start(vertx, config))
        .compose(
            db ->
                new AgentRepository(db.pool())
                    .isKnown("d000000000000001")
                    .map(
                        known -> {
                          assertTrue(known, "the agent survived the restart");
                          return known;
                        })
                    .eventually(db::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void queriesFailWhileTheServerIsDownAndTheSamePoolServesThemWhenItIsBack(
      Vertx vertx, VertxTestContext ctx, @TempDir Path dataDir) {
    Database.start(vertx, DatabaseConfig.embedded(dataDir))
        .compose(
            db -> {
              Pool pool = db.pool();
              return selectOne(pool)
                  .compose(v -> db.stopServer())
                  .compose(
                      v ->
                          selectOne(pool)
                              .transform(
                                  ar -> {
                                    assertTrue(
                                        ar.failed(), "a query fails while the database is down");
                                    return db.startServer();
                                  }))
                  .compose(v -> selectOne(pool))
                  .eventually(db::close);
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFixedPortInUseFailsWithAMessageNamingThePort(
      Vertx vertx, VertxTestContext ctx, @TempDir Path dataDir) throws Exception {
    ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int port = taken.getLocalPort();
    Database.start(vertx, DatabaseConfig.embedded(dataDir).withEmbeddedPort(port))
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          taken.close();
                          assertInstanceOf(DatabaseStartException.class, e);
                          assertTrue(
                              e.getMessage()
                                  .startsWith(
                                      "Cannot start embedded Postgres in " + dataDir.resolve("pg")),
                              e.getMessage());
                          assertTrue(
                              e.getMessage().contains("port " + port + " is already in use"),
                              e.getMessage());
                          ctx.completeNow();
                        })));
  }

  private static Future<Void> selectOne(Pool pool) {
    return pool.query("SELECT 1")
        .execute()
        .map(
            rows -> {
              assertEquals(1, rows.iterator().next().getInteger(0));
              return null;
            });
  }
}

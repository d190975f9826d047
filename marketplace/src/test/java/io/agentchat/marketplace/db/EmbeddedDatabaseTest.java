package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.store.AgentRepository;
import io.agentchat.marketplace.testdb.StoppablePostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Postgres: data kept across restarts, and a pool that outlives an outage. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class EmbeddedDatabaseTest {
  private static final List<Schema> SCHEMAS = List.of(Marketplace.SCHEMA);

  @Test
  void dataWrittenBeforeARestartIsReadAfterIt(
      Vertx vertx, VertxTestContext ctx, @TempDir Path dataDir) {
    DatabaseConfig config = DatabaseConfig.embedded(dataDir);
    Database.start(vertx, config, SCHEMAS)
        .compose(
            db -> {
              assertTrue(
                  db.description().startsWith("embedded Postgres 17 at " + dataDir.resolve("pg")),
                  db.description());
              return new AgentRepository()
                  .seen(db.pool(), "d000000000000001", "PEM", "kept", 1_000)
                  .eventually(db::close);
            })
        .compose(v -> Database.start(vertx, config, SCHEMAS))
        .compose(
            db ->
                new AgentRepository()
                    .isKnown(db.pool(), "d000000000000001")
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
    StoppablePostgres server = StoppablePostgres.start(dataDir);
    Database.start(vertx, server.config(), SCHEMAS)
        .compose(
            db -> {
              Pool pool = db.pool();
              return selectOne(pool)
                  .compose(v -> vertx.executeBlocking(() -> run(server::pause)))
                  .compose(
                      v ->
                          selectOne(pool)
                              .transform(
                                  ar -> {
                                    assertTrue(
                                        ar.failed(), "a query fails while the database is down");
                                    return vertx.executeBlocking(() -> run(server::resume));
                                  }))
                  .compose(v -> selectOne(pool))
                  .eventually(db::close);
            })
        .eventually(() -> vertx.executeBlocking(() -> run(server::close)))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Void run(Runnable blocking) {
    blocking.run();
    return null;
  }

  @Test
  void aFixedPortInUseFailsWithAMessageNamingThePort(
      Vertx vertx, VertxTestContext ctx, @TempDir Path dataDir) throws Exception {
    ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int port = taken.getLocalPort();
    Database.start(vertx, DatabaseConfig.embedded(dataDir).withEmbeddedPort(port), SCHEMAS)
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

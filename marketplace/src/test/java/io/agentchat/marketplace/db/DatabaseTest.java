package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starting on an external server, and the messages an operator gets when that fails. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DatabaseTest {
  private static final List<Schema> SCHEMAS = List.of(Marketplace.SCHEMA);

  @Test
  void anExternalDatabaseIsDescribedWithoutItsPassword(Vertx vertx, VertxTestContext ctx) {
    DatabaseAddress fresh = DatabaseAddress.parse(TestDatabases.freshDatabaseUrl());
    // The test server may trust local connections; either way the password must not show.
    String url =
        new DatabaseAddress(fresh.host(), fresh.port(), fresh.database(), fresh.user(), "s3cret-pw")
            .toUrl();
    DatabaseConfig config = DatabaseConfig.external(url);
    assertFalse(config.toString().contains("s3cret-pw"), config.toString());
    Database.start(vertx, config, SCHEMAS)
        .map(
            db -> {
              assertTrue(
                  db.description().matches("Postgres \\d+ at .+:\\d+/" + fresh.database()),
                  db.description());
              assertFalse(db.description().contains("s3cret-pw"));
              return db;
            })
        .compose(Database::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anUnreachableServerFailsWithAMessageNamingHostAndPort(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Database.start(
            vertx,
            DatabaseConfig.external("postgresql://u:s3cret-pw@127.0.0.1:" + closedPort + "/db"),
            SCHEMAS)
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertInstanceOf(DatabaseStartException.class, e);
                          assertTrue(
                              e.getMessage()
                                  .startsWith(
                                      "Cannot reach database at 127.0.0.1:" + closedPort + ": "),
                              e.getMessage());
                          assertFalse(e.getMessage().contains("s3cret-pw"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void aMissingDatabaseFailsWithAMessageNamingIt(Vertx vertx, VertxTestContext ctx) {
    DatabaseAddress missing =
        DatabaseAddress.parse(TestDatabases.emptyDatabaseUrl()).withDatabase("no_such_db");
    Database.start(vertx, DatabaseConfig.external(missing.toUrl()), SCHEMAS)
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertInstanceOf(DatabaseStartException.class, e);
                          assertTrue(
                              e.getMessage().startsWith("Database no_such_db does not exist at "),
                              e.getMessage());
                          ctx.completeNow();
                        })));
  }

  @Test
  void aMalformedUrlFailsWithoutEchoingIt(Vertx vertx, VertxTestContext ctx) {
    Database.start(vertx, DatabaseConfig.external("mysql://u:s3cret-pw@h/db"), SCHEMAS)
        .onComplete(
            ctx.failing(
                e ->
                    ctx.verify(
                        () -> {
                          assertInstanceOf(DatabaseStartException.class, e);
                          assertTrue(
                              e.getMessage().startsWith("Invalid database URL: "), e.getMessage());
                          assertFalse(e.getMessage().contains("s3cret-pw"));
                          ctx.completeNow();
                        })));
  }
}

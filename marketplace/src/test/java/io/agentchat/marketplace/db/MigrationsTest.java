package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MigrationsTest {
  private static final List<Schema> SCHEMAS = List.of(Marketplace.SCHEMA);

  private static final List<String> TABLES =
      List.of("agents", "notices", "proposals", "skill_registrations", "skills");

  @Test
  void migrationsApplyOnAFreshDatabaseAndAgainChangeNothing(Vertx vertx, VertxTestContext ctx) {
    DatabaseConfig config = DatabaseConfig.external(TestDatabases.emptyDatabaseUrl());
    Database.start(vertx, config, SCHEMAS)
        .compose(db -> check(db).eventually(db::close))
        // A second start finds the schema in place and applies nothing.
        .compose(v -> Database.start(vertx, config, SCHEMAS))
        .compose(db -> check(db).eventually(db::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aModuleAddedLaterMigratesItsOwnV1IntoItsOwnHistory(Vertx vertx, VertxTestContext ctx) {
    DatabaseConfig config = DatabaseConfig.external(TestDatabases.emptyDatabaseUrl());
    Schema ledger = Schema.of("testledger");
    Database.start(vertx, config, SCHEMAS)
        .compose(Database::close)
        // The database already holds the marketplace's tables and history; the new module's V1
        // still runs, and the marketplace's history is untouched.
        .compose(v -> Database.start(vertx, config, List.of(Marketplace.SCHEMA, ledger)))
        .compose(
            db ->
                versions(db, "testledger_schema_history")
                    .map(
                        versions -> {
                          assertEquals(List.of("0", "1"), versions, "baseline, then its V1");
                          return null;
                        })
                    .compose(v -> check(db))
                    .compose(v -> db.pool().query("SELECT count(*) FROM test_ledger").execute())
                    .eventually(db::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void pendingProposalsOfAnOlderVersionBecomeNoticesForTheirRecipientsOnce(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    DatabaseAddress address = DatabaseAddress.parse(TestDatabases.emptyDatabaseUrl());
    // The schema as version 3 left it, with proposals made under it.
    Flyway.configure(MigrationsTest.class.getClassLoader())
        .dataSource(address.jdbcUrl(), address.user(), address.password())
        .locations(Marketplace.SCHEMA.location())
        .target("3")
        .load()
        .migrate();
    long future = System.currentTimeMillis() + 3_600_000;
    try (Connection c =
            DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO proposals (id, from_agent, to_agent, task, amount, status, created_at,"
              + " updated_at, sig, signed_digest, expires_at) VALUES"
              + " ('prop_open', 'a000000000000001', 'b000000000000001', 'still open', 12.50,"
              + " 'pending', 1000, 1000, 'sig-1', 'd1', "
              + future
              + "),"
              + " ('prop_due', 'a000000000000001', 'b000000000000001', 'expired', NULL,"
              + " 'pending', 1000, 1000, 'sig-2', 'd2', 2000),"
              + " ('prop_taken', 'a000000000000001', 'b000000000000001', 'accepted', NULL,"
              + " 'accepted', 1000, 1500, 'sig-3', 'd3', NULL)");
    }
    Database.start(vertx, DatabaseConfig.external(address.toUrl()), SCHEMAS)
        .compose(
            db ->
                db.pool()
                    .query("SELECT agent_id, frame, proposal_id FROM notices ORDER BY id")
                    .execute()
                    .map(
                        rows -> {
                          assertEquals(1, rows.size(), "only the proposal still open and pending");
                          Row notice = rows.iterator().next();
                          assertEquals("b000000000000001", notice.getString("agent_id"));
                          assertEquals("prop_open", notice.getString("proposal_id"));
                          JsonObject frame = new JsonObject(notice.getString("frame"));
                          assertEquals(
                              List.of(
                                  "type",
                                  "ts",
                                  "id",
                                  "from",
                                  "to",
                                  "task",
                                  "amount",
                                  "currency",
                                  "payment_code",
                                  "terms",
                                  "expires",
                                  "status",
                                  "created_at",
                                  "sig",
                                  "elo_stake"),
                              List.copyOf(frame.fieldNames()),
                              "a PROPOSAL frame as the server sends it");
                          assertEquals("@a000000000000001", frame.getString("from"));
                          assertEquals(12.5, frame.getDouble("amount"));
                          assertEquals("pending", frame.getString("status"));
                          assertEquals(future, frame.getLong("expires"));
                          return null;
                        })
                    .eventually(db::close))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<List<String>> versions(Database db, String historyTable) {
    return db.pool()
        .query(
            "SELECT version FROM "
                + historyTable
                + " WHERE version IS NOT NULL ORDER BY installed_rank")
        .execute()
        .map(
            rows -> {
              List<String> versions = new ArrayList<>();
              rows.forEach(r -> versions.add(r.getString(0)));
              return versions;
            });
  }

  private static Future<Void> check(Database db) {
    return db.pool()
        .query(
            "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
                + " ORDER BY installed_rank")
        .execute()
        .map(
            rows -> {
              List<String> versions = new ArrayList<>();
              for (Row row : rows) {
                versions.add(row.getString("version"));
                assertTrue(row.getBoolean("success"));
              }
              assertEquals(
                  List.of("1", "2", "3", "4", "5", "6", "7"),
                  versions,
                  "each migration applied once");
              return null;
            })
        .compose(
            v ->
                db.pool()
                    .query(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                            + " 'public' AND table_name NOT LIKE '%schema_history' AND table_name"
                            + " NOT LIKE 'test_%' ORDER BY table_name")
                    .execute())
        .map(
            rows -> {
              List<String> names = new ArrayList<>();
              rows.forEach(r -> names.add(r.getString(0)));
              assertEquals(TABLES, names);
              return null;
            })
        .compose(
            v ->
                db.pool()
                    .query("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
                    .execute())
        .map(
            rows -> {
              assertEquals(1, rows.size(), "pg_trgm installed");
              return null;
            });
  }
}

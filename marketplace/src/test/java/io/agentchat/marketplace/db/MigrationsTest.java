package io.agentchat.marketplace.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentchat.marketplace.Marketplace;
import io.agentchat.marketplace.spi.Schema;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
              assertEquals(List.of("1", "2", "3"), versions, "each migration applied once");
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

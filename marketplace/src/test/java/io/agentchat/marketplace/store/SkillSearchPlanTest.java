package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The capability search stays an index search when the registry is large. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SkillSearchPlanTest {
  private static final int AGENTS = 10_000;
  private static final int SKILLS_EACH = 10;

  // 10,000 registrations of 10 skills each, made in SQL so the load takes a second, not minutes.
  private static final String LOAD_REGISTRATIONS =
      "INSERT INTO skill_registrations (agent_id, registered_at, sig)"
          + " SELECT lpad(to_hex(g), 16, '0'), 1700000000000 + g, 'sig'"
          + " FROM generate_series(1, "
          + AGENTS
          + ") g";
  private static final String LOAD_SKILLS =
      "INSERT INTO skills (agent_id, position, capability, rate, currency, description, body,"
          + " registered_at, reg_seq)"
          + " SELECT r.agent_id, p, c.capability, p, 'USD', NULL,"
          + "   json_build_object('capability', c.capability), r.registered_at, r.seq"
          + " FROM skill_registrations r CROSS JOIN generate_series(0, "
          + (SKILLS_EACH - 1)
          + ") p"
          + " CROSS JOIN LATERAL (SELECT 'skill-' || md5(r.agent_id || ':' || p) AS capability) c";

  private static MarketplaceDatabase db;
  private static SkillRepository skills;

  @BeforeAll
  static void load(Vertx vertx, VertxTestContext ctx) throws Exception {
    ArrayNode mine =
        (ArrayNode)
            new ObjectMapper()
                .readTree("[{\"capability\":\"Quantum-Origami folding\",\"rate\":3}]");
    MarketplaceDatabase.start(vertx, TestDatabases.freshDatabase())
        .compose(
            started -> {
              db = started;
              skills = new SkillRepository(db.pool());
              return db.pool().query(LOAD_REGISTRATIONS).execute();
            })
        .compose(v -> db.pool().query(LOAD_SKILLS).execute())
        .compose(v -> skills.register("ffffffffffffffff", mine, "sig", 1800000000000L))
        .compose(v -> db.pool().query("ANALYZE skills").execute())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void evenACachedGenericPlanOfTheSearchUsesTheTrigramIndex(VertxTestContext ctx) {
    // The pool caches prepared statements, and Postgres may switch a cached statement to a
    // generic plan (parameters unknown) after five executions.
    String sql = SkillRepository.searchSql(new SkillQuery("origami", null, "usd", 50));
    db.pool()
        .withTransaction(
            conn ->
                conn.query("SET LOCAL plan_cache_mode = force_generic_plan")
                    .execute()
                    .compose(v -> conn.query("PREPARE generic_search AS " + sql).execute())
                    .compose(
                        v ->
                            conn.query("EXPLAIN EXECUTE generic_search('origami', 'usd', 50)")
                                .execute())
                    .eventually(() -> conn.query("DEALLOCATE generic_search").execute()))
        .map(
            rows -> {
              StringBuilder plan = new StringBuilder();
              for (Row row : rows) {
                plan.append(row.getString(0)).append('\n');
              }
              assertTrue(
                  plan.toString().contains(SkillRepository.CAPABILITY_INDEX), plan::toString);
              return plan;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    db.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSubstringSearchAtAHundredThousandSkillsUsesTheTrigramIndex(VertxTestContext ctx) {
    SkillQuery query = new SkillQuery("origami", null, "usd", 50);
    db.pool()
        .query("SELECT count(*) FROM skills")
        .execute()
        .map(
            rows -> {
              assertEquals(AGENTS * SKILLS_EACH + 1L, rows.iterator().next().getLong(0));
              return rows;
            })
        .compose(
            v ->
                db.pool()
                    .preparedQuery("EXPLAIN " + SkillRepository.searchSql(query))
                    .execute(SkillRepository.searchParameters(query)))
        .map(
            rows -> {
              StringBuilder plan = new StringBuilder();
              for (Row row : rows) {
                plan.append(row.getString(0)).append('\n');
              }
              assertTrue(
                  plan.toString().contains(SkillRepository.CAPABILITY_INDEX), plan::toString);
              return plan;
            })
        .compose(v -> skills.search(query))
        .map(
            page -> {
              assertEquals(1, page.total());
              assertEquals(
                  "Quantum-Origami folding", page.hits().get(0).body().get("capability").asText());
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }
}

package io.agentchat.marketplace.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentchat.marketplace.db.Database;
import io.agentchat.marketplace.testdb.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At 100,000 stored skills, the in-memory search loaded from Postgres answers exactly what a plain
 * SQL scan of the same rows answers: the same total and the same first hits in the same order, for
 * every kind of query.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class SkillSearchAtScaleTest {
  private static final int AGENTS = 10_000;
  private static final int SKILLS_EACH = 10;

  // Made in SQL so the load takes seconds, not minutes. Registration times repeat (g / 3) so
  // the registry-order tie-break matters; capabilities mix case and share words.
  private static final String LOAD_REGISTRATIONS =
      "INSERT INTO skill_registrations (agent_id, registered_at, sig)"
          + " SELECT lpad(to_hex(g), 16, '0'), 1700000000000 + g / 3, 'sig'"
          + " FROM generate_series(1, "
          + AGENTS
          + ") g";
  private static final String LOAD_SKILLS =
      "INSERT INTO skills (agent_id, position, capability, rate, currency, description, body,"
          + " registered_at, reg_seq)"
          + " SELECT r.agent_id, p, c.capability, c.rate, c.currency, NULL,"
          + "   json_build_object('capability', c.capability, 'rate', c.rate,"
          + "     'currency', c.currency), r.registered_at, r.seq"
          + " FROM skill_registrations r CROSS JOIN generate_series(0, "
          + (SKILLS_EACH - 1)
          + ") p CROSS JOIN LATERAL (SELECT"
          + "   (ARRAY['code', 'Review', 'python', 'TRANSLATE', 'data', 'sql', 'image', 'audio',"
          + "     'summarize', 'rust'])[1 + (r.seq + p) % 10] || '_'"
          + "   || (ARRAY['fast', 'Deep', 'legal', 'medical', 'batch', 'api', 'ocr'])"
          + "     [1 + (r.seq * 7 + p) % 7] || '_' || ((r.seq * 31 + p) % 997) AS capability,"
          + "   CASE WHEN p % 5 = 0 THEN NULL ELSE ((r.seq + p) % 200) + 0.5 END AS rate,"
          + "   CASE p % 3 WHEN 0 THEN NULL WHEN 1 THEN 'USD' ELSE 'test' END AS currency) c";

  /** The search as a plain SQL scan: the oracle the index must agree with. */
  private static final String ORACLE =
      "SELECT agent_id, capability, registered_at, count(*) OVER () AS total FROM skills"
          + " WHERE ($1::text IS NULL OR strpos(lower(capability), lower($1)) > 0)"
          + " AND ($2::numeric IS NULL OR rate IS NULL OR rate <= $2)"
          + " AND ($3::text IS NULL OR currency IS NULL OR lower(currency) = lower($3))"
          + " ORDER BY registered_at DESC, reg_seq, position LIMIT $4";

  private static Database db;
  private static SkillRepository skills;

  @BeforeAll
  static void load(Vertx vertx, VertxTestContext ctx) {
    TestDatabases.startFresh(vertx)
        .compose(
            started -> {
              db = started;
              return db.pool().query(LOAD_REGISTRATIONS).execute();
            })
        .compose(v -> db.pool().query(LOAD_SKILLS).execute())
        .compose(v -> SkillRepository.open(vertx, db.pool()))
        .onComplete(
            ctx.succeeding(
                opened -> {
                  skills = opened;
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    Future<Void> closed = skills == null ? Future.succeededFuture() : skills.close();
    closed.eventually(() -> db.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyKindOfQueryAgreesWithASqlScanOfTheSameRows(VertxTestContext ctx) {
    List<SkillQuery> queries =
        List.of(
            new SkillQuery(null, null, null, 50),
            new SkillQuery("r", null, null, 50),
            new SkillQuery("Re", null, null, 500),
            new SkillQuery("REVIEW", null, null, 50),
            new SkillQuery("view_dee", null, null, 7),
            new SkillQuery("_9", null, null, 50),
            new SkillQuery("ocr_12", null, null, 50),
            new SkillQuery("ocr_996", new BigDecimal("100"), null, 50),
            new SkillQuery("sql", new BigDecimal("10.5"), "usd", 50),
            new SkillQuery(null, new BigDecimal("0.5"), "TEST", 50),
            new SkillQuery(null, null, "eur", 3),
            new SkillQuery("zzz", null, null, 50),
            new SkillQuery("py", new BigDecimal("199"), "Test", 1));
    Future<Void> chain = Future.succeededFuture();
    for (SkillQuery q : queries) {
      chain = chain.compose(v -> agree(q));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> agree(SkillQuery q) {
    return db.pool()
        .preparedQuery(ORACLE)
        .execute(Tuple.of(q.capability(), q.maxRate(), q.currency(), q.limit()))
        .compose(
            rows ->
                skills
                    .search(q)
                    .map(
                        page -> {
                          List<String> expected = new ArrayList<>();
                          long total = 0;
                          for (Row row : rows) {
                            expected.add(
                                row.getString("agent_id")
                                    + " "
                                    + row.getString("capability")
                                    + " "
                                    + row.getLong("registered_at"));
                            total = row.getLong("total");
                          }
                          List<String> actual = new ArrayList<>();
                          for (SkillHit hit : page.hits()) {
                            actual.add(
                                hit.agentId()
                                    + " "
                                    + hit.body().get("capability").asText()
                                    + " "
                                    + hit.registeredAt());
                          }
                          assertEquals(total, page.total(), () -> "total for " + q);
                          assertEquals(expected, actual, () -> "hits for " + q);
                          return null;
                        }));
  }

  @Test
  void theIndexHoldsEveryStoredSkillAndSeesANewRegistration(VertxTestContext ctx) {
    SkillQuery everything = new SkillQuery(null, null, null, 1);
    skills
        .search(everything)
        .map(
            page -> {
              assertEquals((long) AGENTS * SKILLS_EACH, page.total());
              return page;
            })
        .compose(v -> skills.register("ffffffffffffffff", origami(), "sig", 1_800_000_000_000L))
        .compose(v -> skills.search(new SkillQuery("origami", null, null, 50)))
        .map(
            page -> {
              assertEquals(1, page.total());
              assertEquals("ffffffffffffffff", page.hits().get(0).agentId());
              assertTrue(page.hits().get(0).body().get("capability").asText().contains("Origami"));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static ArrayNode origami() {
    ObjectMapper json = new ObjectMapper();
    ArrayNode skills = json.createArrayNode();
    skills.addObject().put("capability", "Quantum-Origami folding");
    return skills;
  }

  @Test
  void searchesBeyondTheQueueBoundAreRefusedAsBusyAndTheRestAnswer(VertxTestContext ctx) {
    // Each search of everything visits 100,000 skills; 600 sent at once overflow the queue.
    SkillQuery everything = new SkillQuery(null, null, null, 1);
    List<Future<SearchPage>> searches = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      searches.add(skills.search(everything));
    }
    Future.join(searches)
        .transform(
            all -> {
              int busy = 0;
              for (Future<SearchPage> f : searches) {
                if (f.failed()) {
                  assertTrue(f.cause() instanceof SearchBusyException, String.valueOf(f.cause()));
                  busy++;
                } else {
                  // At least the stored ones (another test may have registered one more).
                  assertTrue(f.result().total() >= (long) AGENTS * SKILLS_EACH);
                }
              }
              assertTrue(busy > 0 && busy < searches.size(), busy + " refused");
              return skills.search(everything); // the bound is given back: a later search answers
            })
        .onComplete(
            ctx.succeeding(
                page ->
                    ctx.verify(
                        () -> {
                          assertTrue(page.total() >= (long) AGENTS * SKILLS_EACH);
                          ctx.completeNow();
                        })));
  }
}

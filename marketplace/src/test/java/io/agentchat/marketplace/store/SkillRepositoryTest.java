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
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SkillRepositoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Database db;
  private static SkillRepository skills;

  /** A word no other test uses, so that a test's searches see only its own skills. */
  private final String w = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    TestDatabases.startFresh(vertx)
        .compose(
            started -> {
              db = started;
              return SkillRepository.open(vertx, db.pool());
            })
        .onComplete(
            ctx.succeeding(
                opened -> {
                  skills = opened;
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    skills.close().eventually(() -> db.close()).onComplete(ctx.succeedingThenComplete());
  }

  /** A skills array from JSON objects written with ' for " and $ for this test's word. */
  private ArrayNode skillsOf(String... objects) {
    String json = "[" + String.join(",", objects) + "]";
    try {
      return (ArrayNode) JSON.readTree(json.replace('\'', '"').replace("$", w));
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  private Future<Long> register(String agentId, long now, String... objects) {
    return skills.register(agentId, skillsOf(objects), "sig", now);
  }

  private static Future<SearchPage> search(String capability, BigDecimal maxRate, String currency) {
    return skills.search(new SkillQuery(capability, maxRate, currency, 50));
  }

  /** The capabilities of the hits, with this test's word written as $. */
  private List<String> capabilities(SearchPage page) {
    return page.hits().stream()
        .map(h -> h.body().get("capability").asText().replace(w, "$"))
        .toList();
  }

  @Test
  void aRegistrationReplacesTheAgentsPreviousOne(VertxTestContext ctx) {
    register("a000000000000001", 1_000, "{'capability':'$-old-1'}", "{'capability':'$-old-2'}")
        .compose(at -> register("a000000000000001", 2_000, "{'capability':'$-new'}"))
        .map(
            at -> {
              assertEquals(2_000L, at);
              return at;
            })
        .compose(at -> search(w, null, null))
        .map(
            page -> {
              assertEquals(List.of("$-new"), capabilities(page));
              assertEquals(1, page.total());
              assertEquals("a000000000000001", page.hits().get(0).agentId());
              assertEquals(2_000L, page.hits().get(0).registeredAt());
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void searchFindsACaseInsensitiveSubstringOfTheCapability(VertxTestContext ctx) {
    register(
            "a000000000000002",
            1_000,
            "{'capability':'Translate-$-German'}",
            "{'capability':'summarise-$'}")
        .compose(at -> search(w.toUpperCase() + "-GERM", null, null))
        .map(
            page -> {
              assertEquals(List.of("Translate-$-German"), capabilities(page));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void maxRateKeepsSkillsWithoutANumericRateOrWithARateAtMostTheBound(VertxTestContext ctx) {
    register(
            "a000000000000003",
            1_000,
            "{'capability':'$-cheap','rate':5}",
            "{'capability':'$-exact','rate':10.0}",
            "{'capability':'$-dear','rate':10.5}",
            "{'capability':'$-free'}",
            "{'capability':'$-text-rate','rate':'lots'}")
        .compose(at -> search(w, new BigDecimal("10"), null))
        .map(
            page -> {
              assertEquals(
                  List.of("$-cheap", "$-exact", "$-free", "$-text-rate"), capabilities(page));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void currencyKeepsSkillsWithoutACurrencyOrWithTheSameOneIgnoringCase(VertxTestContext ctx) {
    register(
            "a000000000000004",
            1_000,
            "{'capability':'$-usd','currency':'USD'}",
            "{'capability':'$-eur','currency':'EUR'}",
            "{'capability':'$-none'}",
            "{'capability':'$-empty','currency':''}")
        .compose(at -> search(w, null, "usd"))
        .map(
            page -> {
              assertEquals(List.of("$-usd", "$-none", "$-empty"), capabilities(page));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void limitCutsTheHitsWhileTotalCountsEveryMatch(VertxTestContext ctx) {
    register(
            "a000000000000005",
            1_000,
            "{'capability':'$-1'}",
            "{'capability':'$-2'}",
            "{'capability':'$-3'}",
            "{'capability':'$-4'}")
        .compose(at -> skills.search(new SkillQuery(w, null, null, 3)))
        .map(
            page -> {
              assertEquals(List.of("$-1", "$-2", "$-3"), capabilities(page));
              assertEquals(4, page.total());
              return page;
            })
        .compose(page -> skills.search(new SkillQuery(w + "-nothing", null, null, 3)))
        .map(
            page -> {
              assertEquals(List.of(), page.hits());
              assertEquals(0, page.total());
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void percentUnderscoreAndBackslashInTheQueryAreLiteral(VertxTestContext ctx) {
    register(
            "a000000000000006",
            1_000,
            "{'capability':'$ 100% sure'}",
            "{'capability':'$ 100x sure'}",
            "{'capability':'$ snake_case'}",
            "{'capability':'$ snakeXcase'}",
            "{'capability':'$ back\\\\slash'}")
        .compose(at -> search(w + " 100%", null, null))
        .map(
            page -> {
              assertEquals(List.of("$ 100% sure"), capabilities(page));
              return page;
            })
        .compose(page -> search(w + " snake_c", null, null))
        .map(
            page -> {
              assertEquals(List.of("$ snake_case"), capabilities(page));
              return page;
            })
        .compose(page -> search(w + " back\\s", null, null))
        .map(
            page -> {
              assertEquals(List.of("$ back\\slash"), capabilities(page));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void hitsComeNewestRegistrationFirstThenInRegistryAndSkillOrder(VertxTestContext ctx) {
    register("a000000000000007", 1_000, "{'capability':'$-old'}")
        .compose(
            at ->
                register(
                    "a000000000000008",
                    5_000,
                    "{'capability':'$-tie-first-b'}",
                    "{'capability':'$-tie-first-a'}"))
        .compose(at -> register("a000000000000009", 5_000, "{'capability':'$-tie-second'}"))
        .compose(at -> register("a00000000000000a", 9_000, "{'capability':'$-newest'}"))
        .compose(at -> search(w, null, null))
        .map(
            page -> {
              assertEquals(
                  List.of("$-newest", "$-tie-first-b", "$-tie-first-a", "$-tie-second", "$-old"),
                  capabilities(page));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aHitCarriesTheSkillAsRegisteredWithItsExtraMembers(VertxTestContext ctx) {
    String skill =
        "{'capability':'$','rate':0.25,'currency':'ETH','description':'d',"
            + "'tags':['x',{'y':null}],'nested':{'deep':true,'n':1e3}}";
    register("a00000000000000b", 1_000, skill)
        .compose(at -> search(w, null, null))
        .map(
            page -> {
              assertEquals(skillsOf(skill).get(0), page.hits().get(0).body());
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSkillWithoutAStringCapabilityIsRefusedAndTheOldRegistrationStays(VertxTestContext ctx) {
    register("a00000000000000c", 1_000, "{'capability':'$'}")
        .compose(
            at -> register("a00000000000000c", 2_000, "{'capability':'$-2'}", "{'capability':3}"))
        .transform(
            ar -> {
              assertEquals(IllegalArgumentException.class, ar.cause().getClass());
              return search(w, null, null);
            })
        .map(
            page -> {
              assertEquals(List.of("$"), capabilities(page));
              return page;
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRegistrationThatWouldOverfillTheRegistryIsRefusedAndStoresNothing(
      Vertx vertx, VertxTestContext ctx) {
    TestDatabases.startFresh(vertx)
        .compose(
            small ->
                SkillRepository.open(vertx, small.pool(), 3)
                    .compose(
                        capped ->
                            capped
                                .register(
                                    "c000000000000001",
                                    skillsOf("{'capability':'$-1'}", "{'capability':'$-2'}"),
                                    "sig",
                                    1_000)
                                .compose(
                                    v ->
                                        capped.register(
                                            "c000000000000002",
                                            skillsOf(
                                                "{'capability':'$-3'}", "{'capability':'$-4'}"),
                                            "sig",
                                            1_001))
                                .transform(
                                    refused -> {
                                      ctx.verify(
                                          () -> {
                                            assertTrue(
                                                refused.failed(), "a fourth skill is one too many");
                                            assertTrue(
                                                refused.cause()
                                                    instanceof SkillRegistryFullException,
                                                String.valueOf(refused.cause()));
                                          });
                                      // Replacing one's own registration counts only the
                                      // difference.
                                      return capped.register(
                                          "c000000000000001",
                                          skillsOf(
                                              "{'capability':'$-5'}",
                                              "{'capability':'$-6'}",
                                              "{'capability':'$-7'}"),
                                          "sig",
                                          1_002);
                                    })
                                .compose(v -> capped.search(new SkillQuery(w, null, null, 50)))
                                .map(
                                    page -> {
                                      ctx.verify(
                                          () ->
                                              assertEquals(
                                                  List.of("$-5", "$-6", "$-7"),
                                                  capabilities(page)));
                                      return page;
                                    })
                                .eventually(capped::close))
                    .eventually(small::close))
        .onComplete(ctx.succeedingThenComplete());
  }
}
